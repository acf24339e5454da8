"""The README's tour: the demo's runs in each page of the dashboard, screenshotted.

`python3 tasks.py screenshots` runs this module with LITEBOARD_SCREENSHOTS=docs/images to refresh the
README's pictures; otherwise they go to test-artifacts/screenshots/ like every browser test's.
"""

import os
from urllib.parse import quote
from pathlib import Path

import pytest
from dashboard.app import create_app
from examples import demo

pytestmark = pytest.mark.browser

LINREG = ["linreg/sgd_lr=0.1", "linreg/adam_lr=0.1", "linreg/sgd_lr=0.01", "linreg/momentum_lr=0.05"]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, browser, serve):
    logdir = tmp_path_factory.mktemp("demo")
    demo.train_all(str(logdir))
    with serve(create_app(str(logdir), {"TESTING": True})) as url:
        yield url


@pytest.fixture
def tour_shot(page, screenshot):
    """Save to docs/images/ when asked to refresh the README, else with the other screenshots."""
    target = os.environ.get("LITEBOARD_SCREENSHOTS")

    def take(name):
        if target:
            Path(target).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(target) / f"{name}.png"))
        return screenshot(f"tour-{name}", full_page=False)
    return take


def test_runs(page, demo_server, tour_shot):
    page.goto(f"{demo_server}/")
    rows = page.locator("tbody tr")
    rows.first.wait_for()
    assert rows.count() == len(demo.demo_run_names())  # each run of the demo, the Keras pair too
    assert page.get_by_text(LINREG[0]).count() >= 1
    tour_shot("runs")


def test_scalars(page, demo_server, tour_shot):
    runs = "&".join(f"run={quote(r)}" for r in LINREG)
    page.goto(f"{demo_server}/scalars?{runs}&tag_regex=train|params")
    page.locator(".js-plotly-plot").first.wait_for()
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .scatterlayer .trace').length >= 8")
    tour_shot("scalars")


def test_graph(page, demo_server, tour_shot):
    page.goto(f"{demo_server}/graph?run={quote('xor/adam_lr=0.05')}&expand=network&expand=network/hidden")
    page.locator('#graph-svg-root [data-id="n:network/hidden/preactivation"]').click()
    page.wait_for_selector("#panel-title:text-is('network/hidden/preactivation')")
    tour_shot("graph")


def test_compare(page, demo_server, tour_shot):
    runs = "&".join(f"run={quote(r)}" for r in LINREG)
    page.goto(f"{demo_server}/compare?{runs}&metric=train/loss")
    page.locator(".js-plotly-plot").first.wait_for()
    page.get_by_text("optimizer").first.wait_for()
    tour_shot("compare")


XOR = ["xor/adam_lr=0.05", "xor/sgd_lr=0.5"]
XOR_RUNS = "&".join(f"run={quote(r)}" for r in XOR)


def drawn_charts(page, count, traces):
    page.wait_for_function(f"""() => [...document.querySelectorAll('.chart-card:not([hidden]) .chart-plot')]
      .filter((p) => p.data && p.data.length === {traces}).length >= {count}""")


def test_histograms(page, demo_server, tour_shot):
    page.goto(f"{demo_server}/histograms?{XOR_RUNS}&tag_regex={quote('hidden/weights$')}")
    drawn_charts(page, 4, 30)  # weights and their gradients, per run: 30 of 400 epochs each
    tour_shot("histograms")


def test_distributions(page, demo_server, tour_shot):
    page.goto(f"{demo_server}/distributions?{XOR_RUNS}&tag_regex={quote('hidden/weights$')}")
    drawn_charts(page, 4, 9)  # nine percentile bands
    tour_shot("distributions")


def test_images(page, demo_server, tour_shot):
    page.goto(f"{demo_server}/images?{XOR_RUNS}&run={quote('keras_mnist_like/validation')}")
    page.wait_for_function("""() => [...document.querySelectorAll('.image-card:not([hidden]) img')]
      .filter((i) => i.complete && i.naturalWidth > 0).length === 3""")
    assert page.get_attribute('[data-run="xor/adam_lr=0.05"] img', "data-step") == "400"
    tour_shot("images")


def test_text(page, demo_server, tour_shot):
    page.goto(f"{demo_server}/text?{XOR_RUNS}")
    page.wait_for_function("() => document.querySelectorAll('.text-card:not([hidden]) table').length === 2")
    tour_shot("text")
