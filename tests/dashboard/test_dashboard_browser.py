"""The pages in headless Chromium, on a logdir of real training runs."""

import math
from urllib.parse import quote

import pytest

import tracker
from dashboard.app import create_app

pytestmark = pytest.mark.browser

XSS_RUN = "<img src=x onerror=alert(1)>"  # written by the logdir fixture (tests/conftest.py)
LOSS = "train/loss"
LOSS_RUNS = ["linreg_adam", "linreg_lr=0.02", "linreg_lr=0.1", XSS_RUN]

MAIN_TRACES = """chart => {
  const plot = document.querySelector(`[data-chart="${chart}"] .chart-plot`);
  return (plot && plot.data ? plot.data : []).filter(t => t.meta.kind === "main")
    .map(t => ({run: t.meta.run, tag: t.meta.tag, x: Array.from(t.x, Number), y: Array.from(t.y)}));
}"""


def main_traces(page, chart=LOSS):
    return page.evaluate(MAIN_TRACES, chart)


def wait_for_traces(page, count, chart=LOSS):
    """Charts draw when scrolled into view (as a user would see them); wait for `count` traces."""
    page.locator(f'[data-chart="{chart}"]').scroll_into_view_if_needed()
    page.wait_for_function(f"chart => ({MAIN_TRACES})(chart).length === {count}", arg=chart)
    return main_traces(page, chart)


# The chart's axes as the app laid them out (the figure's layout, not plotly's computed one), and its
# y range: the one the app set, or where it let plotly fit the axis, the extent of the values it drew.
LAYOUT = """chart => {
  const plot = document.querySelector(`[data-chart="${chart}"] .chart-plot`);
  const {xaxis, yaxis} = plot.layout;
  const ys = plot.data.flatMap(t => Array.from(t.y, Number)).filter(Number.isFinite);
  return {xtype: xaxis.type, ytype: yaxis.type, xtitle: xaxis.title.text,
          yrange: yaxis.autorange === false ? yaxis.range : [Math.min(...ys), Math.max(...ys)]};
}"""


def layout(page, chart=LOSS):
    return page.evaluate(LAYOUT, chart)


def wait_for_layout(page, condition, arg=None, chart=LOSS):
    """Wait until `condition` (JavaScript over the layout() fields as `l`, and `arg`) holds."""
    page.wait_for_function(f"([chart, arg]) => (l => {condition})(({LAYOUT})(chart))", arg=[chart, arg])


def running_ema(values, weight, state=(0.0, 0)):
    """TensorBoard's debiased EMA, written independently of static/scalars/smoothing.js: the smoothed values
    of `values` continuing from `state` = (average, finite values seen), and the state after them."""
    out, last, n = [], *state
    for v in values:
        if not math.isfinite(v):
            out.append(v)
            continue
        last = last * weight + (1 - weight) * v
        n += 1
        out.append(last / (1 - weight ** n))
    return out, (last, n)


def ema(values, weight):
    """The whole series smoothed; a constant series is left as it is."""
    finite = [v for v in values if math.isfinite(v)]
    if weight <= 0 or all(v == finite[0] for v in finite):
        return list(values)
    return running_ema(values, weight)[0]


def set_slider(page, value):
    page.evaluate("""value => {
      const slider = document.getElementById("smoothing");
      slider.value = String(value);
      slider.dispatchEvent(new Event("input", {bubbles: true}));
    }""", value)


