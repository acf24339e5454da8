"""Every page served under --path_prefix works in Chromium, and nothing it loads leaves the prefix."""

from urllib.parse import quote, urlparse

import pytest

from dashboard.app import create_app

pytestmark = pytest.mark.browser

PREFIX = "/user/me/proxy/6006"
PAGES = {
    "runs": ("/", "#runs-table tbody tr"),
    "run": (f"/runs/{quote('linreg_lr=0.1')}", "#run-figures .figure-plot .main-svg"),
    "scalars": (f"/scalars?run={quote('linreg_lr=0.1')}", '[data-chart="gap"] .chart-plot .main-svg'),
    "graph": (f"/graph?run={quote('linreg_lr=0.1')}", "#graph-svg-root .item"),
    "compare": (f"/compare?run={quote('linreg_lr=0.1')}&run=linreg_adam", "#compare-curves .js-plotly-plot"),
}


@pytest.fixture(scope="module")
def prefixed(logdir, serve):
    app = create_app(logdir, {"TESTING": True, "REFRESH_SECONDS": 0.5, "PATH_PREFIX": PREFIX,
                              "WINDOW_TITLE": "sweep 7"})
    with serve(app) as url:
        yield url


def record(page):
    """Every URL the page requests, and every answer that is an error."""
    requested, failed = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    return requested, failed


@pytest.mark.parametrize("name", PAGES)
def test_a_page_under_the_prefix_works_and_asks_only_under_it(page, prefixed, screenshot, name):
    path, ready = PAGES[name]
    requested, failed = record(page)
    page.goto(f"{prefixed}{PREFIX}{path}")
    page.wait_for_selector(ready)
    page.wait_for_timeout(1200)  # two live-refresh polls
    screenshot(f"prefix-{name}")
    assert page.title().endswith(" · sweep 7")
    outside = [url for url in requested
               if not url.startswith(f"{prefixed}{PREFIX}/") and not url.startswith(("data:", "blob:"))]
    assert not outside, outside
    assert not failed, failed
    assert any("/api/" in url for url in requested)


def test_links_and_tabs_stay_under_the_prefix(page, prefixed):
    requested, failed = record(page)
    page.goto(f"{prefixed}{PREFIX}/")
    page.wait_for_selector("#runs-table tbody tr")
    page.click('#runs-table tr[data-run="linreg_adam"] td.run-name a')
    page.wait_for_url(f"{prefixed}{PREFIX}/runs/linreg_adam")
    page.wait_for_function("() => document.getElementById('run-title')?.textContent === 'linreg_adam'")
    page.click("nav >> text=Scalars")
    page.wait_for_selector("ul.runs li")
    assert page.url.startswith(f"{prefixed}{PREFIX}/scalars")
    page.click("a.brand")
    page.wait_for_selector("#runs-table tbody tr")
    for run in ("linreg_adam", "linreg_lr=0.1"):
        page.check(f'#runs-table tr[data-run="{run}"] input[type=checkbox]')
    page.click("#open-compare")
    page.wait_for_selector("#compare-table tbody tr.section")
    assert page.url.startswith(f"{prefixed}{PREFIX}/compare?run=")
    assert not [url for url in requested if not url.startswith(f"{prefixed}{PREFIX}/")]
    assert not failed, failed


@pytest.mark.parametrize(("seconds", "polls"), [(0, 1), (0.3, 3)])
def test_reload_interval_sets_how_often_the_runs_page_polls(page, logdir, serve, seconds, polls):
    with serve(create_app(logdir, {"TESTING": True, "REFRESH_SECONDS": seconds})) as url:
        requested, _ = record(page)
        page.goto(f"{url}/")
        page.wait_for_selector("#runs-table tbody tr")
        page.wait_for_timeout(1500)
        page.goto("about:blank")  # before the server stops, so no poll meets a closed socket
    count = len([u for u in requested if urlparse(u).path.endswith("/api/runs")])  # the page, then `since` polls
    assert count == polls if seconds == 0 else count >= polls, requested


@pytest.fixture(scope="module")
def prefixed_examples(example_logdir, serve):
    app = create_app(example_logdir, {"TESTING": True, "REFRESH_SECONDS": 0.5, "PATH_PREFIX": PREFIX})
    with serve(app) as url:
        yield url


@pytest.mark.parametrize("name", ["images", "histograms", "distributions", "text", "pr_curves"])
def test_a_tag_page_under_the_prefix_asks_only_under_it(page, prefixed_examples, name):
    requested, failed = record(page)
    page.goto(f"{prefixed_examples}{PREFIX}/{name}")
    if name == "images":
        page.wait_for_function("() => [...document.querySelectorAll('main img')].some(i => i.naturalWidth > 0)")
    page.wait_for_timeout(2000)
    outside = [url for url in requested
               if not url.startswith(f"{prefixed_examples}{PREFIX}/") and not url.startswith(("data:", "blob:"))]
    assert not outside, outside
    assert not failed, failed
    assert any("/api/" in url for url in requested)
