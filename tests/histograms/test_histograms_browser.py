"""The Histograms and Distributions pages in headless Chromium, on runs of the XOR example
(histograms of its weights and gradients over 120 epochs): a chart per tag and run, in the run's
colour, offset and overlay modes, hover, the nine percentile bands, the x axis, URL state, tag
groups, and live refresh that fetches only the run that logged more."""

from urllib.parse import quote

import numpy as np
import pytest

pytestmark = pytest.mark.browser

TAG = "summaries/network/hidden/weights"
RUNS = ["xor/adam", "xor/sgd"]


def card(tag, run):
    return f'[data-tag="{tag}"][data-run="{run}"]'


def drawn(page, tag, run, traces):
    selector = f"{card(tag, run)} .chart-plot"
    page.locator(selector).scroll_into_view_if_needed()
    page.wait_for_function(f"""() => {{ const p = document.querySelector('{selector}');
      return p && p.data && p.data.length === {traces}; }}""")
    return selector


def run_colors(page, server):
    return {r["name"]: r["color"] for r in page.request.get(f"{server}/api/runs").json()["runs"]}


def test_a_chart_per_tag_and_run_offset_in_depth_then_overlaid(page, example_server, screenshot):
    page.goto(f"{example_server}/histograms?tag_regex={quote('hidden/weights$')}")
    # two tags match (the weights and their gradients), each charted once per run
    page.wait_for_function("() => document.querySelectorAll('.histogram-chart:not([hidden])').length === 4")
    colors = run_colors(page, example_server)
    for run in RUNS:
        plot = drawn(page, TAG, run, 30)  # 120 steps logged, 30 drawn, the latest kept
        data = page.evaluate(f"""() => {{ const p = document.querySelector('{plot}');
          return {{ steps: p.data.map((t) => t.customdata[0][0]), fill: p.data[29].fill,
                   line: p.data[29].line.color, reversed: p._fullLayout.yaxis.range[0] > p._fullLayout.yaxis.range[1] }}; }}""")
        assert data["steps"] == sorted(data["steps"]) and data["steps"][0] == 1 and data["steps"][-1] == 120
        assert data["fill"] == "toself" and data["reversed"] is True  # later steps lower, drawn last
        swatch = page.eval_on_selector(f"{card(TAG, run)} .swatch", "e => getComputedStyle(e).backgroundColor")
        r, g, b = (int(colors[run][i:i + 2], 16) for i in (1, 3, 5))
        assert swatch == f"rgb({r}, {g}, {b})" == data["line"].replace(",", ", ")  # the latest step in the run's own colour
    screenshot("histograms-offset", full_page=False)

    page.check("input[name=mode][value=overlay]")
    assert "mode=overlay" in page.url
    plot = drawn(page, TAG, RUNS[0], 30)
    page.wait_for_function(f"() => document.querySelector('{plot}').layout.yaxis.title.text === 'count'")
    assert page.evaluate(f"document.querySelector('{plot}').data.every((t) => !t.fill || t.fill === 'none')")
    screenshot("histograms-overlay", full_page=False)
    page.reload()
    assert page.is_checked("input[name=mode][value=overlay]")


def test_hover_names_step_bucket_and_count(page, example_server):
    page.goto(f"{example_server}/histograms?run=xor%2Fadam&tag_regex={quote('^' + TAG + '$')}")
    plot = drawn(page, TAG, "xor/adam", 30)
    point = page.evaluate(f"""() => {{ const p = document.querySelector('{plot}');
      const t = p.data[29]; const i = t.customdata.findIndex((c) => c[3] > 0);
      Plotly.Fx.hover(p, [{{ curveNumber: 29, pointNumber: i }}]); return t.customdata[i]; }}""")
    page.wait_for_selector(".hoverlayer .hovertext")
    text = page.text_content(".hoverlayer .hovertext").replace("\u2212", "-")
    assert "step 120" in text and point[0] == 120
    assert f"[{float(point[1]):.4g}, {float(point[2]):.4g})" in text and f"count {float(point[3]):.4g}" in text


