"""The Runs page while the server builds its first index: it says so, shows the runs found so
far, and fills in the rest without a reload."""

import pytest

import tracker
from dashboard.app import create_app
from dashboard.runs import index as run_index

pytestmark = pytest.mark.browser


def test_the_runs_page_says_it_is_indexing_and_fills_in(tmp_path, serve, page, screenshot, monkeypatch, run_reads):
    root = tmp_path / "logdir"
    for i in range(6):
        with tracker.SummaryWriter(str(root / f"run{i}")) as writer:
            writer.add_scalar("loss", 1.0 / (i + 1), 0)
    monkeypatch.setattr(run_index, "FIRST_CHUNK", 2)
    monkeypatch.setattr(run_index, "CHUNK", 2)
    release = run_reads.hold("run3")
    with serve(create_app(root, {"TESTING": True, "REFRESH_SECONDS": 60})) as url:
        page.goto(f"{url}/")
        page.wait_for_selector("#runs-table tbody tr")
        page.locator("#status", has_text="Indexing the logdir").wait_for()
        assert page.locator("#runs-table tbody tr").count() < 6
        screenshot("runs_indexing")
        release.set()
        # No reload, and the next regular poll is a minute away: the page asks again by itself.
        page.locator('#runs-table tbody tr[data-run="run5"]').wait_for(timeout=20_000)
        assert page.locator("#run-count").text_content() == "6 of 6 runs"
        assert "Indexing" not in page.locator("#status").text_content()
