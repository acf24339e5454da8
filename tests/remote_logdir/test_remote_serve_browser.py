"""The Scalars page of an s3:// logdir in headless Chromium: the runs in the bucket drawn as curves,
with the values they were written with."""

import pytest

import tracker
from dashboard.app import create_app

pytestmark = pytest.mark.browser
pytest.importorskip("s3fs", reason="s3fs (liteboard[s3], in the dev extra) reads from S3")


def test_the_scalars_page_of_an_s3_logdir_shows_its_runs_curves(bucket, serve, page, screenshot):
    url = f"s3://{bucket}/exp"
    for i, name in enumerate(("lr-0.1", "lr-0.01")):
        with tracker.SummaryWriter(f"{url}/{name}", flush_secs=60) as writer:
            for step in range(200):
                writer.add_scalar("loss", (i + 1) * 100.0 / (step + 1), step)
    with serve(create_app(url, {"TESTING": True})) as base:
        page.goto(f"{base}/scalars?smoothing=0")
        plot = '[data-chart="loss"] .chart-plot'
        page.wait_for_function(f"() => document.querySelector('{plot}')?.data?.length === 2")
        drawn = page.evaluate(f"""() => document.querySelector('{plot}').data
            .map(t => ({{name: t.name, x: Array.from(t.x), y: Array.from(t.y)}}))""")
        screenshot("remote_logdir_scalars")
    assert sorted(t["name"] for t in drawn) == ["lr-0.01", "lr-0.1"]
    for trace in drawn:
        scale = 1.0 if trace["name"] == "lr-0.1" else 2.0
        assert trace["x"] == list(range(200))
        assert trace["y"] == pytest.approx([scale * 100.0 / (step + 1) for step in range(200)])
    assert url in page.locator("body").get_attribute("data-logdir")
