"""Text summaries rendered as markdown and sanitized (dashboard/runs/markdown.py), through the
renderer, the /api/texts route and, in Chromium, the run page fed hostile texts."""

from html.parser import HTMLParser

import numpy as np
import pytest

import tracker
from dashboard.app import create_app
from dashboard.runs.markdown import markdown_html, text_html


class Elements(HTMLParser):
    """Every start tag of an HTML fragment with its attributes: tests parse, never grep, HTML."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def tags(self):
        return [tag for tag, _ in self.found]


HOSTILE = {
    "script": "<script>window.__pwned = 'script'</script>",
    "img": "<img src=x onerror=\"window.__pwned = 'img'\">",
    "svg": "<svg onload=\"window.__pwned = 'svg'\"></svg>",
    "iframe": "<iframe src=\"javascript:window.__pwned = 'iframe'\"></iframe>",
    "link": "[click me](javascript:window.__pwned='link')",
    "link-case": "[click me](JaVaScRiPt:window.__pwned='case')",
    "link-entity": "[click me](&#106;avascript:window.__pwned='entity')",
    "autolink": "<javascript:window.__pwned='autolink'>",
    "data-link": "[click me](data:text/html,<script>window.__pwned='data'</script>)",
    "reference": "[click me][r]\n\n[r]: javascript:window.__pwned='ref'",
    "image": "![x](javascript:window.__pwned='image')",
    "remote-image": "![tracker](http://example.com/pixel.png)",
    "html-in-table": "| a |\n|---|\n| <b onclick=\"window.__pwned='cell'\">x</b> |",
    "meta": "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src *\">",
    "style": "<style>body { display: none }</style>",
}


def test_markdown_renders_tables_code_lists_and_links():
    html = markdown_html("# Title\n\n| a | b |\n|:--|--:|\n| 1 | **2** |\n\n"
                         "```python\nx = 1 < 2\n```\n\n- one\n- two\n\n3. three\n\n"
                         "Some `code`, ~~gone~~ and [a link](https://example.org \"t\").")
    elements = Elements(html)
    assert elements.tags() == ["h1", "table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td",
                               "strong", "pre", "code", "ul", "li", "li", "ol", "li", "p", "code",
                               "s", "a"]
    assert dict(elements.found)["th"] == {"style": "text-align:right"}
    assert "x = 1 &lt; 2" in html
    assert dict(elements.found)["a"] == {"href": "https://example.org", "title": "t",
                                         "rel": "noopener noreferrer nofollow"}
    assert dict(elements.found)["ol"] == {"start": "3"}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_markdown_keeps_no_script_event_or_unsafe_link(name):
    elements = Elements(markdown_html(HOSTILE[name]))
    assert not {"script", "img", "svg", "iframe", "meta", "style"} & set(elements.tags())
    for _, attrs in elements.found:
        assert not [a for a in attrs if a.startswith("on")]
        href = attrs.get("href", "")
        assert href == "" or href.startswith(("http:", "https:", "mailto:")), href


def test_raw_html_shows_as_text():
    assert markdown_html("<b>not bold</b>") == "<p>&lt;b&gt;not bold&lt;/b&gt;</p>\n"


@pytest.mark.parametrize("value, rows", [
    (np.array([["a", "**b**"], ["c", "d"]]), [["a", "b"], ["c", "d"]]),
    ([["a", "b"], ["c", "d"]], [["a", "b"], ["c", "d"]]),
    (np.array([b"x", b"y"]), [["x"], ["y"]]),
    (["one", "two", "three"], [["one"], ["two"], ["three"]]),
])
def test_a_string_tensor_renders_as_a_table_of_markdown_cells(value, rows):
    html = text_html(value)

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows = []

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag == "td":
                self.rows[-1].append("")

        def handle_data(self, data):
            if self.rows and self.rows[-1] and data.strip():
                self.rows[-1][-1] += data.strip()

    cells = Cells()
    cells.feed(html)
    assert cells.rows == rows
    assert Elements(html).tags()[:2] == ["table", "tbody"]


def test_a_scalar_string_tensor_is_one_markdown_text():
    assert text_html(np.array("**x**")) == "<p><strong>x</strong></p>\n"


@pytest.mark.parametrize("value, error, message", [
    (np.zeros((2, 2, 2), dtype=str), ValueError, "a text tensor has rank 1 or 2 to show as a table, got rank 3"),
    ([["a", 1]], TypeError, "text table cell [0][1] must be a str, got int"),
])
def test_bad_text_values_are_errors_naming_them(value, error, message):
    with pytest.raises(error) as info:
        text_html(value)
    assert str(info.value) == message
    with pytest.raises(TypeError, match="markdown text must be a str, got NoneType"):
        markdown_html(None)


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile_texts")
    with tracker.SummaryWriter(str(root / "texts")) as writer:
        writer.add_text("report", "# Report\n\n| lr | loss |\n|---|---|\n| 0.1 | **0.02** |\n\n"
                        "```\ncode <here>\n```\n\n- item\n\n[docs](https://example.org)", 1)
        for step, name in enumerate(sorted(HOSTILE)):
            writer.add_text(f"hostile/{name}", HOSTILE[name], step)
    return create_app(root, {"TESTING": True, "REFRESH_SECONDS": 0.5})


def test_api_texts_carry_sanitized_html_beside_the_markdown(hostile_app):
    texts = hostile_app.test_client().get("/api/texts?run=texts").get_json()["texts"]
    by_tag = {t["tag"]: t for t in texts}
    assert by_tag["hostile/script"]["text"] == HOSTILE["script"]
    assert by_tag["hostile/script"]["html"] == "<p>&lt;script&gt;window.__pwned = 'script'&lt;/script&gt;</p>\n"
    assert "table" in Elements(by_tag["report"]["html"]).tags()


@pytest.mark.browser
def test_run_page_renders_markdown_and_runs_nothing_hostile(hostile_app, serve, page, screenshot):
    with serve(hostile_app) as url:
        response = page.goto(f"{url}/runs/texts")
        csp = response.headers["content-security-policy"]
        page.wait_for_selector("#run-texts .text-body table")
        assert page.locator("#run-texts .text-body").count() == len(HOSTILE) + 1
        report = page.locator(".text-summary", has_text="report")
        assert report.locator("table td strong").text_content() == "0.02"
        assert report.locator("pre code").text_content() == "code <here>\n"
        assert report.locator("a").get_attribute("href") == "https://example.org"
        # Every link a hostile text left is a plain web link; then look for any sign that something ran.
        for link in page.locator("#run-texts a").all():
            assert link.get_attribute("href").startswith(("http:", "https:", "mailto:"))
        found = page.evaluate("""() => ({
            pwned: window.__pwned ?? null,
            scripts: document.querySelectorAll('#run-texts script, #run-texts iframe, #run-texts img, #run-texts svg, #run-texts style, #run-texts meta').length,
            handlers: [...document.querySelectorAll('#run-texts *')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on')),
            metas: document.querySelectorAll('meta[http-equiv]').length,
            hidden: getComputedStyle(document.body).display})""")
        assert found == {"pwned": None, "scripts": 0, "handlers": [], "metas": 0, "hidden": "block"}
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert page.evaluate("fetch(location.href).then(r => r.headers.get('content-security-policy'))") == csp
        screenshot("run_markdown_texts")


def test_each_text_is_rendered_once_and_the_cache_is_bounded(monkeypatch):
    from dashboard.runs import markdown

    calls = []
    render = markdown._PARSER.render
    monkeypatch.setattr(markdown._PARSER, "render", lambda text: calls.append(text) or render(text))
    markdown.RENDERED.clear()
    text = "a **cached** text"
    assert markdown_html(text) == markdown_html(text) == "<p>a <strong>cached</strong> text</p>\n"
    assert calls == [text]
    huge = "x" * (markdown.CACHE_BYTES + 1)               # heavier than the cache: rendered, not kept
    assert markdown_html(huge).startswith("<p>xxx")
    assert markdown.RENDERED.weight <= markdown.CACHE_BYTES and markdown.RENDERED.get(huge) is None
    markdown.RENDERED.clear()
    assert markdown.RENDERED.weight == 0 and markdown.RENDERED.get(text) is None
