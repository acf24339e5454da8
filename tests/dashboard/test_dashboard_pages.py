"""The HTML pages and the files they load, parsed rather than grepped."""

from html.parser import HTMLParser

import pytest

XSS_RUN = "<img src=x onerror=alert(1)>"  # written by the logdir fixture (tests/conftest.py)


class Page(HTMLParser):
    """The elements of a page as (tag, attrs, text) with text of leaf-ish elements."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.stack = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "ancestors": [e["tag"] for e in self.stack]}
        self.elements.append(element)
        if tag not in ("meta", "link", "input", "br", "img"):
            self.stack.append(element)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self.stack:
            element["text"] += data

    def find(self, tag, **attrs):
        return [e for e in self.elements if e["tag"] == tag
                and all(e["attrs"].get(k.rstrip("_")) == v for k, v in attrs.items())]


def parse(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


@pytest.mark.parametrize("url, active, module", [
    ("/", "Runs", "runs/runs.js"),
    ("/scalars", "Scalars", "scalars/scalars.js"),
    ("/runs/linreg_lr=0.1", "Runs", "runs/run.js"),
    ("/histograms", "Histograms", "histograms/histograms.js"),
    ("/distributions", "Distributions", "histograms/distributions.js"),
    ("/images", "Images", "images/images.js"),
    ("/text", "Text", "text/text.js"),
])
def test_pages_have_the_nav_and_their_module(client, url, active, module):
    page = parse(client, url)
    nav = {a["text"].strip(): a["attrs"]["href"] for a in page.find("a") if "nav" in a["ancestors"]}
    assert nav == {"Runs": "/", "Scalars": "/scalars", "Histograms": "/histograms", "Distributions": "/distributions",
                   "Images": "/images", "Text": "/text", "PR curves": "/pr_curves", "Graph": "/graph",
                   "Compare": "/compare"}
    assert [a["text"].strip() for a in page.find("a", class_="active")] == [active]
    # Every page runs the theme module (the top bar's theme choice) and its own.
    assert [s["attrs"]["src"] for s in page.find("script", type="module")] == ["/static/theme.js", f"/static/{module}"]
    choice = page.find("select", id="theme-choice")[0]
    assert [o["attrs"]["value"] for o in page.find("option") if "select" in o["ancestors"]][:3] == ["system", "light", "dark"]
    assert choice
    assert page.find("body")[0]["attrs"]["data-refresh-seconds"] == "0.5"


def test_chart_pages_load_plotly_from_the_server_not_a_cdn(client):
    for url in ("/scalars", "/runs/linreg_lr=0.1", "/histograms", "/distributions"):
        sources = [s["attrs"].get("src", "") for s in parse(client, url).find("script")]
        assert "/vendor/plotly.min.js" in sources
        assert not any(src.startswith(("http:", "https:", "//")) for src in sources)


def test_plotly_js_is_the_installed_packages_bundle(client):
    from dashboard.web.resources import plotly_js_path

    response = client.get("/vendor/plotly.min.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.data == plotly_js_path().read_bytes()
    assert response.cache_control.max_age == 86400


def test_scalars_page_has_the_controls_and_the_run_selector(client):
    page = parse(client, "/scalars")
    slider = page.find("input", id="smoothing")[0]["attrs"]
    assert (slider["min"], slider["max"], slider["value"]) == ("0", "0.999", "0.6")
    assert [r["attrs"]["value"] for r in page.find("input", name="x")] == ["step", "relative", "wall"]
    for element_id in ("log-scale", "ignore-outliers", "live", "tag-filter"):
        assert page.find("input", id=element_id)
    assert "checked" in page.find("input", id="ignore-outliers")[0]["attrs"]  # on by default, as in TensorBoard
    assert [o["attrs"]["value"] for o in page.find("option") if "select" in o["ancestors"]][3:] == \
        ["default", "ascending", "descending", "nearest"]
    selector = page.find("section", class_="run-list")[0]
    assert "data-run-list" in selector["attrs"]
    assert {b["attrs"]["data-select"] for b in page.find("button") if "data-select" in b["attrs"]} == {"all", "none"}
    assert page.find("template", id="chart-template")


def test_a_hostile_run_name_is_escaped_in_its_page(client):
    from urllib.parse import quote

    response = client.get(f"/runs/{quote(XSS_RUN)}")
    html = response.get_data(as_text=True)
    assert "<img src=x" not in html
    page = Page(html)
    assert page.find("h1", id="run-title")[0]["text"] == XSS_RUN
    assert page.find("article", id="run-page")[0]["attrs"]["data-run"] == XSS_RUN
    assert not page.find("img")


@pytest.mark.parametrize("url", ["/nope", "/runs/", "/static/nope.js"])
def test_unknown_pages_are_404_pages(client, url):
    response = client.get(url)
    assert response.status_code == 404


def test_a_404_page_escapes_what_it_echoes(client):
    response = client.get("/%3Cscript%3Ealert(1)%3C/script%3E")
    assert response.status_code == 404
    assert "<script>alert" not in response.get_data(as_text=True)


@pytest.mark.parametrize("name", ["scalars/smoothing.js", "run_list.js", "url_state.js", "api.js", "scalars/chart.js", "style.css"])
def test_static_files_are_served(client, name):
    response = client.get(f"/static/{name}")
    assert response.status_code == 200 and len(response.data) > 100


def test_static_paths_cannot_leave_the_static_folder(client):
    for url in ("/static/../dashboard/app.py", "/static/%2e%2e/dashboard/app.py", "/static/..%2fpyproject.toml"):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/", "/scalars", "/runs/linreg_lr=0.1"])
def test_pages_forbid_inline_and_foreign_scripts(client, url):
    response = client.get(url)
    policy = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