def test_runs_page_lists_runs_with_status_and_metrics(page, live_server, screenshot):
    page.goto(f"{live_server}/")
    page.wait_for_selector("#runs-table tbody tr")
    names = page.locator("#runs-table tbody td.run-name a").all_text_contents()
    assert {"linreg_lr=0.1", "group/nested", "corrupt", XSS_RUN} <= set(names)
    corrupt = page.locator('#runs-table tbody tr[data-run="corrupt"]')
    assert corrupt.locator(".status-badge").text_content() == "error"
    assert corrupt.locator(".status-reason").text_content()
    headers = page.locator("#runs-table thead button.sort").all_text_contents()
    assert any(h.startswith(LOSS) for h in headers)
    screenshot("runs")
    # Sorting by steps, descending, puts the 40-step training runs first and lives in the URL.
    page.click('button[data-sort="steps"]')
    page.click('button[data-sort="steps"]')
    assert "sort=steps" in page.url and "desc=1" in page.url
    # the server sorts and filters: wait for its answer
    page.wait_for_selector('#runs-table thead th[aria-sort="descending"] button[data-sort="steps"]')
    first = page.locator("#runs-table tbody tr").first.get_attribute("data-run")
    assert first.startswith("linreg")
    page.fill("#run-filter", "^linreg_lr")
    page.wait_for_function("() => document.querySelectorAll('#runs-table tbody tr').length === 2")
    assert sorted(page.locator("#runs-table tbody td.run-name a").all_text_contents()) == ["linreg_lr=0.02", "linreg_lr=0.1"]



def test_the_run_filter_ignores_case_as_tensorboards_does(page, live_server):
    page.goto(f"{live_server}/")
    page.wait_for_selector("#runs-table tbody tr")
    page.fill("#run-filter", "^LINREG_LR")
    page.wait_for_function("() => document.querySelectorAll('#runs-table tbody tr').length === 2")
    assert sorted(page.locator("#runs-table tbody td.run-name a").all_text_contents()) == ["linreg_lr=0.02", "linreg_lr=0.1"]

def test_the_xss_run_name_shows_as_text_everywhere(page, live_server):
    page.goto(f"{live_server}/")
    page.wait_for_selector("#runs-table tbody tr")
    assert XSS_RUN in page.locator("#runs-table tbody td.run-name a").all_text_contents()
    assert page.locator("img").count() == 0
    page.goto(f"{live_server}/scalars")
    page.wait_for_selector("ul.runs li")
    assert XSS_RUN in page.locator("ul.runs .run-name").all_text_contents()
    wait_for_traces(page, len(LOSS_RUNS))
    assert page.locator("img").count() == 0
    page.goto(f"{live_server}/runs/{quote(XSS_RUN)}")
    page.wait_for_selector("#run-texts .text-body")
    assert page.locator("#run-title").text_content() == XSS_RUN
    assert page.locator("#run-texts .text-body").text_content().strip() == "<script>alert('text')</script>"
    assert page.locator("#run-hparams th").first.text_content() == "<b>name</b>"
    assert page.locator("img, #run-texts script, #run-hparams b").count() == 0


def test_run_page_shows_hparams_text_and_figures(page, live_server, screenshot):
    page.goto(f"{live_server}/runs/linreg_lr%3D0.1")
    page.wait_for_selector("#run-figures .figure-plot .main-svg")
    assert page.locator("#run-title").text_content() == "linreg_lr=0.1"
    hparams = dict(zip(page.locator("#run-hparams th").all_text_contents(),
                       page.locator("#run-hparams td").all_text_contents()))
    assert hparams == {"lr": "0.1", "optimizer": "sgd", "epochs": "40"}
    assert "<b>not bold</b>" in page.locator("#run-texts .text-body").text_content()
    assert LOSS in page.locator("#run-tags tbody").text_content()
    assert page.evaluate("document.querySelector('#run-figures .figure-plot').data[0].type") == "scatter"
    screenshot("run")


