"""The Compare page in headless Chromium on the shared logdir of real training runs."""

import re
from urllib.parse import quote

import pytest

from conftest import XSS_RUN

pytestmark = pytest.mark.browser
A, B, ADAM = "linreg_lr=0.1", "linreg_lr=0.02", "linreg_adam"


def open_compare(page, url, *runs, extra=""):
    page.goto(f"{url}/compare?" + "&".join(f"run={quote(r)}" for r in runs) + extra)
    page.wait_for_selector("#compare-table tbody tr.section")


def row(page, name):
    # By the label's whole text: a name is split by <wbr>s where it may wrap (dom.js nameText).
    label = page.locator("th", has_text=re.compile(f"^{re.escape(name)}( ≠)?$"))
    return page.locator("#compare-table tbody tr", has=label)


def test_table_highlights_differences_and_hides_equal_rows(page, live_server, screenshot):
    open_compare(page, live_server, A, B, extra="&metric=train/loss")
    headers = page.locator("#compare-table thead th a").all_text_contents()
    assert headers == [B, A]                                       # in the run selector's order
    assert "differs" in row(page, "lr").get_attribute("class")
    assert row(page, "lr").locator("td").all_text_contents() == ["0.02", "0.1"]
    assert "same" in row(page, "optimizer").get_attribute("class")
    assert row(page, "optimizer").is_visible() and row(page, "epochs").is_visible()
    cell = row(page, "train/loss").locator("td").first
    assert cell.locator(".stat .k").all_text_contents() == ["last", "min", "max"]
    assert "(step " in cell.locator(".stat").nth(1).text_content()
    page.wait_for_selector("#compare-parcoords .parcoords")
    page.wait_for_selector("#compare-curves .js-plotly-plot")
    screenshot("compare")

    page.check("#diff-only")
    assert row(page, "optimizer").is_hidden() and row(page, "epochs").is_hidden()
    assert row(page, "lr").is_visible() and row(page, "train/loss").is_visible()
    assert "diff=1" in page.url
    page.uncheck("#diff-only")
    assert row(page, "optimizer").is_visible()


def test_curves_overlay_the_chosen_runs_with_smoothing(page, live_server):
    open_compare(page, live_server, A, B, ADAM, extra="&metric=train/loss&smoothing=0")
    plot = page.locator("#compare-curves .chart-plot")
    page.wait_for_function("() => document.querySelector('#compare-curves .chart-plot').data?.length === 3")
    names = plot.evaluate("p => p.data.map(t => t.meta.run)")
    assert sorted(names) == sorted([A, B, ADAM])
    raw = plot.evaluate("p => p.data[0].y")
    page.locator("#smoothing-value").fill("0.9")
    page.locator("#smoothing-value").dispatch_event("change")
    page.wait_for_function("() => document.querySelector('#compare-curves .chart-plot').data.length === 6")
    smoothed = plot.evaluate("p => p.data.find(t => t.meta.kind === 'main' && t.meta.run === '%s').y" % names[0])
    assert smoothed[0] == pytest.approx(raw[0])                   # debiased: the first value is kept
    assert smoothed[-1] != pytest.approx(raw[-1])
    assert "smoothing=0.9" in page.url


PARCOORDS = "() => document.querySelector('#compare-parcoords').data?.[0]"


def parcoords(page):
    return page.evaluate(f"""() => {{ const t = ({PARCOORDS})();
        return {{runs: t.meta.runs, labels: t.dimensions.map(d => d.label), line: t.line,
                 dims: t.dimensions.map(d => ({{label: d.label, values: Array.from(d.values),
                                               tickvals: d.tickvals, ticktext: d.ticktext}}))}}; }}""")


def table_runs(page):
    return sorted(page.locator("#compare-table thead th a").all_text_contents())


def wait_for_table_runs(page, names):
    page.wait_for_function("names => Array.from(document.querySelectorAll('#compare-table thead th a'),"
                           " a => a.textContent).sort().join('\\n') === names.join('\\n')", arg=sorted(names))


