"""Every empty page says which logdir is being served, as text (the path may hold any character)."""

from html.parser import HTMLParser

import pytest

import tracker
from dashboard.app import create_app

FOLDER = 'logs "<b>bold</b>" & <script>x</script>'


class Notes(HTMLParser):
    """The text of each `.logdir-note` and the body's data-logdir."""

    def __init__(self, html):
        super().__init__()
        self.notes, self.depth, self.body = [], 0, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "body":
            self.body = attrs.get("data-logdir")
        if self.depth:
            self.depth += 1
        elif "logdir-note" in (attrs.get("class") or ""):
            self.depth = 1
            self.notes.append("")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.notes[-1] += data


@pytest.fixture(scope="module")
def empty_logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("empty") / FOLDER
    root.mkdir(parents=True)   # the "/"s in the closing tags make it nested folders
    return root


@pytest.fixture(scope="module")
def empty_app(empty_logdir):
    return create_app(empty_logdir, {"TESTING": True, "REFRESH_SECONDS": 0.5})


@pytest.mark.parametrize("url", ["/", "/scalars", "/compare", "/histograms", "/distributions", "/images", "/text"])
def test_empty_pages_name_the_logdir_escaped(empty_app, empty_logdir, url):
    response = empty_app.test_client().get(url)
    assert response.status_code == 200
    notes = Notes(response.get_data(as_text=True))
    assert notes.body == str(empty_logdir)
    assert notes.notes == [f"Serving logdir {empty_logdir}."]
    assert b"<b>bold</b>" not in response.data and b"<script>x" not in response.data


@pytest.mark.browser
def test_every_empty_page_says_which_logdir_is_served(empty_app, empty_logdir, tmp_path, serve, page, screenshot):
    note = f"Serving logdir {empty_logdir}."
    with serve(empty_app) as url:
        for path, selector in (("/", "#runs-empty"), ("/scalars", "#charts-empty"), ("/graph", "#graph-error"),
                               ("/histograms", "#cards-empty"), ("/images", "#cards-empty")):
            page.goto(url + path)
            box = page.locator(selector)
            box.wait_for(state="visible")
            assert box.locator(".logdir-note").text_content() == note, path
            screenshot("empty-" + (path.strip("/") or "runs"))
        assert page.locator("b, script:not([src])").count() == 0
        page.goto("about:blank")  # the live pages poll: none may meet this server gone
    # A logdir with one run that logged only a scalar: no graph, no texts.
    with tracker.SummaryWriter(str(tmp_path / "only_scalars")) as writer:
        writer.add_scalar("loss", 1.0, 0)
    with serve(create_app(tmp_path, {"TESTING": True})) as url:
        page.goto(f"{url}/graph?run=only_scalars")
        page.locator("#graph-error .logdir-note").wait_for()
        assert page.locator("#graph-error").text_content() == (
            f'Run "only_scalars" has no graph. Pick another run. Serving logdir {tmp_path}.')
        page.goto(f"{url}/runs/only_scalars")
        assert page.locator("#run-texts .empty").text_content() == (
            f"No text logged in this run. Serving logdir {tmp_path}.")
