"""A notebook page on another port of this machine shows the magic's server in its iframe; a
`liteboard serve` server refuses to be framed."""

import pytest
from flask import Flask

from dashboard import cli, notebook

pytestmark = pytest.mark.browser


def notebook_page(src):
    """A stand-in for Jupyter: a page of its own origin holding one iframe of `src`."""
    host = Flask(__name__)
    host.add_url_rule("/", "cell", lambda: f'<link rel="icon" href="data:,"><p>cell output</p><iframe id="cell" src="{src}" width="1200" '
                                           'height="700"></iframe>')
    return host


@pytest.fixture
def magic_server(logdir):
    pytest.importorskip("IPython")
    running = notebook.start(notebook.parse(f"--logdir {logdir} --port 0"))
    yield running
    notebook.stop(running.port)


def test_the_magics_server_renders_inside_a_notebook_page(page, serve, magic_server, screenshot):
    with serve(notebook_page(magic_server.url)) as jupyter:  # the iframe holds what the cell shows
        page.goto(jupyter.replace("127.0.0.1", "localhost") + "/")
        frame = page.frame_locator("#cell")
        frame.locator("#runs-table tbody tr").first.wait_for()
        assert "linreg_lr=0.1" in frame.locator("#runs-table td.run-name a").all_text_contents()
        screenshot("notebook-iframe")
        page.goto("about:blank")


@pytest.mark.allow_console_errors
def test_a_cli_server_is_not_framed(page, serve, logdir, console_errors):
    app = cli.make_app(cli.parser().parse_args(["serve", "--logdir", str(logdir)]))
    with serve(app) as url, serve(notebook_page(url.replace("127.0.0.1", "localhost") + "/")) as jupyter:
        page.goto(jupyter.replace("127.0.0.1", "localhost") + "/")
        page.wait_for_timeout(1500)
        frame = page.frame_locator("#cell")
        assert frame.locator("#runs-table").count() == 0
        page.goto("about:blank")
    assert any("frame-ancestors 'none'" in error for error in console_errors), console_errors