def test_parcoords_draws_the_chosen_runs_coloured_by_the_metric(page, live_server, screenshot):
    open_compare(page, live_server, A, B, ADAM, extra="&metric=train/loss")
    page.wait_for_selector("#compare-parcoords .parcoords")
    data = parcoords(page)
    assert sorted(data["runs"]) == sorted([A, B, ADAM])             # not the XSS run: it is not chosen
    assert {len(d["values"]) for d in data["dims"]} == {3}
    assert data["labels"][-1] == "train/loss"
    assert data["line"]["color"] == data["dims"][-1]["values"]      # a line's colour is its loss
    assert data["line"]["showscale"] is True and data["line"]["colorbar"]["title"]["text"] == "train/loss"
    assert page.locator("#compare-parcoords .colorbar").count() == 1
    epochs = next(d for d in data["dims"] if d["label"] == "epochs")
    assert (epochs["tickvals"], epochs["ticktext"]) == ([0], ["40"])  # a constant: one tick, no range
    assert page.locator("#compare-parcoords .parcoords .axis", has_text="40").count() >= 1
    screenshot("compare-parcoords")


def test_brushing_narrows_the_chosen_runs_and_clearing_it_restores_them(page, live_server, screenshot):
    open_compare(page, live_server, A, B, ADAM, extra="&metric=train/loss")
    page.wait_for_selector("#compare-parcoords .parcoords")
    data = parcoords(page)
    last = len(data["labels"]) - 1
    losses = data["dims"][-1]["values"]
    low, second = sorted(losses)[:2]
    brush = "(p, r) => Plotly.restyle(p, {['dimensions[%d].constraintrange']: [r]})" % last
    page.locator("#compare-parcoords").evaluate(brush, [low * 0.99, second * 1.01])
    inside = sorted(data["runs"][losses.index(v)] for v in (low, second))
    page.wait_for_selector("#status:has-text('brushed: 2 runs chosen')")
    wait_for_table_runs(page, inside)
    assert len(parcoords(page)["runs"]) == 3                          # every chosen line stays drawn
    screenshot("compare-brushed")
    page.locator("#compare-parcoords").evaluate(brush, None)
    page.wait_for_selector("#status:has-text('brush cleared')")
    wait_for_table_runs(page, [A, B, ADAM])
    assert table_runs(page) == sorted([A, B, ADAM])
    assert page.url.count("run=") == 3


def test_no_chosen_run_clears_the_chart_and_choosing_again_brushes_again(page, live_server):
    open_compare(page, live_server, A, B, ADAM, extra="&metric=train/loss")
    page.wait_for_selector("#compare-parcoords .parcoords")
    page.click("[data-run-list] [data-select=none]")
    page.wait_for_selector("#parcoords-note:text-is('No run chosen.')")
    assert page.locator("#compare-parcoords .parcoords").count() == 0
    for name in (A, B, ADAM):
        page.locator(f'[data-run-list] input[data-run="{name}"]').check()
    page.wait_for_function(f"() => ({PARCOORDS})()?.meta.runs.length === 3")
    losses = parcoords(page)["dims"][-1]["values"]
    last = len(parcoords(page)["labels"]) - 1
    page.locator("#compare-parcoords").evaluate(
        "(p, r) => Plotly.restyle(p, {['dimensions[%d].constraintrange']: [r]})" % last,
        [min(losses) * 0.99, min(losses) * 1.01])
    page.wait_for_selector("#status:has-text('brushed: 1 run chosen')")