def test_scalars_page_draws_one_trace_per_selected_run(page, live_server, screenshot):
    page.goto(f"{live_server}/scalars")
    traces = wait_for_traces(page, len(LOSS_RUNS))
    assert sorted(t["run"] for t in traces) == sorted(LOSS_RUNS)
    colours = page.evaluate("""() => document.querySelector('[data-chart="train/loss"] .chart-plot').data
        .filter(t => t.meta.kind === "main").map(t => [t.meta.run, t.line.color])""")
    runs = {r["name"]: r["color"] for r in page.evaluate("fetch('/api/runs').then(r => r.json())")["runs"]}
    assert all(runs[run] == colour for run, colour in colours)
    # Trace names reach plotly escaped for its label markup; the tooltip lists every run, as text.
    names = dict(page.evaluate("""() => document.querySelector('[data-chart="train/loss"] .chart-plot').data
        .filter(t => t.meta.kind === "main").map(t => [t.meta.run, t.name])"""))
    assert names[XSS_RUN] == "&lt;img src=x onerror=alert(1)&gt;"
    page.hover('[data-chart="train/loss"] .chart-plot .nsewdrag')
    page.wait_for_selector('[data-chart="train/loss"] .chart-tooltip:not([hidden])')
    tooltip_runs = page.locator('[data-chart="train/loss"] .chart-tooltip .tooltip-run').all_text_contents()
    assert sorted(tooltip_runs) == sorted(LOSS_RUNS) and page.locator("img").count() == 0
    # Groups are collapsible sections named by prefix; the add_scalars chart holds both of its tags.
    groups = page.locator("details.tag-group > summary .group-name").all_text_contents()
    assert {"gap", "odd", "params", "train"} <= set(groups)
    gap = wait_for_traces(page, 2 * 3, chart="gap")
    assert {t["tag"] for t in gap} == {"gap/train", "gap/val"}
    screenshot("scalars")


def test_smoothing_slider_plots_the_debiased_ema(page, live_server, client):
    page.goto(f"{live_server}/scalars?run=linreg_lr%3D0.1")
    wait_for_traces(page, 1)
    raw = client.get("/api/scalars?run=linreg_lr%3D0.1&tag=train/loss").get_json()["series"][0]["value"]
    for weight in (0.6, 0.95, 0.0, 0.999):
        set_slider(page, weight)
        page.wait_for_function("w => new URL(location).searchParams.get('smoothing') === (w === 0.6 ? null : String(w))", arg=weight)
        plotted = main_traces(page)[0]["y"]
        assert plotted == pytest.approx(ema(raw, weight), rel=1e-12, abs=1e-15)
    raws = page.evaluate("""() => document.querySelector('[data-chart="train/loss"] .chart-plot').data
        .filter(t => t.meta.kind === "raw").map(t => [t.opacity, Array.from(t.y)])""")
    assert len(raws) == 1 and raws[0][0] < 0.5 and raws[0][1] == pytest.approx(raw)


def test_smoothing_leaves_constants_and_passes_non_finite_values(page, live_server):
    page.goto(f"{live_server}/scalars?run=group%2Fnested&smoothing=0.9")
    constant = wait_for_traces(page, 1, chart="odd/constant")[0]["y"]
    assert constant == [0.7] * 5
    values = wait_for_traces(page, 1, chart="odd/values")[0]["y"]
    raw = [1.0, math.nan, 2.0, math.inf, 3.0, -math.inf, 4.0]
    expected = ema(raw, 0.9)
    for got, want in zip(values, expected):
        if math.isfinite(want):
            assert got == pytest.approx(want)
    # plotly keeps non-finite y as null gaps: the point is there, the average skipped it.
    assert values[1] is None or math.isnan(values[1])


def test_log_scale_and_x_axis_choices_change_the_axes(page, live_server):
    page.goto(f"{live_server}/scalars?run=linreg_lr%3D0.1")
    steps = wait_for_traces(page, 1)[0]["x"]
    assert steps == list(range(1, 41))
    assert layout(page)["ytype"] == "linear" and layout(page)["xtitle"] == "step"
    page.check("#log-scale")
    wait_for_layout(page, "l.ytype === 'log'")
    page.check("input[name=x][value=relative]")
    wait_for_layout(page, "l.xtitle.startsWith('relative')")
    relative = main_traces(page)[0]["x"]
    assert relative[0] == 0 and relative == sorted(relative) and relative[-1] < 60
    page.check("input[name=x][value=wall]")
    wait_for_layout(page, "l.xtype === 'date'")
    assert "log=1" in page.url and "x=wall" in page.url
    page.reload()
    wait_for_traces(page, 1)
    assert layout(page)["xtype"] == "date" and layout(page)["ytype"] == "log"
    assert page.is_checked("#log-scale") and page.is_checked("input[name=x][value=wall]")


