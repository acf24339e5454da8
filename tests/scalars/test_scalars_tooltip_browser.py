"""The Scalars chart's hover tooltip in headless Chromium: every shown run at the hovered step, in the
order the "tooltip sorting" setting chooses, beside the curves and never over them."""

import math

import pytest

import tracker
from dashboard.app import create_app

pytestmark = pytest.mark.browser

# Three runs whose values never cross: "mid" lies between "high" and "low" at every step.
LEVELS = {"high": 5.0, "low": 1.0, "mid": 2.0}


@pytest.fixture(scope="module")
def levels_server(tmp_path_factory, serve):
    root = tmp_path_factory.mktemp("levels")
    for name, level in LEVELS.items():
        with tracker.SummaryWriter(str(root / name)) as writer:
            for step in range(20):
                writer.add_scalar("loss", level + 0.01 * step, step, walltime=1.7e9 + 30 * step)
    with serve(create_app(root, {"TESTING": True, "REFRESH_SECONDS": 30})) as url:
        yield url


# Client coordinates of data point (x, y) of a chart, from plotly's own axes.
POINT = """([chart, x, y]) => {
  const plot = document.querySelector(`[data-chart="${chart}"] .chart-plot`);
  const {xaxis, yaxis} = plot._fullLayout;
  const box = plot.getBoundingClientRect();
  return [box.left + xaxis._offset + xaxis.l2p(x), box.top + yaxis._offset + yaxis.l2p(y)];
}"""


def open_chart(page, url, query=""):
    page.goto(f"{url}/scalars?smoothing=0{query}")
    page.wait_for_function("() => { const p = document.querySelector('[data-chart=\"loss\"] .chart-plot');"
                           " return p && p.data && p.data.length === 3; }")


def hover(page, step, value):
    x, y = page.evaluate(POINT, ["loss", step, value])
    page.mouse.move(x, y)
    page.wait_for_selector('[data-chart="loss"] .chart-tooltip:not([hidden])')


def rows(page):
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-chart="loss"] .chart-tooltip tbody tr'),
      tr => Array.from(tr.querySelectorAll('td'), td => td.textContent))""")


def test_the_tooltip_lists_every_run_at_the_hovered_step(page, levels_server, screenshot):
    open_chart(page, levels_server)
    hover(page, 10, 2.5)
    got = rows(page)
    # Swatch, run, smoothed, value, step, relative time (30 s a step: step 10 is 5 minutes in).
    assert [r[1:] for r in got] == [[name, f"{level + 0.1:g}", f"{level + 0.1:g}", "10", "5 min 0 s"]
                                    for name, level in LEVELS.items()]
    colours = page.evaluate("""() => Array.from(document.querySelectorAll('[data-chart="loss"] .chart-tooltip .swatch'),
      s => getComputedStyle(s).backgroundColor)""")
    runs = page.evaluate("fetch('/api/runs').then(r => r.json())")["runs"]
    expected = page.evaluate("""colours => colours.map(c => { const s = document.createElement('span');
      s.style.background = c; document.body.append(s); const v = getComputedStyle(s).backgroundColor; s.remove(); return v; })""",
                             [r["color"] for r in sorted(runs, key=lambda r: r["name"])])
    assert colours == expected
    # The tooltip covers no part of the plot area, where the curves are.
    tip = page.locator('[data-chart="loss"] .chart-tooltip').bounding_box()
    plot = page.locator('[data-chart="loss"] .nsewdrag').bounding_box()
    assert tip["y"] >= plot["y"] + plot["height"] or tip["y"] + tip["height"] <= plot["y"]
    assert page.evaluate("document.querySelectorAll('.hoverlayer .hovertext').length") == 0  # no plotly label
    screenshot("scalars-tooltip")
    page.mouse.move(5, 5)
    page.wait_for_selector('[data-chart="loss"] .chart-tooltip', state="hidden")


@pytest.mark.parametrize("sort, cursor, order", [
    ("default", 4.0, ["high", "low", "mid"]),        # the run selector's order
    ("ascending", 4.0, ["low", "mid", "high"]),
    ("descending", 4.0, ["high", "mid", "low"]),
    ("nearest", 2.3, ["mid", "low", "high"]),        # by distance to the cursor: 0.2, 1.4, 2.8
    ("nearest", 4.0, ["high", "mid", "low"]),
])
def test_tooltip_sorting_orders_the_rows(page, levels_server, sort, cursor, order):
    open_chart(page, levels_server)
    page.select_option("#tooltip-sort", sort)
    assert page.url.endswith("smoothing=0") == (sort == "default")
    hover(page, 5, cursor)
    assert [r[1] for r in rows(page)] == order


def test_tooltip_sorting_is_kept_in_the_url(page, levels_server):
    open_chart(page, levels_server, "&tooltip_sort=ascending")
    assert page.input_value("#tooltip-sort") == "ascending"
    hover(page, 3, 4.0)
    assert [r[1] for r in rows(page)] == ["low", "mid", "high"]


def test_tooltip_rows_pick_each_runs_nearest_point_and_put_non_finite_values_last(page, levels_server):
    page.goto(f"{levels_server}/")
    got = page.evaluate("""async () => {
      const { tooltipRows } = await import('/static/scalars/tooltip.js');
      const series = [
        { label: 'a', color: 'red', x: [0, 10, 20], smoothed: [3, NaN, 1], raw: [3, NaN, 1], step: [0, 10, 20], wall: [5, 6, 7], origin: 5 },
        { label: 'b', color: 'blue', x: [0, 4, 8], smoothed: [2, 2, 2], raw: [1, 2, 3], step: [0, 4, 8], wall: [9, 10, 12], origin: 9 },
      ];
      return ['default', 'ascending', 'descending'].map(sort => tooltipRows(series, 9, 0, sort)
        .map(r => [r.label, r.step, r.value, r.relative]));
    }""")
    # At x = 9: run a's nearest point is step 10 (a NaN), run b's is step 8.
    (a, b), = [got[0]]
    assert a[:2] == ["a", 10] and math.isnan(a[2]) and a[3] == 1 and b == ["b", 8, 3, 3]
    assert [r[0] for r in got[1]] == ["b", "a"] and [r[0] for r in got[2]] == ["b", "a"]


@pytest.mark.parametrize("x_mode, hovered", [("relative", 5.0), ("wall", None)])
def test_the_tooltip_finds_the_step_on_a_time_axis(page, levels_server, x_mode, hovered):
    open_chart(page, levels_server, f"&x={x_mode}")
    # Step 10 is 5 minutes in; on the wall-clock axis, the x value the chart drew for it.
    x = hovered if hovered is not None else page.evaluate(
        "() => Number(document.querySelector('[data-chart=\"loss\"] .chart-plot').data[0].x[10])")
    hover(page, x, 3.0)
    assert [r[4:] for r in rows(page)] == [["10", "5 min 0 s"]] * 3