def test_the_default_metric_is_a_curve_and_hparam_metrics_are_choosable(page, live_server):
    open_compare(page, live_server, A, B)
    page.wait_for_selector("#compare-parcoords .parcoords")
    assert page.locator("#compare-metric").input_value() == "train/loss"   # not the one-point final_loss
    options = page.locator("#compare-metric option").all_text_contents()
    assert "final_loss" in options and "train/loss" in options
    page.select_option("#compare-metric", "final_loss")
    page.wait_for_function(f"() => ({PARCOORDS})()?.dimensions.at(-1).label === 'final_loss'")
    assert "metric=final_loss" in page.url
    page.wait_for_function("() => (document.querySelector('#compare-curves .chart-plot')?.data ?? [])"
                           ".filter(t => t.meta.kind === 'main' && t.meta.tag === 'final_loss').length === 2")


def test_differences_only_hides_the_axes_and_sections_that_agree(page, live_server, screenshot):
    open_compare(page, live_server, A, B, extra="&metric=train/loss")
    page.wait_for_selector("#compare-parcoords .parcoords")
    assert {"lr", "optimizer", "epochs", "train/loss"} <= set(parcoords(page)["labels"])
    page.check("#diff-only")
    page.wait_for_function(f"() => !({PARCOORDS})().dimensions.some(d => d.label === 'epochs')")
    assert parcoords(page)["labels"] == ["lr", "train/loss"]         # optimizer and epochs agree
    assert row(page, "optimizer").is_hidden()
    screenshot("compare-diff-only")
    page.uncheck("#diff-only")
    page.wait_for_function(f"() => ({PARCOORDS})().dimensions.some(d => d.label === 'epochs')")


def test_a_brush_that_misses_every_line_keeps_the_chosen_runs(page, live_server):
    open_compare(page, live_server, A, B, extra="&metric=train/loss")
    page.wait_for_selector("#compare-parcoords .parcoords")
    plot = page.locator("#compare-parcoords")
    last = plot.evaluate("p => p.data[0].dimensions.length - 1")
    highest = max(plot.evaluate("p => p.data[0].dimensions.at(-1).values"))
    plot.evaluate("(p, r) => Plotly.restyle(p, {['dimensions[%d].constraintrange']: [r]})" % last,
                  [highest * 2, highest * 3])
    page.wait_for_selector("#status:has-text('no run passes')")
    assert sorted(page.locator("#compare-table thead th a").all_text_contents()) == sorted([A, B])
    assert "run=" in page.url and "run=&" not in page.url


def test_parcoords_axis_titles_clear_the_mode_bar(page, live_server):
    open_compare(page, live_server, A, B, extra="&metric=train/loss")
    page.wait_for_selector("#compare-parcoords .parcoords .axis-title")
    page.locator("#compare-parcoords").hover()
    bar = page.locator("#compare-parcoords .modebar").bounding_box()
    titles = page.locator("#compare-parcoords .axis-title")
    for i in range(titles.count()):
        box = titles.nth(i).bounding_box()
        assert box["y"] >= bar["y"] + bar["height"] or box["x"] + box["width"] <= bar["x"]


def test_hostile_names_render_as_text(page, live_server):
    open_compare(page, live_server, A, XSS_RUN, extra="&metric=train/loss")
    assert XSS_RUN in page.locator("#compare-table thead").text_content()
    assert row(page, "<b>name</b>").locator("td").all_text_contents() == ["<i>value</i>", "—"]
    assert page.locator("#compare-table img, #compare-table b, #compare-table i").count() == 0


def test_fewer_than_two_runs_asks_for_more(page, live_server):
    page.goto(f"{live_server}/compare?run={quote(A)}")
    page.wait_for_selector("#compare-hint:not([hidden])")
    assert page.locator("#compare-table tbody tr").count() == 0


def test_runs_page_opens_the_comparison(page, live_server):
    page.goto(live_server + "/")
    page.wait_for_selector("#runs-table tbody tr")
    for name in (A, ADAM):
        page.locator(f'#runs-table input[type=checkbox][data-run="{name}"]').check()
    page.click("#open-compare")
    page.wait_for_selector("#compare-table thead th a")
    assert sorted(page.locator("#compare-table thead th a").all_text_contents()) == sorted([A, ADAM])
