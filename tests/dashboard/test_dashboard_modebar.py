"""No chart on any page offers to send its data off the machine: every mode bar holds only
zoom, pan, reset and download (a logged figure keeps the view buttons that fit its traces)."""

import re
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

CLOUD = re.compile(r"cloud|chart studio|share|edit in", re.I)
CHART_BUTTONS = {"Zoom", "Pan", "Reset axes", "Download plot as a PNG"}

MODE_BARS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(plot => ({
  id: (plot.closest('[data-chart]') || plot.parentElement).getAttribute('data-chart') || plot.id
      || plot.className,
  titles: Array.from(plot.querySelectorAll('.modebar-btn'), b => b.getAttribute('data-title')),
  links: Array.from(plot.querySelectorAll('a[href]'), a => a.getAttribute('href')),
}))"""


def mode_bars(page, selector, count=1):
    page.wait_for_function(f"document.querySelectorAll('{selector} .modebar-btn').length >= {count}")
    return page.evaluate(MODE_BARS)


def assert_local_only(bars):
    assert bars, "no chart was drawn"
    for bar in bars:
        assert bar["titles"], f"{bar['id']}: no mode bar"
        assert not [t for t in bar["titles"] if CLOUD.search(t or "")], bar
        assert not [h for h in bar["links"] if re.match(r"https?:", h)], bar


def test_scalars_charts_offer_zoom_pan_reset_download_only(page, live_server):
    page.goto(f"{live_server}/scalars?run={quote('linreg_lr=0.1')}")
    page.locator('[data-chart="train/loss"]').scroll_into_view_if_needed()
    bars = mode_bars(page, '[data-chart="train/loss"]')
    assert_local_only(bars)
    for bar in bars:
        assert set(bar["titles"]) == CHART_BUTTONS, bar


def test_compare_charts_are_local_only(page, live_server):
    page.goto(f"{live_server}/compare?run={quote('linreg_lr=0.1')}&run={quote('linreg_lr=0.02')}"
              "&metric=train/loss")
    page.wait_for_selector("#compare-parcoords .parcoords")
    bars = mode_bars(page, "#compare-curves")
    assert_local_only(bars)
    parcoords = [b for b in bars if "compare-parcoords" in b["id"]]
    assert parcoords and parcoords[0]["titles"] == ["Download plot as a PNG"]


def test_logged_figures_are_local_only(page, live_server):
    page.goto(f"{live_server}/runs/{quote('linreg_lr=0.1')}")
    page.wait_for_selector("#run-figures .figure-plot .main-svg")
    bars = mode_bars(page, "#run-figures")
    assert_local_only(bars)
    assert "Download plot as a PNG" in bars[0]["titles"]
