"""The notebook magic, run by IPython itself: `%load_ext dashboard`, then `%liteboard --logdir runs`."""

import json
import re
import urllib.request

import pytest

pytest.importorskip("IPython")

from IPython.core.error import UsageError  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from IPython.utils.capture import capture_output  # noqa: E402

from dashboard import notebook  # noqa: E402


@pytest.fixture
def shell():
    shell = InteractiveShell.instance()
    yield shell
    while notebook._servers:
        notebook.stop()


def run(shell, line):
    """The cell's output of `%liteboard line`: (printed text, the iframe's src and height)."""
    with capture_output() as cell:
        shell.run_line_magic("liteboard", line)
    frames = [re.search(r'<iframe\s[^>]*height="(\d+)"[^>]*src="([^"]+)"', output.data.get("text/html", ""))
              for output in cell.outputs]
    return cell.stdout, [(found.group(2), int(found.group(1))) for found in frames if found]


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers, json.load(response)


@pytest.mark.parametrize("extension", ["dashboard", "liteboard"])
def test_the_magic_serves_the_logdir_and_shows_it_in_an_iframe(shell, logdir, extension):
    shell.run_line_magic("load_ext", extension)
    assert extension in shell.extension_manager.loaded and "liteboard" in shell.magics_manager.magics["line"]
    _, frames = run(shell, f"--logdir {logdir} --port 0")
    ((src, height),) = frames
    (server,) = notebook.list()
    assert src == f"http://127.0.0.1:{server.port}/" and height == notebook.DEFAULT_HEIGHT
    headers, body = get(src + "api/runs")
    assert "linreg_lr=0.1" in [r["name"] for r in body["runs"]]
    assert "frame-ancestors 'self' http://localhost:*" in headers["Content-Security-Policy"]


def test_a_second_call_reuses_the_server_and_other_flags_start_another(shell, logdir):
    shell.run_line_magic("load_ext", "dashboard")
    first = run(shell, f"--logdir {logdir} --port 0")[1]
    again = run(shell, f"--logdir {logdir} --port 0")[1]
    assert first == again and len(notebook.list()) == 1
    prefixed = run(shell, f"--logdir {logdir} --port 0 --path_prefix /p --window_title nb")[1]
    assert len(notebook.list()) == 2
    ((src, _),) = prefixed
    assert src.endswith("/p/") and src != first[0][0]
    assert get(src + "api/runs")[1]["runs"]


def test_display_and_list(shell, logdir, capsys):
    shell.run_line_magic("load_ext", "dashboard")
    run(shell, f"--logdir {logdir} --port 0")
    capsys.readouterr()
    (server,) = notebook.list()
    assert capsys.readouterr().out == f"port {server.port}: logdir {logdir} at {server.url}\n"
    with capture_output() as cell:
        notebook.display(port=server.port, height=450)
    assert 'height="450"' in cell.outputs[0].data["text/html"]
    assert f'src="{server.url}"' in cell.outputs[0].data["text/html"]
    with pytest.raises(ValueError, match=f"no liteboard server of this kernel is on port 1 \\(running: {server.port}\\)"):
        notebook.display(port=1)
    with pytest.raises(ValueError, match="height must be a number of pixels from 1 to 100000, got 0"):
        notebook.display(height=0)
    notebook.stop(server.port)
    assert notebook.list() == []
    assert capsys.readouterr().out == "No liteboard servers are running in this kernel.\n"


@pytest.mark.parametrize(("line", "message"), [
    ("--port http", "%liteboard: argument --port: 'http' is not a port number from 0 to 65535"),
    ("--nonsense", "%liteboard: unrecognized arguments: --nonsense"),
])
def test_bad_flags_are_a_usage_error_and_the_kernel_lives(shell, line, message):
    shell.run_line_magic("load_ext", "dashboard")
    with pytest.raises(UsageError, match=re.escape(message)):
        shell.run_line_magic("liteboard", line)


def test_a_logdir_that_is_a_file_is_a_usage_error(shell, tmp_path):
    (tmp_path / "f").write_text("x")
    shell.run_line_magic("load_ext", "dashboard")
    with pytest.raises(UsageError, match="is a file, not a directory"):
        shell.run_line_magic("liteboard", f"--logdir {tmp_path / 'f'}")


def test_loader_flags_are_noted_in_the_cell(shell, logdir):
    shell.run_line_magic("load_ext", "dashboard")
    printed, frames = run(shell, f"--logdir {logdir} --port 0 --samples_per_plugin scalars=0")
    assert "--samples_per_plugin: TensorBoard's loader settings, ignored" in printed and frames
