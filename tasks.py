"""The README's commands: `python3 tasks.py demo`, `python3 tasks.py test` (and `screenshots`).

Plain Python rather than make, so a fresh machine needs only Python 3 and the
package registry. Each command creates `.venv` on first use and installs
liteboard into it (editable, so a change to the code needs no reinstall), then
becomes that environment's Python, so Ctrl+C reaches one process, which ends
quietly.
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args):
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True)


def hand_over(*args, env=None):
    """Run the venv's Python with `args` in place of this process (on Windows, wait for it)."""
    print("+", PYTHON, *args, flush=True)
    os.chdir(ROOT)
    command = [str(PYTHON), *args]
    if os.name == "nt":
        sys.exit(subprocess.run(command, env=env).returncode)
    os.execve(command[0], command, os.environ if env is None else env)


def ensure_venv(extras=""):
    """Create the venv and (re)install liteboard when pyproject.toml changed; True if it installed.

    A `[dev]` install also counts for the plain one, so `demo` after `test` installs nothing."""
    if not PYTHON.exists():
        venv.create(VENV, with_pip=True)
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    pyproject = ROOT / "pyproject.toml"
    stamps = [VENV / f".installed{extras}"] + ([VENV / ".installed[dev]"] if not extras else [])
    if any(s.exists() and s.stat().st_mtime >= pyproject.stat().st_mtime for s in stamps):
        return False
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", f".{extras}")
    stamps[0].touch()
    return True


def next_steps():
    """How to run your own scripts and `liteboard` with the venv, in paths from where you stand."""
    bin_dir = os.path.relpath(BIN)
    python, liteboard = os.path.join(bin_dir, "python"), os.path.join(bin_dir, "liteboard")
    activate = os.path.join(bin_dir, "activate")
    return (f"liteboard is installed in {os.path.relpath(VENV)}; run your own scripts and the dashboard with it:\n"
            f"    {python} my_script.py\n"
            f"    {liteboard} serve --logdir runs\n"
            f"or `source {activate}` once, then `python my_script.py` and `liteboard serve --logdir runs`.")


def demo(argv):
    """Train example runs into runs/demo, then serve the dashboard."""
    ensure_venv()
    print(next_steps(), flush=True)
    hand_over("-m", "examples.demo", *argv)


def test(argv):
    """Run the whole test suite; browser tests skip where no chromium is installed."""
    if ensure_venv("[dev]"):
        print(next_steps(), flush=True)
    hand_over("-m", "pytest", *argv)


def screenshots(argv):
    """Retake the README's pictures of the demo runs into docs/images/ (needs chromium)."""
    ensure_venv("[dev]")
    env = dict(os.environ, LITEBOARD_SCREENSHOTS=str(ROOT / "docs" / "images"))
    hand_over("-m", "pytest", "-q", "tests/e2e/test_e2e_tour.py", *argv, env=env)


COMMANDS = {"demo": demo, "test": test, "screenshots": screenshots}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python3 tasks.py {{{'|'.join(COMMANDS)}}} [args...]")
    try:
        COMMANDS[sys.argv[1]](sys.argv[2:])
    except KeyboardInterrupt:  # while setting up; after that, the command itself handles Ctrl+C
        sys.exit("tasks.py: interrupted")
    except subprocess.CalledProcessError as exc:
        sys.exit(f"tasks.py: {' '.join(map(str, exc.cmd))} failed (exit code {exc.returncode})")
