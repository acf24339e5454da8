"""`python3 tasks.py demo` from the terminal: it says how to use the environment it made, Ctrl+C ends
it quietly, while it trains and while it serves, and the README's commands run as written."""

import importlib.util
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from examples import demo, xor_mlp

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def load_tasks():
    spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    return tasks


def start_in_a_terminal_group(args):
    """Start a process in its own process group, as a shell starts a foreground job."""
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def ctrl_c(process):
    """Ctrl+C in a terminal signals the whole foreground group; return the exit code and output."""
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return process.returncode, out, err


def test_ctrl_c_on_the_serving_demo_prints_one_line(tmp_path):
    process = start_in_a_terminal_group([sys.executable, "tasks.py", "demo", "--logdir", str(tmp_path / "demo"),
                                         "--port", "0"])
    before = []
    for line in process.stdout:
        before.append(line)
        if "Ctrl+C to stop" in line:
            break
    assert "http://127.0.0.1:" in before[-1], "".join(before) + process.stderr.read()
    status, out, err = ctrl_c(process)
    assert status == 0
    assert "Traceback" not in "".join(before) + out + err
    assert out.splitlines() == ["liteboard: stopped"]
    assert err == ""


def test_ctrl_c_while_the_demo_trains_prints_one_line_and_the_next_demo_replaces_its_runs(
        tmp_path, monkeypatch, capsys):
    logdir = tmp_path / "demo"

    def pressing_ctrl_c(argv):  # what SIGINT does to the main thread mid-run
        raise KeyboardInterrupt

    monkeypatch.setattr(xor_mlp, "main", pressing_ctrl_c)
    assert demo.main(["--no-serve", "--logdir", str(logdir)]) == 130
    out, err = capsys.readouterr()
    assert err.splitlines() == ["demo: interrupted while training; the next demo replaces its runs"]
    assert (logdir / "linreg" / "sgd_lr=0.1" / "events.sqlite").is_file()
    assert not (logdir / "running_totals").exists()
    monkeypatch.undo()
    assert demo.main(["--no-serve", "--logdir", str(logdir)]) == 0
    assert (logdir / "running_totals" / "events.sqlite").is_file()


def test_tasks_says_how_to_run_your_own_scripts_as_the_readme_does(monkeypatch):
    monkeypatch.chdir(ROOT)
    steps = load_tasks().next_steps()
    commands = re.findall(r"^    (\S+) (.+)$", steps, re.MULTILINE)
    assert commands == [(os.path.join(".venv", "bin", "python"), "my_script.py"),
                        (os.path.join(".venv", "bin", "liteboard"), "serve --logdir runs")]
    for program, args in commands:
        assert f"`{program} {args}`" in README
        assert (ROOT / program).exists(), f"{program} is missing after set-up"
    assert "`source .venv/bin/activate`" in steps and "`source .venv/bin/activate`" in README


def test_next_steps_name_the_venv_from_where_you_stand(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    steps = load_tasks().next_steps()
    assert f"{os.path.relpath(ROOT / '.venv' / 'bin' / 'python')} my_script.py" in steps


def readme_commands():
    """The README's commands that run Python or liteboard: lines of shell blocks, and inline spans."""
    blocks = re.findall(r"^```(\w*)\n(.*?)^```$", README, re.DOTALL | re.MULTILINE)
    lines = [line.split("#")[0].strip() for lang, block in blocks if not lang for line in block.splitlines()]
    prose = re.sub(r"^```.*?^```$|^#[^\n]*", "", README, flags=re.DOTALL | re.MULTILINE)
    commands = lines + re.findall(r"`([^`\n]+)`", prose)
    return sorted({c for c in commands if re.match(r"(\S*/)?(liteboard|python3?) \S", c) and "tasks.py" not in c})


@pytest.mark.parametrize("command", readme_commands())
def test_readme_commands_run_with_the_environment_tasks_made(command):
    program, *args = command.split()
    assert program.startswith(".venv/bin/"), f"README's `{command}` needs .venv/bin/{program} after the two commands"
    assert (ROOT / program).exists()
    if program.endswith("liteboard") or args[0] == "-m":
        to_help = [program, *args[:2 if args[0] == "-m" else 1], "--help"]
        result = subprocess.run(to_help, cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
