"""The `liteboard serve` command and `python -m dashboard`."""

import json
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from dashboard import cli

ROOT = Path(__file__).resolve().parents[2]


def start(args, cwd=ROOT):
    process = subprocess.Popen([sys.executable, "-m", "dashboard", *args], cwd=cwd,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    return process, line


@pytest.mark.parametrize("serve", [["serve"], []])
def test_serve_prints_the_url_and_answers(logdir, serve):
    process, line = start([*serve, "--logdir", str(logdir), "--port", "0"])
    try:
        assert "http://127.0.0.1:" in line, line + process.stderr.read()
        url = line.split(" at ")[1].split()[0]
        with urllib.request.urlopen(url + "api/runs", timeout=10) as response:
            names = [r["name"] for r in json.load(response)["runs"]]
        assert "linreg_lr=0.1" in names
        assert str(logdir) in line
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_defaults_are_localhost_6006():
    args = cli.parser().parse_args(["serve"])
    assert (args.host, args.port, args.logdir) == ("127.0.0.1", 6006, "runs")


def test_a_logdir_that_is_a_file_is_refused(tmp_path, capsys):
    path = tmp_path / "file"
    path.write_text("x")
    assert cli.main(["serve", "--logdir", str(path), "--port", "0"]) == 2
    assert "is a file" in capsys.readouterr().err


def test_a_busy_port_is_reported(tmp_path, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert cli.main(["serve", "--logdir", str(tmp_path), "--port", str(port)]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_a_bad_port_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["serve", "--port", "http"])
    assert exit_info.value.code == 2
    assert "--port" in capsys.readouterr().err
