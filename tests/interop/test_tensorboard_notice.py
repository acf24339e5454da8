"""`liteboard serve` on a TensorBoard logdir says so, in the terminal and on the Runs page,
with the exact command that imports it."""

import shlex
import subprocess
import sys

import pytest

from dashboard.app import create_app

from tb_logdirs import write_logdir

pytest.importorskip("tensorboard")
EXPECTED_DIRS = ["hp/1", "tf1/a", "tf2"]


@pytest.fixture
def tb_logdir(tmp_path):
    return write_logdir(tmp_path / "tb logs")  # a space: the command must quote it


def test_api_names_the_directories_and_the_import_command(tb_logdir):
    client = create_app(str(tb_logdir)).test_client()
    found = client.get("/api/tensorboard").get_json()
    logdir = client.application.config["LOGDIR"]
    assert found["count"] == 3 and found["dirs"] == EXPECTED_DIRS
    assert found["message"] == ("This logdir holds TensorBoard event files in 3 directories "
                                "(hp/1, tf1/a, tf2), which liteboard does not read directly.")
    assert found["command"] == f"liteboard import {shlex.quote(str(logdir))} {shlex.quote(str(logdir))}"
    assert shlex.split(found["command"])[2:] == [str(logdir)] * 2


def test_the_import_command_given_makes_the_notice_go(tb_logdir, capsys):
    from dashboard import cli

    client = create_app(str(tb_logdir)).test_client()
    command = client.get("/api/tensorboard").get_json()["command"]
    assert cli.main(shlex.split(command)[1:]) == 0
    capsys.readouterr()
    assert client.get("/api/tensorboard").get_json() == {"count": 0, "dirs": [], "message": None,
                                                         "command": None}
    assert [run["name"] for run in client.get("/api/runs").get_json()["runs"]] == EXPECTED_DIRS


def test_a_liteboard_logdir_has_no_notice(logdir):
    assert create_app(str(logdir)).test_client().get("/api/tensorboard").get_json()["count"] == 0


def test_the_terminal_says_so_with_the_command(tb_logdir):
    process = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--logdir", str(tb_logdir),
                                "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "http://127.0.0.1:" in process.stdout.readline()
        err = process.stderr.readline()  # from the first scan, which starts with the server
    finally:
        process.kill()
        _, rest = process.communicate(timeout=30)
    assert rest == ""
    quoted = shlex.quote(str(tb_logdir))
    assert err == (f"liteboard: {tb_logdir} holds TensorBoard event files in 3 directories "
                   f"(hp/1, tf1/a, tf2), which liteboard does not read directly; import them with: "
                   f"liteboard import {quoted} {quoted}\n")


@pytest.mark.browser
def test_the_runs_page_shows_the_notice(tb_logdir, serve, page, screenshot):
    app = create_app(str(tb_logdir))
    with serve(app) as url:
        page.goto(url + "/")
        page.locator("#tensorboard-notice").wait_for(state="visible")
        assert page.locator("#tensorboard-text").text_content() == (
            "This logdir holds TensorBoard event files in 3 directories (hp/1, tf1/a, tf2), which "
            "liteboard does not read directly.")
        logdir = shlex.quote(app.config["LOGDIR"])
        assert page.locator("#tensorboard-command").text_content() == f"liteboard import {logdir} {logdir}"
        page.locator("#runs-empty").wait_for(state="visible")
        screenshot("runs_tensorboard_notice")
