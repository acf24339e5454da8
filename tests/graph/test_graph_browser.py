"""The Graph page in headless Chromium, on the seed's running-totals graph built by the engine."""

import re

import pytest

from graph_runs import graph_app, graph_logdir, graph_server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def shape(page, item_id):
    return page.locator(f'#graph-svg-root [data-id="{item_id}"]')


MATCH_FILL, LIT_STROKE = "rgb(255, 245, 157)", "rgb(216, 67, 21)"


def fill(item):
    return item.locator("rect.body").evaluate("rect => getComputedStyle(rect).fill")


def stroke(item):
    return item.locator("rect.body").evaluate("rect => getComputedStyle(rect).stroke")


def open_graph(page, url, query="run=running_totals"):
    page.goto(f"{url}/graph?{query}")
    page.wait_for_selector("#graph-svg-root .item")


def test_scopes_start_collapsed(page, graph_server, screenshot):
    open_graph(page, graph_server)
    for scope in ("transformation", "update", "summaries"):
        assert shape(page, f"b:{scope}").count() == 1
        assert "closed" not in (shape(page, f"b:{scope}").get_attribute("class") or "")
    assert page.locator("#graph-svg-root .frame").count() == 0          # nothing is open
    assert page.locator("#graph-svg-root .edge").count() > 0
    assert shape(page, "b:transformation").locator("text").first.text_content() == "▸ transformation"
    assert page.locator("#graph-id-label").is_hidden()                 # one graph: no graph picker
    screenshot("graph-collapsed")


def test_clicking_a_scope_opens_it_and_a_node_fills_the_panel(page, graph_server, screenshot):
    open_graph(page, graph_server)
    shape(page, "b:transformation").click()
    shape(page, "n:transformation/prod").wait_for()
    assert shape(page, "n:transformation/sum").count() == 1
    assert page.locator("#graph-svg-root .frame").count() == 1
    assert "expand=transformation" in page.url
    assert page.locator("#panel-title").text_content() == "transformation"
    assert page.locator("#panel-facts dd").first.text_content() == "open (click to close)"

    shape(page, "n:transformation/prod").click()
    page.wait_for_selector("#panel-title:text-is('transformation/prod')")
    facts = dict(zip(page.locator("#panel-facts dt").all_text_contents(),
                     page.locator("#panel-facts dd").all_text_contents()))
    assert facts["Op"] == "Prod" and facts["Dtype"] == "float32" and facts["Shape"] == "[]"
    inputs = page.locator("#panel-lists ul").first.locator("button").all_text_contents()
    assert inputs == ["transformation/input"]
    assert "selected" in shape(page, "n:transformation/prod").get_attribute("class")

    # Clicking the open scope's title closes it again.
    page.locator('#graph-svg-root [data-id="b:transformation"] .frame-title').click()
    shape(page, "b:transformation").locator("rect.body").wait_for()
    assert shape(page, "n:transformation/prod").count() == 0
    assert page.locator("#panel-facts dd").first.text_content() == "closed (click to open)"
    screenshot("graph-after-close")


def test_search_finds_a_node_by_regex_and_reveals_it(page, graph_server, screenshot):
    open_graph(page, graph_server)
    page.fill("#graph-search", r"^update/AssignAdd(_\d+)?$")
    page.wait_for_selector("#graph-search-results li")
    titles = page.locator("#graph-search-results button").evaluate_all("els => els.map(e => e.title)")
    assert titles == ["update/AssignAdd", "update/AssignAdd_1"]
    assert page.locator("#graph-search-count").text_content() == "2 matches"
    assert "match" in shape(page, "b:update").get_attribute("class")   # the closed scope that holds them
    assert fill(shape(page, "b:update")) == MATCH_FILL                  # and it shows, over the box colour
    page.locator("#graph-search-results button").first.click()
    shape(page, "n:update/AssignAdd").wait_for()
    page.wait_for_selector("#panel-title:text-is('update/AssignAdd')")
    assert "selected" in shape(page, "n:update/AssignAdd").get_attribute("class")
    assert re.search(r"q=%5Eupdate", page.url) and "expand=update" in page.url


