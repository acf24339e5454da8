"""`liteboard serve` with a TensorBoard command line: its flags work, or are accepted with a note."""

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from html.parser import HTMLParser

import pytest

from dashboard import cli, server

PYTHON_M = [sys.executable, "-m", "dashboard"]


def parse(*args):
    return cli.parser().parse_args(["serve", *args])


def start(args, env=None):
    """A `python -m dashboard` server; (process, URL printed, first stderr lines are read later)."""
    process = subprocess.Popen([*PYTHON_M, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env)
    line = process.stdout.readline()
    if " at http://" not in line:
        process.kill()
        pytest.fail(f"the server printed {line!r} and {process.communicate()}")
    return process, line.split(" at ")[1].split()[0]


def stop(process):
    process.kill()
    return process.communicate(timeout=30)


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def usage_error(capsys, *args):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["serve", *args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    return err


# --logdir and --logdir_spec

def test_logdir_expands_the_home_folder_and_environment_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("LB_EXPERIMENT", "exp1")
    assert parse("--logdir", "~/runs/$LB_EXPERIMENT").logdir == str(tmp_path / "runs" / "exp1")
    assert parse("--logdir", "${LB_EXPERIMENT}_runs").logdir == "exp1_runs"


def test_a_server_reads_the_logdir_its_environment_names(logdir):
    env = dict(os.environ, LB_LOGS=str(logdir.parent))
    process, url = start(["--logdir", f"$LB_LOGS/{logdir.name}", "--port", "0"], env=env)
    try:
        assert "linreg_lr=0.1" in [run["name"] for run in get(url + "api/runs")["runs"]]
    finally:
        stop(process)


def test_logdir_spec_names_each_folder_and_expands_it(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert parse("--logdir_spec", "base:~/a,tuned:/data/b").logdir_spec == {"base": str(tmp_path / "a"),
                                                                          "tuned": "/data/b"}


def test_logdir_spec_serves_every_folder_with_runs_prefixed_by_its_name(logdir, tmp_path):
    import tracker

    with tracker.SummaryWriter(str(tmp_path / "other" / "mlp")) as writer:
        writer.add_scalar("loss", 0.5, 3)
    process, url = start(["--logdir_spec", f"lin:{logdir},new:{tmp_path / 'other'}", "--port", "0"])
    try:
        names = [run["name"] for run in get(url + "api/runs")["runs"]]
        assert {"lin/linreg_lr=0.1", "lin/group/nested", "new/mlp"} <= set(names)
        assert not [name for name in names if not name.startswith(("lin/", "new/"))]
        assert get(url + "api/runs/new/mlp")["run"]["name"] == "new/mlp"
        assert get(url + "api/manage/state")["read_only"] is True  # state lives in one logdir
        (series,) = get(url + "api/scalars?run=new/mlp&tag=loss")["series"]
        assert (series["run"], series["step"], series["value"]) == ("new/mlp", [3], [0.5])
        with pytest.raises(urllib.error.HTTPError) as error:
            get(url + "api/runs/old/mlp")
        assert error.value.code == 404
        assert "does not start with one of the --logdir_spec names lin, new" in json.load(error.value)["error"]
    finally:
        stop(process)


@pytest.mark.parametrize(("spec", "message"), [
    ("runs", "argument --logdir_spec: 'runs' is not name:path"),
    ("a:x,:y", "argument --logdir_spec: ':y' is not name:path"),
    ("a:x,a:y", "argument --logdir_spec: name 'a' is given twice"),
    ("a/b:x", "argument --logdir_spec: name 'a/b' of 'a/b:x' may not be '.', '..' or hold '/'"),
])
def test_a_bad_logdir_spec_is_a_one_line_usage_error(capsys, spec, message):
    assert message in usage_error(capsys, "--logdir_spec", spec)


def test_logdir_and_logdir_spec_are_exclusive(capsys):
    assert "argument --logdir_spec: not allowed with argument --logdir" in usage_error(
        capsys, "--logdir", "other", "--logdir_spec", "a:b")


def test_a_logdir_spec_folder_that_is_a_file_is_named(tmp_path, capsys):
    (tmp_path / "f").write_text("x")
    assert cli.main(["serve", "--logdir_spec", f"ok:{tmp_path},bad:{tmp_path / 'f'}", "--port", "0"]) == 2
    assert f"--logdir_spec bad {str(tmp_path / 'f')!r} is a file, not a directory" in capsys.readouterr().err


# --host, --bind_all, --port

def test_bind_all_serves_every_interface(logdir):
    assert cli.host_of(parse("--bind_all")) == "0.0.0.0"
    process, url = start(["--logdir", str(logdir), "--bind_all", "--port", "0"])
    try:
        assert url.startswith(f"http://{socket.gethostname()}:")
        port = url.rsplit(":", 1)[1].strip("/")
        assert get(f"http://127.0.0.1:{port}/api/runs")["runs"]
    finally:
        stop(process)


def test_bind_all_and_host_are_exclusive(capsys):
    assert "argument --bind_all: not allowed with argument --host" in usage_error(
        capsys, "--host", "127.0.0.1", "--bind_all")


def test_a_taken_default_port_is_said_and_the_next_one_tried(monkeypatch, busy_port):
    monkeypatch.setattr(server, "DEFAULT_PORT", busy_port)
    notes = []
    with server.listen("127.0.0.1", None, notes.append) as sock:
        port = sock.getsockname()[1]
    assert port > busy_port
    assert notes[0] == f"port {busy_port} is in use; trying {busy_port + 1}"
    assert len(notes) == port - busy_port


def test_when_every_default_port_is_taken_the_error_names_the_range(monkeypatch, busy_port, capsys):
    monkeypatch.setattr(server, "DEFAULT_PORT", busy_port)
    monkeypatch.setattr(server, "PORT_ATTEMPTS", 1)
    with pytest.raises(server.CannotListen, match=f"cannot listen on 127.0.0.1: ports {busy_port} to {busy_port} "
                                                  "are all in use"):
        server.listen("127.0.0.1")


def test_an_explicit_port_in_use_is_not_replaced(busy_port, tmp_path, capsys):
    assert cli.main(["serve", "--logdir", str(tmp_path), "--port", str(busy_port)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [f"liteboard: cannot listen on 127.0.0.1:{busy_port}: Address already in use"]


# --path_prefix, --window_title, --reload_interval

@pytest.mark.parametrize(("given", "prefix"), [("/proxy/6006", "/proxy/6006"), ("proxy/6006/", "/proxy/6006"),
                                               ("/user/me/proxy/6006/", "/user/me/proxy/6006"), ("/", ""), ("", "")])
def test_path_prefix_is_one_leading_slash_and_no_trailing_one(given, prefix):
    assert parse("--path_prefix", given).path_prefix == prefix


@pytest.mark.parametrize("given", ["/a b", "/a?b", "/a#b", "/a/../b", "/a//b", "/./a", "/é"])
def test_a_path_prefix_no_url_path_is_a_usage_error(capsys, given):
    assert f"argument --path_prefix: {given!r} is not a URL path such as /proxy/6006" in usage_error(
        capsys, "--path_prefix", given)


class Attributes(HTMLParser):
    """Every href and src of a page, and its title."""

    def __init__(self):
        super().__init__()
        self.urls, self.title, self._in_title = [], "", False

    def handle_starttag(self, tag, attrs):
        self._in_title = tag == "title"
        self.urls += [value for name, value in attrs if name in ("href", "src")]

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


def page_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.data[:300])
    found = Attributes()
    found.feed(response.get_data(as_text=True))
    return found, response.get_data(as_text=True)


def test_the_flags_configure_the_app(logdir):
    app = cli.make_app(parse("--logdir", str(logdir), "--path_prefix", "proxy/6006", "--window_title",
                             "My <experiments>", "--reload_interval", "30"))
    client = app.test_client()
    found, html = page_of(client, "/proxy/6006/scalars")
    assert found.title == "Scalars · My <experiments>"
    assert "My &lt;experiments&gt;" in html
    assert 'data-refresh-seconds="30.0"' in html and 'data-root="/proxy/6006"' in html
    assert client.get("/proxy/6006/api/runs").status_code == 200


def test_every_link_and_asset_of_every_page_is_under_the_prefix(logdir):
    client = cli.make_app(parse("--logdir", str(logdir), "--path_prefix", "/proxy/6006")).test_client()
    for path in ("/", "/runs/linreg_lr=0.1", "/scalars", "/graph", "/compare?run=linreg_adam", "/nope"):
        response = client.get("/proxy/6006" + path)
        found = Attributes()
        found.feed(response.get_data(as_text=True))
        urls = [url for url in found.urls if not url.startswith("data:")]
        assert urls and all(url.startswith("/proxy/6006/") for url in urls), (path, urls)


@pytest.mark.parametrize("path", ["/", "/api/runs", "/static/api.js", "/proxy/60061/api/runs"])
def test_a_path_outside_the_prefix_is_a_json_404_naming_the_prefix(logdir, path):
    client = cli.make_app(parse("--logdir", str(logdir), "--path_prefix", "/proxy/6006")).test_client()
    response = client.get(path)
    assert response.status_code == 404
    assert response.json == {"error": f"{path!r} is outside /proxy/6006/, where this dashboard is served"}


def test_the_prefix_itself_redirects_to_its_runs_page(logdir):
    client = cli.make_app(parse("--logdir", str(logdir), "--path_prefix", "/proxy/6006")).test_client()
    response = client.get("/proxy/6006")
    assert response.status_code == 308 and response.headers["Location"].endswith("/proxy/6006/")


@pytest.mark.parametrize("value", ["-1", "soon", "nan", "inf"])
def test_a_bad_reload_interval_is_a_usage_error(capsys, value):
    assert f"argument --reload_interval: {value!r} is not a number of seconds, 0 or more" in usage_error(
        capsys, "--reload_interval", value)


def test_a_server_under_a_prefix_prints_its_url_and_answers_only_there(logdir):
    process, url = start(["--logdir", str(logdir), "--port", "0", "--path_prefix", "/lb/"])
    try:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/lb/")
        assert get(url + "api/runs")["runs"]
        root = url[: -len("lb/")]
        with pytest.raises(urllib.error.HTTPError) as error:
            get(root + "api/runs")
        assert error.value.code == 404
    finally:
        stop(process)


# --version and TensorBoard's loader flags

@pytest.mark.parametrize("args", [["--version"], ["serve", "--version"]])
def test_version_prints_the_installed_version(args):
    from importlib import metadata

    result = subprocess.run([*PYTHON_M, *args], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"liteboard {metadata.version('liteboard')}\n", "")


@pytest.mark.parametrize("args", [
    ["--samples_per_plugin", "scalars=500,images=0"], ["--samples_per_plugin=scalars=0"],
    ["--load_fast", "false"], ["--load_fast=true"], ["--reload_multifile", "true"], ["--reload_multifile"],
    ["--reload_task", "blocking"], ["--purge_orphaned_data", "false"], ["--max_reload_threads", "4"],
])
def test_each_tensorboard_loader_flag_is_accepted_with_a_note(args):
    flag = args[0].split("=")[0]
    assert cli.ignored_flags(parse(*args)) == (f"{flag}: TensorBoard's loader settings, ignored; "
                                               "liteboard keeps every point anyway")


def test_loader_flags_are_one_note_on_the_terminal_and_the_server_runs(logdir):
    process, url = start(["--logdir", str(logdir), "--port", "0", "--load_fast=false", "--reload_multifile",
                          "true", "--samples_per_plugin", "scalars=100"])
    try:
        assert get(url + "api/runs")["runs"]
    finally:
        _, err = stop(process)
    assert err.splitlines() == ["liteboard: --samples_per_plugin, --load_fast, --reload_multifile: TensorBoard's "
                                "loader settings, ignored; liteboard keeps every point anyway"]
