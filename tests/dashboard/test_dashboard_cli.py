"""The `liteboard serve` command and `python -m dashboard`: the same command, quiet on the terminal."""

import json
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dashboard import cli

ROOT = Path(__file__).resolve().parents[2]
LITEBOARD = shutil.which("liteboard", path=str(Path(sys.executable).parent))
COMMANDS = {
    "python -m dashboard": [sys.executable, "-m", "dashboard"],
    "python -m dashboard serve": [sys.executable, "-m", "dashboard", "serve"],
    "liteboard serve": [LITEBOARD, "serve"],
}
STOPPED = "liteboard: stopped"


@pytest.fixture(params=COMMANDS)
def command(request):
    if COMMANDS[request.param][0] is None:
        pytest.skip("the liteboard script is not installed next to this Python")
    return COMMANDS[request.param]


def start(command, args, cwd=ROOT):
    """Start a server; return it and the URL it printed."""
    process = subprocess.Popen([*command, *args], cwd=cwd,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if "http://127.0.0.1:" not in line:
        process.kill()
        pytest.fail(f"the server printed {line!r} and {process.communicate()}")
    return process, line.split(" at ")[1].split()[0]


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def ctrl_c(process):
    """Interrupt the server as Ctrl+C does; return its exit code and the rest of its output."""
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    return process.returncode, out, err


def test_serve_prints_the_url_and_answers(logdir, command):
    process, url = start(command, ["--logdir", str(logdir), "--port", "0"])
    try:
        assert "linreg_lr=0.1" in [r["name"] for r in get(url + "api/runs")["runs"]]
    finally:
        process.kill()
        process.communicate()


def test_ctrl_c_stops_the_server_with_one_line(logdir, command):
    process, url = start(command, ["--logdir", str(logdir), "--port", "0"])
    get(url + "api/runs")
    status, out, err = ctrl_c(process)
    assert status == 0
    assert "Traceback" not in out + err
    assert out.splitlines() == [STOPPED]
    assert err == ""


@pytest.mark.parametrize("verbose", [[], ["--verbose"], ["-v"]], ids=["quiet", "verbose", "v"])
def test_requests_are_logged_only_when_verbose(logdir, verbose):
    process, url = start(COMMANDS["python -m dashboard"], ["--logdir", str(logdir), "--port", "0", *verbose])
    for _ in range(3):
        get(url + "api/runs")
    status, out, err = ctrl_c(process)
    assert status == 0 and out.splitlines() == [STOPPED]
    assert err.count("GET /api/runs") == (3 if verbose else 0), err


def test_errors_are_printed_when_requests_are_not(logdir):
    process, url = start(COMMANDS["python -m dashboard"], ["--logdir", str(logdir), "--port", "0"])
    port = int(url.rsplit(":", 1)[1].strip("/"))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(b"nonsense\r\n\r\n")
        assert b"400" in client.recv(4096)
    get(url + "api/runs")
    status, out, err = ctrl_c(process)
    assert status == 0
    assert "Bad request syntax ('nonsense')" in err
    assert "GET /api/runs" not in err


def test_the_two_commands_are_the_same_command():
    if LITEBOARD is None:
        pytest.skip("the liteboard script is not installed next to this Python")
    for args in (["--help"], ["serve", "--help"], ["serve", "--port", "http"]):
        module = subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True)
        script = subprocess.run([LITEBOARD, *args], capture_output=True, text=True)
        assert (module.returncode, module.stdout, module.stderr) == (script.returncode, script.stdout, script.stderr)


def refusals(tmp_path, busy_port):
    """(arguments, what the one line says) for each way a server can fail to start."""
    a_file = tmp_path / "runs.txt"
    a_file.write_text("x")
    return {
        **{f"port {port}": (["--port", port], f"argument --port: {port!r} is not a port number from 0 to 65535; "
                                              "see liteboard serve --help") for port in ("99999", "-1", "http")},
        "port in use": (["--port", str(busy_port)], f"cannot listen on 127.0.0.1:{busy_port}: Address already in use"),
        "unknown host": (["--host", "no-such-host.invalid"], "cannot listen on no-such-host.invalid:6006: "),
        "logdir is a file": (["--logdir", str(a_file)], f"--logdir {str(a_file)!r} is a file, not a directory"),
    }


