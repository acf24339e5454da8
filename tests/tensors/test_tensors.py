"""add_tensor on the dashboard: /api/tensors gives each tensor's dtype and shape, small ones as
text, and the run page shows each tag's latest."""

import numpy as np
import pytest

import tracker
from dashboard.app import create_app


@pytest.fixture(scope="module")
def tensor_logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("tensor_runs")
    with tracker.SummaryWriter(root / "run") as writer:
        writer.add_tensor("w", np.array([[1.0, 0.5], [0.0, 2.0]], np.float32), 0)
        writer.add_tensor("w", np.array([[1.5, 0.5], [0.0, np.nan]], np.float32), 1)
        writer.add_tensor("big", np.zeros((20, 10)), 0)
        writer.add_scalar("loss", 1.0, 0)
    return root


def test_api_tensors_gives_small_ones_as_text(tensor_logdir):
    client = create_app(tensor_logdir).test_client()
    body = client.get("/api/tensors?run=run").get_json()
    assert [(t["tag"], t["step"]) for t in body["tensors"]] == [("big", 0), ("w", 0), ("w", 1)]
    big, w0, w1 = body["tensors"]
    assert (big["dtype"], big["shape"], big["size"], big["text"]) == ("float64", [20, 10], 200, None)
    assert (w0["dtype"], w0["shape"], w0["text"]) == ("float32", [2, 2], "[[1. , 0.5],\n [0. , 2. ]]")
    assert "nan" in w1["text"]
    assert [t["step"] for t in client.get("/api/tensors?run=run&tag=w").get_json()["tensors"]] == [0, 1]
    missing = client.get("/api/tensors?run=run&tag=loss")
    assert missing.status_code == 404 and "no tensor tag 'loss'" in missing.get_json()["error"]
    assert client.get("/api/tensors").status_code == 400


@pytest.mark.browser
def test_run_page_shows_each_tensor_tags_latest(tensor_logdir, serve, page, screenshot):
    with serve(create_app(tensor_logdir, {"TESTING": True})) as url:
        page.goto(f"{url}/runs/run")
        page.wait_for_selector(".tensor-summary[data-tag='w']")
        w = page.locator(".tensor-summary[data-tag='w']")
        assert w.locator(".text-meta").text_content() == "w · step 1 · float32 [2, 2]"
        assert w.locator("pre").text_content() == "[[1.5, 0.5],\n [0. , nan]]"
        big = page.locator(".tensor-summary[data-tag='big']")
        assert big.locator(".empty").text_content() == "200 elements: too many to show here."
        page.locator("#run-tensors").scroll_into_view_if_needed()
        screenshot("run-tensors")