def test_ignore_outliers_narrows_the_y_range(page, live_server):
    page.goto(f"{live_server}/scalars?run=linreg_lr%3D0.1&smoothing=0&outliers=0")
    wait_for_traces(page, 1)
    full = layout(page)["yrange"]
    page.check("#ignore-outliers")
    wait_for_layout(page, "l.yrange[1] < arg", arg=full[1])
    assert layout(page)["yrange"][1] < full[1]


def test_unticking_a_run_removes_its_trace_and_the_url_keeps_it(page, live_server):
    page.goto(f"{live_server}/scalars")
    wait_for_traces(page, len(LOSS_RUNS))
    page.uncheck('ul.runs input[data-run="linreg_adam"]')
    traces = wait_for_traces(page, len(LOSS_RUNS) - 1)
    assert "linreg_adam" not in [t["run"] for t in traces]
    assert "run=" in page.url
    page.reload()
    wait_for_traces(page, len(LOSS_RUNS) - 1)
    assert not page.is_checked('ul.runs input[data-run="linreg_adam"]')
    page.click("button[data-select=none]")
    page.wait_for_selector("#charts-empty:not([hidden])")
    page.fill("ul.runs ~ *, .run-list .run-filter", "lr=0")
    page.click("button[data-select=all]")
    traces = wait_for_traces(page, 2)
    assert sorted(t["run"] for t in traces) == ["linreg_lr=0.02", "linreg_lr=0.1"]


def test_tag_filter_hides_charts_and_groups_collapse(page, live_server):
    page.goto(f"{live_server}/scalars")
    wait_for_traces(page, len(LOSS_RUNS))
    page.fill("#tag-filter", "^params/w$")
    page.wait_for_selector('[data-chart="train/loss"]', state="hidden")
    assert page.locator('[data-chart="params/w"]').is_visible()
    page.click('details[data-group="params"] > summary')
    page.wait_for_url("**collapsed=params**")  # the URL follows the click's toggle event
    assert not page.locator('[data-chart="params/w"]').is_visible()


@pytest.fixture
def dense_logdir(tmp_path):
    """A run with more points than the chart budget, and a run still being written."""
    with tracker.SummaryWriter(str(tmp_path / "dense")) as writer:
        for step in range(3000):
            writer.add_scalar("loss", math.sin(step / 50) + (5.0 if step == 1234 else 0.0), step,
                              walltime=1.7e9 + step)  # one point a second: 50 minutes
    live = tracker.SummaryWriter(str(tmp_path / "live"))
    for step in range(5):
        live.add_scalar("loss", 1.0 / (step + 1), step)
    live.flush()
    yield tmp_path, live
    live.close()


@pytest.fixture
def dense_server(dense_logdir, serve):
    app = create_app(dense_logdir[0], {"TESTING": True, "REFRESH_SECONDS": 0.3, "MAX_POINTS": 200})
    with serve(app) as url:
        yield url


# The server fixture comes first so that it outlives the page (no polls hit a closed server).
def test_a_downsampled_chart_says_so_and_zoom_requeries_at_full_resolution(dense_server, page, screenshot):
    page.goto(f"{dense_server}/scalars?run=dense&smoothing=0")
    overview = wait_for_traces(page, 1, chart="loss")[0]
    assert len(overview["x"]) <= 200
    assert max(overview["y"]) > 4.5  # the spike at step 1234 (sin + 5 = 4.56) survives downsampling
    note = page.locator('[data-chart="loss"] .chart-note')
    assert "of 3,000 logged points" in note.text_content()
    page.evaluate("""() => Plotly.relayout(document.querySelector('[data-chart="loss"] .chart-plot'),
                                           {"xaxis.range": [1000, 1100]})""")
    page.wait_for_function("() => document.querySelector('[data-chart=\"loss\"] .chart-note').textContent.startsWith('Zoomed: all')")
    zoomed = main_traces(page, "loss")[0]["x"]
    assert zoomed == list(range(999, 1102)) or set(range(1000, 1101)) <= set(zoomed)
    screenshot("scalars-zoomed")
    page.click('[data-chart="loss"] .chart-reset')
    page.wait_for_function("() => document.querySelector('[data-chart=\"loss\"] .chart-note').textContent.startsWith('Showing')")


