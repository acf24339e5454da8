"""/api/images and /api/images/png on runs that log images through the writer."""

from urllib.parse import quote

import numpy as np
import pytest

import tracker
from tracker.image import decode_png
from dashboard.app import create_app

RUN = "group/<b>run</b>"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    logdir = tmp_path_factory.mktemp("image_runs")
    with tracker.SummaryWriter(logdir / RUN) as w:
        for step in range(5):
            w.add_image("samples/a&b", np.full((3, 4, 6), step * 60, np.uint8), step, walltime=9.0)
        w.add_images("batch", np.zeros((10, 1, 2, 2), np.uint8), 0)
        w.add_scalar("loss", 1.0, 0)
    return create_app(logdir).test_client()


def error_of(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()["error"]


def test_images_list_each_step_with_its_png_url_and_the_png_is_the_image(client):
    body = client.get(f"/api/images?run={quote(RUN)}&tag={quote('samples/a&b')}").get_json()
    (run,) = body["runs"]
    assert body["tag"] == "samples/a&b" and run["run"] == RUN
    assert [i["step"] for i in run["images"]] == [0, 1, 2, 3, 4]
    first = run["images"][3]
    assert {k: first[k] for k in ("width", "height", "channels", "samples", "columns", "wall_time")} == {
        "width": 6, "height": 4, "channels": 3, "samples": 1, "columns": 1, "wall_time": 9.0}
    response = client.get(first["url"])
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    pixels = decode_png(response.data)
    assert pixels.shape == (4, 6, 3) and (pixels == 180).all()
    latest = client.get(f"/api/images?run={quote(RUN)}&tag=batch&max_steps=1").get_json()
    assert latest["runs"][0]["images"][0]["samples"] == 10


@pytest.mark.parametrize("query, status, message", [
    (f"run={quote(RUN)}&tag=batch", 400, "parameter 'step' is required"),
    (f"run={quote(RUN)}&tag=batch&step=x", 400, "parameter 'step' must be an integer"),
    (f"run={quote(RUN)}&tag=batch&step=7", 404, "has no image of tag 'batch' at step 7"),
    (f"run={quote(RUN)}&tag=loss&step=0", 404, "no image tag (it is scalar) 'loss'"),
    ("run=../x&tag=batch&step=0", 404, "does not exist"),
    (f"tag=batch&step=0", 400, "parameter 'run' is required"),
])
def test_bad_png_requests_are_4xx_json(client, query, status, message):
    assert message in error_of(client.get(f"/api/images/png?{query}"), status)


def test_bad_image_lists_are_4xx_json(client):
    assert "no image tag" in error_of(client.get(f"/api/images?run={quote(RUN)}&tag=loss"), 404)
    assert "parameter 'tag' is required" in error_of(client.get(f"/api/images?run={quote(RUN)}"), 400)
