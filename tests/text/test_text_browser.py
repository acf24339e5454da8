"""The Text page in headless Chromium: a card per tag and run, markdown rendered by the server's one
renderer (tables, bold), a 2-D string tensor from the engine's summary.text as a table, and hostile
markdown that never runs: no script, no javascript: link."""

import pytest

pytestmark = pytest.mark.browser


def test_markdown_and_string_tensors_render_as_tables(page, example_server, screenshot):
    page.goto(f"{example_server}/text")
    predictions = page.locator('[data-tag="predictions"][data-run="xor/adam"] table')
    predictions.wait_for()
    assert page.locator('[data-tag="predictions"]:not([hidden])').count() == 2  # a card per XOR run
    header = predictions.locator("th").all_inner_texts()
    assert header == ["x1", "x2", "target", "p(1)"]
    assert predictions.locator("th strong").count() == 1
    assert predictions.locator("tbody tr").count() == 4
    table = page.locator('[data-tag="table"][data-run="kinds"] table')
    table.wait_for()
    assert table.locator("tbody td").all_inner_texts() == ["layer", "units", "hidden", "8"]
    screenshot("text", full_page=False)


def test_hostile_markdown_shows_as_text_and_never_runs(page, example_server):
    page.goto(f"{example_server}/text?tag_regex=notes")
    body = page.locator('[data-tag="notes"] .text-body')
    body.wait_for()
    assert page.locator('[data-tag="notes"] h1').inner_text() == "Notes"
    assert "<script>window.hacked = 1</script>" in body.inner_text()
    assert body.locator("script").count() == 0 and body.locator("a").count() == 0
    assert page.evaluate("window.hacked") is None
    assert page.locator('[data-tag="predictions"]:not([hidden])').count() == 0  # the tag filter
