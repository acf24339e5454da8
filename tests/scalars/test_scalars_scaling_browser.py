"""How a scalar chart scales and zooms, in headless Chromium: outliers ignored by default (TensorBoard's
5th..95th percentile range), "Reset zoom" on any zoomed chart, readable log-scale ticks."""

import math

import pytest

import tracker
from dashboard.app import create_app

pytestmark = pytest.mark.browser

SPIKE = 1000.0


@pytest.fixture(scope="module")
def scaling_server(tmp_path_factory, serve):
    root = tmp_path_factory.mktemp("scaling")
    with tracker.SummaryWriter(str(root / "run")) as writer:
        for step in range(100):
            writer.add_scalar("spiky", SPIKE if step == 50 else 1.0 + step / 100, step)
            writer.add_scalar("decades", 10.0 ** (-step / 12), step)    # 1 down to 1e-8
            writer.add_scalar("narrow", 0.2 + 0.5 * step / 99, step)   # 0.2 .. 0.7, under a decade
    with serve(create_app(root, {"TESTING": True, "REFRESH_SECONDS": 30})) as url:
        yield url


PLOT = """chart => document.querySelector(`[data-chart="${chart}"] .chart-plot`)"""


def drawn(page, chart):
    page.locator(f'[data-chart="{chart}"]').scroll_into_view_if_needed()
    page.wait_for_function(f"chart => {{ const p = ({PLOT})(chart); return p && p.data && p.data.length; }}", arg=chart)


def y_range(page, chart):
    """The y range plotly shows (its computed axis, in log10 units on a log axis)."""
    return page.evaluate(f"chart => ({PLOT})(chart)._fullLayout.yaxis.range.slice()", chart)


def test_outliers_are_ignored_by_default_and_a_checkbox_brings_them_back(page, scaling_server):
    page.goto(f"{scaling_server}/scalars?smoothing=0")
    drawn(page, "spiky")
    assert page.is_checked("#ignore-outliers")
    low, high = y_range(page, "spiky")
    # The 5th..95th percentile of 1.0..1.99 is about 1.05..1.94; padded by a tenth of that span.
    assert 0.9 < low < 1.05 and 1.94 < high < 2.1
    page.uncheck("#ignore-outliers")
    page.wait_for_function(f"() => ({PLOT})('spiky')._fullLayout.yaxis.range[1] > {SPIKE}")
    assert "outliers=0" in page.url
    page.goto(f"{scaling_server}/scalars?smoothing=0&outliers=0")
    drawn(page, "spiky")
    assert not page.is_checked("#ignore-outliers") and y_range(page, "spiky")[1] > SPIKE


def test_reset_zoom_is_offered_on_a_zoomed_chart_that_is_not_downsampled(page, scaling_server):
    page.goto(f"{scaling_server}/scalars?smoothing=0")
    drawn(page, "spiky")
    reset = page.locator('[data-chart="spiky"] .chart-reset')
    assert reset.is_hidden()
    full = y_range(page, "spiky")
    page.evaluate(f"() => Plotly.relayout(({PLOT})('spiky'), {{'xaxis.range': [10, 20], 'yaxis.range': [1.1, 1.2]}})")
    reset.wait_for(state="visible")
    assert "Zoomed" not in page.locator('[data-chart="spiky"] .chart-note').text_content()  # nothing re-queried
    reset.click()
    reset.wait_for(state="hidden")
    x0, x1 = page.evaluate(f"() => ({PLOT})('spiky')._fullLayout.xaxis.range.slice()")
    assert x0 <= 0 and x1 >= 99
    assert y_range(page, "spiky") == pytest.approx(full)  # the outlier-free range again, not autorange
    # A zoom of the y axis alone offers it too, and plotly's own reset (double click, the mode bar's
    # button) is the same reset: the whole x range and the view's own y range.
    page.evaluate(f"() => Plotly.relayout(({PLOT})('spiky'), {{'yaxis.range': [1.1, 1.2]}})")
    reset.wait_for(state="visible")
    page.locator('[data-chart="spiky"] .nsewdrag').dblclick()
    reset.wait_for(state="hidden")
    page.wait_for_function(f"() => ({PLOT})('spiky')._fullLayout.yaxis.range[1] > 1.5")
    assert y_range(page, "spiky") == pytest.approx(full)


TICKS = """chart => Array.from(document.querySelectorAll(`[data-chart="${chart}"] .ytick text`), t => {
  const r = t.getBoundingClientRect();
  return {text: t.textContent, top: r.top, bottom: r.bottom};
})"""


@pytest.mark.parametrize("chart", ["decades", "narrow"])
@pytest.mark.parametrize("outliers", ["1", "0"])
def test_log_scale_tick_labels_are_readable(page, scaling_server, screenshot, chart, outliers):
    page.goto(f"{scaling_server}/scalars?smoothing=0&log=1&outliers={outliers}&tag_regex=^{chart}$")
    drawn(page, chart)
    page.wait_for_function(f"() => ({PLOT})('{chart}')._fullLayout.yaxis.type === 'log'")
    ticks = page.evaluate(TICKS, chart)
    assert 3 <= len(ticks) <= 9, ticks
    ticks.sort(key=lambda t: t["top"])
    assert all(a["bottom"] <= b["top"] for a, b in zip(ticks, ticks[1:])), ticks  # none overlap
    for tick in ticks:
        # A power of ten written as one (10⁻⁴, with plotly's minus), or a plain number: no "1e-4".
        assert "e" not in tick["text"] and tick["text"], ticks
    if chart == "decades":
        powers = [t["text"] for t in ticks if t["text"].startswith("10")]
        assert len(powers) >= 3, ticks
    else:
        values = sorted(float(t["text"]) for t in ticks)
        assert 0.15 < values[0] and values[-1] < 0.8 and len(set(values)) == len(values)
    screenshot(f"scalars-log-{chart}-{outliers}")
    assert math.isfinite(y_range(page, chart)[0])


def test_plotlys_own_reset_returns_to_the_outlier_free_range_after_the_setting_changed(page, scaling_server):
    page.goto(f"{scaling_server}/scalars?smoothing=0&outliers=0")
    drawn(page, "spiky")
    page.check("#ignore-outliers")
    page.wait_for_function(f"() => ({PLOT})('spiky')._fullLayout.yaxis.range[1] < 10")
    robust = y_range(page, "spiky")
    page.evaluate(f"() => Plotly.relayout(({PLOT})('spiky'), {{'xaxis.range': [10, 20], 'yaxis.range': [1.1, 1.2]}})")
    page.locator('[data-chart="spiky"] .chart-reset').wait_for(state="visible")
    page.locator('[data-chart="spiky"] .nsewdrag').dblclick()
    page.locator('[data-chart="spiky"] .chart-reset').wait_for(state="hidden")
    page.wait_for_timeout(300)  # let any further redraw land
    assert y_range(page, "spiky") == pytest.approx(robust)
