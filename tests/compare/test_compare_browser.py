"""The Compare page in headless Chromium on the shared logdir of real training runs."""

from urllib.parse import quote

import pytest

from conftest import XSS_RUN

pytestmark = pytest.mark.browser
A, B, ADAM = "linreg_lr=0.1", "linreg_lr=0.02", "linreg_adam"


def open_compare(page, url, *runs, extra=""):
    page.goto(f"{url}/compare?" + "&".join(f"run={quote(r)}" for r in runs) + extra)
    page.wait_for_selector("#compare-table tbody tr.section")


def row(page, name):
    return page.locator("#compare-table tbody tr", has=page.locator(f"th:text-is('{name}')"))


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


def test_parcoords_has_one_line_per_run_and_brushing_chooses_runs(page, live_server, screenshot):
    open_compare(page, live_server, A, B, extra="&metric=train/loss")
    page.wait_for_selector("#compare-parcoords .parcoords")
    plot = page.locator("#compare-parcoords")
    lines = plot.evaluate("p => p.data[0].dimensions.map(d => d.values.length)")
    assert set(lines) == {4}                                       # 3 training runs + the XSS run
    runs = plot.evaluate("p => p.data[0].meta.runs")
    assert sorted(runs) == sorted([A, B, ADAM, XSS_RUN])
    labels = plot.evaluate("p => p.data[0].dimensions.map(d => d.label)")
    assert labels[-1] == "train/loss"
    # Brush the metric axis around the two lowest losses: exactly the runs inside are chosen.
    losses = plot.evaluate("p => p.data[0].dimensions.at(-1).values")
    low, second = sorted(losses)[:2]
    plot.evaluate("(p, r) => Plotly.restyle(p, {['dimensions[%d].constraintrange']: [r]})" % (len(labels) - 1),
                  [low * 0.99, second * 1.01])
    inside = sorted(runs[losses.index(v)] for v in (low, second))
    # Two runs were chosen before the brush too: wait for the brush's own status, then its table.
    page.wait_for_selector("#status:has-text('brushed: 2 runs chosen')")
    page.wait_for_function("names => Array.from(document.querySelectorAll('#compare-table thead th a'),"
                           " a => a.textContent).sort().join('\\n') === names.join('\\n')", arg=inside)
    assert sorted(page.locator("#compare-table thead th a").all_text_contents()) == inside
    assert "brushed: 2 runs chosen" in page.locator("#status").text_content()
    screenshot("compare-brushed")


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