def test_dependencies_are_highlighted_back_to_the_inputs(page, graph_server, screenshot):
    open_graph(page, graph_server, "run=running_totals&expand=transformation")
    shape(page, "n:transformation/output").click()
    page.wait_for_selector("#panel-title:text-is('transformation/output')")
    page.click("#panel-lineage")
    page.wait_for_selector("#graph-svg-root .item.lit")
    lit = set(page.locator("#graph-svg-root .item.lit").evaluate_all("els => els.map(e => e.dataset.id)"))
    assert lit == {"n:transformation/output", "n:transformation/prod", "n:transformation/sum",
                   "n:transformation/input"}
    assert "dimmed" in shape(page, "b:update").get_attribute("class")     # downstream, not a dependency
    assert page.locator("#graph-svg-root .edge.lit").count() == 4
    assert "sources: transformation/input" in page.locator("#status").text_content()
    screenshot("graph-lineage")
    page.click("#graph-clear")
    assert page.locator("#graph-svg-root .lit, #graph-svg-root .dimmed").count() == 0


def test_a_closed_scope_on_the_path_is_lit_in_the_highlight_colour(page, graph_server):
    open_graph(page, graph_server, "run=running_totals&expand=update")
    shape(page, "n:update/AssignAdd").click()
    page.wait_for_selector("#panel-title:text-is('update/AssignAdd')")
    page.click("#panel-lineage")
    page.wait_for_selector("#graph-svg-root .item.lit")
    assert "lit" in shape(page, "b:transformation").get_attribute("class")
    # The scope's own border colour does not hide the highlight.
    assert stroke(shape(page, "b:transformation")) == stroke(shape(page, "n:update/AssignAdd")) == LIT_STROKE


def test_zoom_and_fit_change_the_view(page, graph_server):
    open_graph(page, graph_server)
    viewport = page.locator("#graph-svg-root .viewport")
    fitted = viewport.get_attribute("transform")
    page.click("#graph-zoom-in")
    zoomed = viewport.get_attribute("transform")
    assert zoomed != fitted
    page.mouse.move(700, 500)
    page.mouse.down()
    page.mouse.move(760, 540, steps=5)
    page.mouse.up()
    assert viewport.get_attribute("transform") != zoomed
    page.click("#graph-fit")
    assert viewport.get_attribute("transform") == fitted