def test_zoom_on_a_time_axis_requeries_the_matching_steps(dense_server, page):
    page.goto(f"{dense_server}/scalars?run=dense&smoothing=0&x=relative")
    wait_for_traces(page, 1, chart="loss")
    assert layout(page, "loss")["xtitle"] == "relative time (min)"
    page.evaluate("""() => Plotly.relayout(document.querySelector('[data-chart="loss"] .chart-plot'),
                                           {"xaxis.range": [10, 12]})""")
    page.wait_for_function("() => document.querySelector('[data-chart=\"loss\"] .chart-note').textContent.startsWith('Zoomed: all')")
    minutes = main_traces(page, "loss")[0]["x"]
    # Steps 600..720 are minutes 10..12; the window reaches one overview point past each edge.
    assert min(minutes) <= 10 and max(minutes) >= 12
    assert all(b - a == pytest.approx(1 / 60) for a, b in zip(minutes, minutes[1:]))
    # The same on the wall-clock axis, whose range plotly takes as date strings.
    page.click('[data-chart="loss"] .chart-reset')
    page.check("input[name=x][value=wall]")
    page.wait_for_function("() => document.querySelector('[data-chart=\"loss\"] .chart-note').textContent.startsWith('Showing')")
    page.evaluate("""() => {
      const plot = document.querySelector('[data-chart="loss"] .chart-plot');
      const xs = plot.data.flatMap((t) => Array.from(t.x, Number));   // the shown range: the x values drawn
      const [a, b] = [Math.min(...xs), Math.max(...xs)];
      const mid = (a + b) / 2;
      const text = (ms) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");
      Plotly.relayout(plot, {"xaxis.range": [text(mid - 60000), text(mid + 60000)]});
    }""")
    page.wait_for_function("() => document.querySelector('[data-chart=\"loss\"] .chart-note').textContent.startsWith('Zoomed: all')")
    wall = main_traces(page, "loss")[0]["x"]
    assert 120 <= len(wall) <= 200 and all(b - a == 1000 for a, b in zip(wall, wall[1:]))


def test_live_refresh_shows_points_and_runs_written_after_load(dense_logdir, dense_server, page, screenshot):
    logdir, live = dense_logdir
    page.goto(f"{dense_server}/scalars?run=live&smoothing=0")
    assert wait_for_traces(page, 1, chart="loss")[0]["x"] == [0, 1, 2, 3, 4]
    assert page.is_checked("#live")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    live.add_scalar("loss", 0.125, 7)
    live.flush()
    page.wait_for_function(f"() => ({MAIN_TRACES})('loss')[0].x.includes(7)")
    assert main_traces(page, "loss")[0]["y"][-1] == 0.125
    assert any("after=4" in url for url in requests)
    screenshot("scalars-live")
    # A new run shows up in the run selector without a reload.
    with tracker.SummaryWriter(str(logdir / "newcomer")) as writer:
        writer.add_scalar("loss", 2.0, 0)
    page.wait_for_selector('ul.runs input[data-run="newcomer"]')


def test_downloads_link_every_shown_run(page, live_server):
    page.goto(f"{live_server}/scalars")
    wait_for_traces(page, len(LOSS_RUNS))
    href = page.get_attribute('[data-chart="train/loss"] a.download-csv', "href")
    text = page.evaluate("href => fetch(href).then(r => r.text())", href)
    runs = {line.split(",")[0] for line in text.splitlines()[1:]}
    assert len(text.splitlines()) == 1 + 40 * 3 + 10 and len(runs) == len(LOSS_RUNS)