def test_distributions_draw_nine_bands_by_step_relative_or_wall(page, example_server, example_logdir, screenshot):
    import tracker
    from dashboard.histograms.distributions import percentiles

    page.goto(f"{example_server}/distributions?run=xor%2Fadam&tag_regex={quote('^' + TAG + '$')}")
    plot = drawn(page, TAG, "xor/adam", 9)
    data = page.evaluate(f"""() => {{ const p = document.querySelector('{plot}');
      return {{ names: p.data.map((t) => t.name), x: p.data[4].x, median: p.data[4].y,
               fills: p.data.map((t) => t.fill), type: p.layout.xaxis.type }}; }}""")
    assert data["names"] == ["0%", "6.68%", "15.87%", "30.85%", "50%", "69.15%", "84.13%", "93.32%", "100%"]
    assert data["fills"] == ["none"] + ["tonexty"] * 8 and data["type"] == "linear"
    with tracker.open_run(example_logdir, "xor/adam") as run:
        last = run.histograms(TAG)[-1]
    assert data["x"][-1] == 120
    assert data["median"][-1] == pytest.approx(percentiles(last.edges, last.counts, last.min, last.max)[4])
    screenshot("distributions", full_page=False)
    page.check("input[name=x][value=wall]")
    page.wait_for_function(f"() => document.querySelector('{plot}').layout.xaxis.type === 'date'")
    page.check("input[name=x][value=relative]")
    page.wait_for_function(f"() => document.querySelector('{plot}').layout.xaxis.title.text.startsWith('relative')")
    assert "x=relative" in page.url


def test_tag_groups_fold_and_the_run_filter_hides_runs_in_the_url(page, example_server):
    page.goto(f"{example_server}/histograms?run_regex=sgd")
    page.wait_for_selector('details[data-group="summaries"] .histogram-chart:not([hidden])')
    shown = page.eval_on_selector_all(".histogram-chart:not([hidden])", "cs => cs.map((c) => c.dataset.run)")
    assert shown and set(shown) == {"xor/sgd"}
    page.click('details[data-group="summaries"] > summary')
    page.wait_for_function("() => new URL(location).searchParams.get('collapsed') === 'summaries'")
    page.reload()
    # The sections are built once the page has read its tags: wait for it, then look.
    page.wait_for_selector('details[data-group="summaries"]', state="attached")
    assert page.eval_on_selector('details[data-group="summaries"]', "d => d.open") is False


def test_live_refresh_fetches_only_the_run_that_logged_more(page, serve, tmp_path):
    import tracker
    from dashboard.app import create_app

    rng = np.random.default_rng(0)
    writers = {name: tracker.SummaryWriter(str(tmp_path / name)) for name in ("growing", "still")}
    for step in range(3):
        for writer in writers.values():
            writer.add_histogram("w", rng.normal(size=50), step)
    for writer in writers.values():
        writer.flush()
    asked = []
    with serve(create_app(tmp_path, {"TESTING": True, "REFRESH_SECONDS": 0.3})) as url:
        page.on("request", lambda request: asked.append(request.url) if "/api/histograms" in request.url else None)
        page.goto(f"{url}/histograms")
        drawn(page, "w", "growing", 3)
        drawn(page, "w", "still", 3)
        asked.clear()
        for step in range(3, 5):
            writers["growing"].add_histogram("w", rng.normal(size=50) + step, step)
        writers["growing"].flush()
        drawn(page, "w", "growing", 5)
        page.wait_for_timeout(1000)  # a few more polls: nothing new anywhere
        page.goto("about:blank")  # no poll left to meet the server gone
    for writer in writers.values():
        writer.close()
    assert asked and all("run=growing" in u for u in asked), asked
