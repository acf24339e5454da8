"""Table cells wrap names only after "/", "_" or "-", never inside a token (static/dom.js nameText)."""

from urllib.parse import quote

import pytest

import tracker
from dashboard.app import create_app

pytestmark = pytest.mark.browser

RUNS = ["sweep_2026/learning-rate_0.001_batch-size_128_optimizer-adam",
        "sweep_2026/learning-rate_0.010_batch-size_256_optimizer-sgd"]
TAG = "validation/top_5_accuracy-of_the_held_out_subset"

# The characters after which a line of `el`'s text breaks (a character's box starts a new line).
BREAKS = """el => {
  const breaks = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let top = null, previous = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (!box || !node.data[i].trim()) continue;
      if (top !== null && box.top > top + 2) breaks.push(previous);
      top = box.top;
      previous = node.data[i];
    }
  }
  return breaks;
}"""


@pytest.fixture(scope="module")
def long_names_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("long_names")
    for lr, name in zip((0.001, 0.01), RUNS):
        with tracker.SummaryWriter(str(root / name)) as writer:
            for step in range(3):
                writer.add_scalar(TAG, lr * step, step)
            writer.add_hparams({"learning_rate_of_the_optimizer_schedule": lr}, {})
    return create_app(root, {"TESTING": True})


def assert_breaks_between_tokens(page, selector, screenshot_name, screenshot):
    names = page.locator(selector)
    assert names.count() >= 2
    wrapped = 0
    for i in range(names.count()):
        breaks = names.nth(i).evaluate(BREAKS)
        assert set(breaks) <= set("/_-"), (names.nth(i).text_content(), breaks)
        wrapped += bool(breaks)
    assert wrapped                      # the window is narrow enough that names do wrap
    screenshot(screenshot_name)


def test_runs_table_names_wrap_between_tokens(long_names_app, serve, page, screenshot):
    page.set_viewport_size({"width": 640, "height": 700})
    with serve(long_names_app) as url:
        page.goto(f"{url}/")
        page.wait_for_selector("#runs-table tbody tr")
        assert_breaks_between_tokens(page, "#runs-table .name-text", "wrap-runs", screenshot)
        assert page.locator("#runs-table td.run-name .name-text").first.get_attribute("title") in RUNS


def test_compare_table_names_wrap_between_tokens(long_names_app, serve, page, screenshot):
    page.set_viewport_size({"width": 900, "height": 900})
    with serve(long_names_app) as url:
        page.goto(f"{url}/compare?" + "&".join(f"run={quote(r)}" for r in RUNS))
        page.wait_for_selector("#compare-table thead .name-text")
        assert_breaks_between_tokens(page, "#compare-table .name-text", "wrap-compare", screenshot)
        page.goto(f"{url}/runs/{quote(RUNS[0])}")
        page.wait_for_selector("#run-tags tbody .name-text")
        assert set(page.locator("#run-tags .name-text").first.evaluate(BREAKS)) <= set("/_-")