def test_a_tag_first_logged_after_load_gets_its_chart_without_a_reload(dense_logdir, dense_server, page):
    logdir, live = dense_logdir
    page.goto(f"{dense_server}/scalars?run=live&smoothing=0")
    wait_for_traces(page, 1, chart="loss")
    live.add_scalar("later/metric", 3.5, 9)
    live.flush()
    page.wait_for_selector('[data-chart="later/metric"]')
    assert wait_for_traces(page, 1, chart="later/metric")[0]["y"] == [3.5]
    assert page.locator('details[data-group="later"]').is_visible()


def test_log_scale_says_how_many_values_it_cannot_draw(dense_server, page):
    page.goto(f"{dense_server}/scalars?run=dense&smoothing=0")
    values = wait_for_traces(page, 1, chart="loss")[0]["y"]
    note = page.locator('[data-chart="loss"] .chart-note')
    assert "log scale" not in note.text_content()
    page.check("#log-scale")
    hidden = sum(1 for v in values if v <= 0)
    assert hidden > 0
    page.wait_for_function("() => document.querySelector('[data-chart=\"loss\"] .chart-note').textContent.includes('log scale')")
    assert f"{hidden:,} values are ≤ 0 and not drawn on the log scale." in note.text_content()
    page.uncheck("#log-scale")
    page.wait_for_function("() => !document.querySelector('[data-chart=\"loss\"] .chart-note').textContent.includes('log scale')")


def test_an_add_scalars_chart_says_which_line_is_which_tag(page, live_server):
    page.goto(f"{live_server}/scalars?run=linreg_lr%3D0.1&tag_regex=gap")
    traces = wait_for_traces(page, 2, chart="gap")
    assert sorted(t["tag"] for t in traces) == ["gap/train", "gap/val"]
    dashes = page.evaluate("""() => document.querySelector('[data-chart="gap"] .chart-plot').data
      .filter(t => t.meta.kind === "main").map(t => [t.meta.tag, t.line.dash])""")
    assert sorted(dashes) == [["gap/train", "solid"], ["gap/val", "dash"]]
    assert page.locator('[data-chart="gap"] .chart-note').text_content() == "Lines: solid train, dash val."


# static/scalars/smoothing.js evaluated in the page: the running average can be continued from a state.
SMOOTHING = """async ([values, weight, split, constant]) => {
  const m = await import("/static/scalars/smoothing.js");
  const whole = m.smooth(values, weight);
  const { state } = m.runAverage(values.slice(0, split), weight);
  const options = constant === null ? { from: state } : { from: state, constant };
  const rest = m.smooth(values.slice(split), weight, options);
  return { whole, rest, state };
}"""
ODD = [3.0, math.nan, 1.0, math.inf, 4.0, 1.0, -math.inf, 5.0, 9.0, math.nan, 2.0, 6.0]


def same_values(got, want):
    return len(got) == len(want) and all(
        g == pytest.approx(w, rel=1e-12) if math.isfinite(w) else (g == w or math.isnan(g) and math.isnan(w))
        for g, w in zip(got, want))


@pytest.mark.parametrize("weight", [0.6, 0.95, 0.999])
@pytest.mark.parametrize("split", [0, 1, 2, 4, 7, len(ODD)])
def test_smoothing_module_continues_the_average_from_a_state(page, live_server, weight, split):
    page.goto(f"{live_server}/")
    got = page.evaluate(SMOOTHING, [ODD, weight, split, None])
    assert same_values(got["whole"], ema(ODD, weight))
    # The piece after `split` continues the average: together they are the whole series, exactly.
    assert got["rest"] == got["whole"][split:] or same_values(got["rest"], got["whole"][split:])
    _, (last, n) = running_ema(ODD[:split], weight)
    assert got["state"]["count"] == n and got["state"]["ema"] == pytest.approx(last, rel=1e-12)