@pytest.mark.parametrize("case", ["port 99999", "port -1", "port http", "port in use", "unknown host",
                                  "logdir is a file"])
def test_a_server_that_cannot_start_says_why_in_one_line_and_exits_2(tmp_path, busy_port, command, case):
    args, message = refusals(tmp_path, busy_port)[case]
    result = subprocess.run([*command, "--logdir", str(tmp_path), *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr, result.stderr
    assert "while attempting to bind" not in result.stderr


def test_the_defaults_are_localhost_6006_or_the_next_free_port_and_quiet():
    args = cli.parser().parse_args(["serve"])
    assert (args.host, args.port, args.logdir, args.verbose) == ("127.0.0.1", None, "runs", False)
    assert cli.server.DEFAULT_PORT == 6006


def test_a_logdir_that_is_a_file_is_refused(tmp_path, capsys):
    path = tmp_path / "file"
    path.write_text("x")
    assert cli.main(["serve", "--logdir", str(path), "--port", "0"]) == 2
    assert "is a file" in capsys.readouterr().err


def test_a_busy_port_is_reported(tmp_path, capsys, busy_port):
    assert cli.main(["serve", "--logdir", str(tmp_path), "--port", str(busy_port)]) == 2
    assert f"cannot listen on 127.0.0.1:{busy_port}" in capsys.readouterr().err


@pytest.mark.parametrize("port", ["http", "99999", "65536", "-1", "1.5"])
def test_a_bad_port_is_a_one_line_usage_error(port, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["serve", "--port", port])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == (f"liteboard serve: argument --port: {port!r} is not a port number "
                                       "from 0 to 65535; see liteboard serve --help\n")


@pytest.mark.parametrize("port", ["0", "6006", "65535"])
def test_every_port_number_is_accepted(port):
    assert cli.parser().parse_args(["serve", "--port", port]).port == int(port)


def put(url, path, body, token):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="PUT",
                                     headers={"Content-Type": "application/json", "X-Liteboard-Token": token})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


@pytest.mark.parametrize("read_only", [False, True], ids=["serve", "read-only"])
def test_a_change_is_logged_in_one_line_and_refused_by_read_only(tmp_path, read_only):
    import tracker

    with tracker.SummaryWriter(str(tmp_path / "alpha")) as writer:
        writer.add_scalar("loss", 1.0, 0)
    process, url = start([sys.executable, "-m", "dashboard"],
                         ["--logdir", str(tmp_path), "--port", "0", *(["--read-only"] if read_only else [])])
    try:
        state = get(url + "api/manage/state")
        assert state["read_only"] is read_only
        status, answer = put(url, "api/manage/run", {"run": "alpha", "hidden": True}, state["token"])
        runs = get(url + "api/runs")["runs"]
    finally:
        _, out, err = ctrl_c(process)
    if read_only:
        assert status == 403 and "--read-only" in answer["error"]
        assert [run["name"] for run in runs] == ["alpha"] and err == ""
        assert not (tmp_path / ".liteboard").exists()
    else:
        assert status == 200 and answer["hidden"] is True and runs == []
        assert err == "liteboard: run 'alpha': hidden=True\n"


def test_the_dashboard_loads_no_writer_and_no_pandas(logdir):
    # sqlite-utils imports pandas when it is installed (40 MB); only the writer needs sqlite-utils.
    code = ("import sys; from dashboard.app import create_app; client = create_app(sys.argv[1]).test_client(); "
            "assert client.get('/api/runs').status_code == 200 and client.get('/').status_code == 200; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlite_utils', 'pandas') "
            "or m in ('tracker.writer', 'tracker.storage', 'tracker.remote')))")
    out = subprocess.run([sys.executable, "-c", code, str(logdir)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
