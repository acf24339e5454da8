"""Enlarging and pinning scalar charts in headless Chromium: a chart grows to the page's width, and
pinned charts form a "Pinned" group at the top, kept in the URL and remembered for the next visit."""

import pytest

pytestmark = pytest.mark.browser

LOSS = "train/loss"


def card(page, chart, pinned=False):
    group = "details.pinned" if pinned else "details.tag-group:not(.pinned)"
    return page.locator(f'{group} [data-chart="{chart}"]')


def drawn(page, chart, pinned=False):
    card(page, chart, pinned).scroll_into_view_if_needed()
    group = "details.pinned" if pinned else "details.tag-group:not(.pinned)"
    page.wait_for_function("""([group, chart]) => {
      const p = document.querySelector(`${group} [data-chart="${chart}"] .chart-plot`);
      return p && p.data && p.data.length > 0; }""", arg=[group, chart])


def test_enlarge_gives_a_chart_the_whole_row_and_shrink_takes_it_back(page, live_server, screenshot):
    page.goto(f"{live_server}/scalars?run=linreg_lr%3D0.1")
    drawn(page, LOSS)
    loss = card(page, LOSS)
    grid = page.locator('details[data-group="train"] .chart-grid').bounding_box()
    narrow = loss.bounding_box()["width"]
    assert narrow < grid["width"] * 0.75
    loss.locator(".chart-enlarge").click()
    page.wait_for_function(f"""() => document.querySelector('[data-chart="{LOSS}"] .main-svg')
      .getBoundingClientRect().width > {grid["width"] * 0.9}""")  # the plot redrew at the new width
    assert loss.bounding_box()["width"] == pytest.approx(grid["width"], abs=2)
    assert loss.locator(".chart-enlarge").get_attribute("aria-pressed") == "true"
    screenshot("scalars-enlarged")
    loss.locator(".chart-enlarge").click()
    page.wait_for_function(f"""() => document.querySelector('[data-chart="{LOSS}"] .main-svg')
      .getBoundingClientRect().width < {narrow + 2}""")


def test_pinned_charts_form_a_group_at_the_top_kept_in_the_url_and_remembered(page, live_server, screenshot):
    page.goto(f"{live_server}/scalars?run=linreg_lr%3D0.1")
    drawn(page, LOSS)
    assert page.locator("details.pinned").is_hidden()
    card(page, LOSS).locator(".chart-pin").click()
    drawn(page, LOSS, pinned=True)
    groups = page.locator("details.tag-group:not([hidden]) > summary .group-name").all_text_contents()
    assert groups[0] == "Pinned" and "train" in groups[1:]
    assert card(page, LOSS).is_visible()  # the chart stays in its own group too
    assert card(page, LOSS).locator(".chart-pin").text_content() == "Unpin"
    assert "pinned=train%2Floss" in page.url
    card(page, "params/w").locator(".chart-pin").click()
    drawn(page, "params/w", pinned=True)
    assert page.locator("details.pinned [data-chart]").evaluate_all("cs => cs.map(c => c.dataset.chart)") \
        == ["params/w", LOSS]
    screenshot("scalars-pinned")
    # A new visit without the pins in the URL finds them remembered; a URL's own list wins.
    page.goto(f"{live_server}/scalars?run=linreg_lr%3D0.1")
    drawn(page, LOSS, pinned=True)
    assert page.locator("details.pinned [data-chart]").count() == 2
    page.goto(f"{live_server}/scalars?run=linreg_lr%3D0.1&pinned=params%2Fb")
    drawn(page, "params/b", pinned=True)
    assert page.locator("details.pinned [data-chart]").evaluate_all("cs => cs.map(c => c.dataset.chart)") == ["params/b"]
    # Unpinning from the Pinned group empties it, and the group goes.
    card(page, "params/b", pinned=True).locator(".chart-pin").click()
    page.locator("details.pinned").wait_for(state="hidden")
    assert "pinned" not in page.url
    assert card(page, "params/b").locator(".chart-pin").text_content() == "Pin"


def test_a_pinned_tag_no_run_has_is_left_out(page, live_server):
    page.goto(f"{live_server}/scalars?run=linreg_lr%3D0.1&pinned=no/such/tag")
    drawn(page, LOSS)
    assert page.locator("details.pinned").is_hidden()
    assert page.locator("details.pinned [data-chart]").count() == 0