def test_smoothing_module_keeps_the_constant_rule_for_a_continued_piece(page, live_server):
    page.goto(f"{live_server}/")
    flat = [0.7, math.nan, 0.7, 0.7]
    # A piece of a constant series is left exactly as it is (a seeded average would wobble).
    assert same_values(page.evaluate(SMOOTHING, [[0.7, 0.7] + flat, 0.9, 2, True])["rest"], flat)
    # A constant piece of a series that is not constant is smoothed as its continuation.
    got = page.evaluate(SMOOTHING, [[1.0, 2.0] + flat, 0.9, 2, None])["rest"]
    assert same_values(got, ema([1.0, 2.0] + flat, 0.9)[2:]) and got[-1] != 0.7


def test_zoom_continues_the_running_average_of_the_overview(dense_server, page, screenshot):
    weight = 0.95
    page.goto(f"{dense_server}/scalars?run=dense&smoothing={weight}")
    wait_for_traces(page, 1, chart="loss")
    overview = page.evaluate("u => fetch(u).then(r => r.json())",
                             "/api/scalars?run=dense&tag=loss&max_points=200")["series"][0]
    assert overview["downsampled"]
    page.evaluate("""() => Plotly.relayout(document.querySelector('[data-chart="loss"] .chart-plot'),
                                           {"xaxis.range": [1000, 1100]})""")
    page.wait_for_function("() => document.querySelector('[data-chart=\"loss\"] .chart-note').textContent.startsWith('Zoomed: all')")
    zoomed = main_traces(page, "loss")[0]
    steps = zoomed["x"]
    window = page.evaluate("u => fetch(u).then(r => r.json())",
                           f"/api/scalars?run=dense&tag=loss&start={steps[0]}&end={steps[-1]}")["series"][0]
    assert window["step"] == steps and not window["downsampled"]
    # Expected: the overview's average up to its last point before the window, continued per point.
    before = [v for s, v in zip(overview["step"], overview["value"]) if s < steps[0]]
    overview_smoothed, state = running_ema(before, weight)
    expected, _ = running_ema(window["value"], weight, state)
    assert zoomed["y"] == pytest.approx(expected, rel=1e-9)
    # A restarted average would begin at the raw value; the continued one begins near the overview curve.
    restarted = running_ema(window["value"], weight)[0]
    assert abs(restarted[0] - zoomed["y"][0]) > 0.5
    assert abs(zoomed["y"][0] - overview_smoothed[-1]) < 0.1
    screenshot("scalars-zoomed-smoothed")
    # Changing the smoothing while zoomed re-seeds from the overview at the new weight.
    set_slider(page, 0.99)
    page.wait_for_function("() => new URL(location).searchParams.get('smoothing') === '0.99'")
    expected = running_ema(window["value"], 0.99, running_ema(before, 0.99)[1])[0]
    assert main_traces(page, "loss")[0]["y"] == pytest.approx(expected, rel=1e-9)


def test_live_refresh_continues_the_running_average(dense_logdir, dense_server, page):
    logdir, live = dense_logdir
    page.goto(f"{dense_server}/scalars?run=live&smoothing=0.9")
    held = [1.0 / (step + 1) for step in range(5)]
    assert wait_for_traces(page, 1, chart="loss")[0]["y"] == pytest.approx(ema(held, 0.9), rel=1e-12)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    live.add_scalar("loss", 0.125, 7)
    live.flush()
    page.wait_for_function(f"() => ({MAIN_TRACES})('loss')[0].x.includes(7)")
    assert any("after=4" in url for url in requests)  # only the new point was fetched
    smoothed = main_traces(page, "loss")[0]["y"]
    assert smoothed == pytest.approx(ema(held + [0.125], 0.9), rel=1e-12)
    assert smoothed[-1] != pytest.approx(0.125)  # not an average restarted at the new point