def test_download_svg_and_png(page, graph_server):
    open_graph(page, graph_server)
    with page.expect_download() as svg_download:
        page.click("#graph-svg")
    text = open(svg_download.value.path(), encoding="utf-8").read()
    assert text.startswith("<svg") and "transformation" in text and "<style>" in text
    assert svg_download.value.suggested_filename == "running_totals-graph1.svg"
    with page.expect_download() as png_download:
        page.click("#graph-png")
    assert open(png_download.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"


def test_graph_picker_and_runs_without_a_graph(page, graph_server):
    open_graph(page, graph_server, "run=two_graphs")
    assert page.locator("#graph-id-label").is_visible()
    assert page.locator("#graph-id option").count() == 2
    assert page.locator("#graph-id").input_value() == "2"
    label = page.locator("#graph-id option").first.text_content()
    assert label.startswith("#1 · 20 nodes · ")
    # The option fits the sidebar's select rather than being cut off.
    assert page.locator("#graph-id").evaluate(
        "s => { const c = document.createElement('canvas').getContext('2d'); c.font = getComputedStyle(s).font;"
        " return Math.max(...[...s.options].map(o => c.measureText(o.text).width)) + 30 <= s.clientWidth; }")
    page.select_option("#graph-id", "1")
    shape(page, "b:transformation").wait_for()
    page.select_option("#graph-run", "no_graph")
    page.wait_for_selector("#graph-error:has-text('has no graph')")
    assert page.locator("#graph-svg-root .item").count() == 0


def test_two_thousand_nodes_open_at_once(page, graph_server):
    deepest = "/".join(f"s{k}" for k in range(1, 11))
    open_graph(page, graph_server, f"run=big&expand={deepest}")
    assert page.locator("#graph-svg-root .item.node").count() == 2000
    assert page.locator("#graph-svg-root .frame").count() == 10
    page.fill("#graph-search", "^s1/s2/n5$")              # the page still answers input
    page.locator("#graph-search-results button").first.click()
    page.wait_for_selector("#panel-title:text-is('s1/s2/n5')")
    shape(page, "n:s1/s2/n5").click()                      # centred on it, so it can be clicked
    assert "selected" in shape(page, "n:s1/s2/n5").get_attribute("class")


def test_hostile_names_are_text(page, graph_server):
    open_graph(page, graph_server, "run=hostile&expand=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    node = shape(page, "n:<img src=x onerror=alert(1)>/<script>y")
    assert node.locator("text").first.text_content() == "<script>y"
    node.click()
    page.wait_for_selector("#panel-title:has-text('<script>y')")
    facts = page.locator("#panel-facts dd").all_text_contents()
    assert facts[0] == "<script>alert(2)</script>"
    assert page.locator("#graph-panel img, #graph-panel script, #graph-svg-root img").count() == 0


def test_without_a_run_in_the_url_the_first_run_with_a_graph_opens(page, graph_server):
    page.goto(f"{graph_server}/graph")
    page.wait_for_selector("#graph-svg-root .item")
    assert page.locator("#graph-run").input_value() == "big"      # "000_scalars_only" is listed first
    assert "run=big" in page.url
    assert page.locator("#graph-error").is_hidden()


@pytest.mark.allow_console_errors      # the browser logs the 400 answer to the stale link
def test_a_stale_link_opens_the_graph_closed(page, graph_server):
    open_graph(page, graph_server, "run=running_totals&expand=no_such_scope")
    assert shape(page, "b:transformation").count() == 1
    assert "not a scope or series" in page.locator("#status").text_content()
    assert "expand=" not in page.url


def test_the_side_columns_scroll_inside_the_window_after_a_scope_opens(page, graph_server, screenshot):
    page.set_viewport_size({"width": 1200, "height": 500})
    open_graph(page, graph_server, "run=big")
    page.fill("#graph-search", "n1")
    page.wait_for_selector("#graph-search-results button")
    page.locator('#graph-svg-root [data-id^="b:"]').first.click()
    page.wait_for_selector("#graph-svg-root .frame")
    sizes = page.evaluate("""() => ['.graph-sidebar', '.graph-panel'].map(s => {
        const e = document.querySelector(s);
        return {bottom: e.getBoundingClientRect().bottom, client: e.clientHeight, scroll: e.scrollHeight}; })""")
    assert page.evaluate("document.documentElement.scrollHeight") <= 500      # the page itself does not scroll
    for column in sizes:
        assert column["bottom"] <= 500
    sidebar = page.locator(".graph-sidebar")
    assert sizes[0]["scroll"] > sizes[0]["client"]                            # taller than the window: it scrolls
    sidebar.evaluate("e => e.scrollTo(0, e.scrollHeight)")
    last = page.locator(".legend li").last.bounding_box()
    assert last["y"] + last["height"] <= 500                                  # its end can be reached
    screenshot("graph-side-columns-scroll")


def brightness(css_colour):
    r, g, b = (int(v) for v in re.findall(r"\d+", css_colour)[:3])
    return (r + g + b) / 3


def test_the_drawing_follows_the_dark_theme_and_downloads_stay_light(page, graph_server, screenshot):
    page.emulate_media(color_scheme="dark")
    open_graph(page, graph_server)
    canvas = page.evaluate("getComputedStyle(document.querySelector('.graph-canvas')).backgroundColor")
    scope = shape(page, "b:transformation")
    label = scope.locator("text").first.evaluate("t => getComputedStyle(t).fill")
    assert brightness(canvas) < 60 and brightness(fill(scope)) < 100 and brightness(label) > 180
    assert brightness(page.locator(".key-box").evaluate("k => getComputedStyle(k).backgroundColor")) < 100
    screenshot("graph-dark")
    # A downloaded drawing stands alone, without the page's theme: it falls back to the light colours.
    with page.expect_download() as svg_download:
        page.click("#graph-svg")
    text = open(svg_download.value.path(), encoding="utf-8").read()
    assert "var(--node-box, #d7e3fc)" in text and 'fill="#ffffff"' in text
    page.emulate_media(color_scheme="light")
    assert brightness(fill(shape(page, "b:transformation"))) > 200
