"""/api/histograms and /api/distributions on runs that log histograms through the writer."""

from urllib.parse import quote

import numpy as np
import pytest

import tracker
from dashboard.app import create_app
from dashboard.histograms.distributions import BASIS_POINTS, distribution, percentiles


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    logdir = tmp_path_factory.mktemp("histogram_runs")
    rng = np.random.default_rng(5)
    for name, scale in (("a", 1.0), ("b", 2.0)):
        with tracker.SummaryWriter(logdir / name) as w:
            for step in range(0, 1000, 10):
                w.add_histogram("layer/weights", rng.normal(0, scale, 500), step, bins=20,
                                walltime=1000.0 + step)
            w.add_histogram("nan", [1.0, np.nan, np.inf], 0, bins=2)
            w.add_histogram("huge", [1e200, -1e200], 0, bins=2)  # its sum of squares is +inf
            w.add_scalar("loss", 1.0, 0)
    return create_app(logdir, {"HISTOGRAM_STEPS": 30}).test_client()


def get(client, route, **params):
    runs = params.pop("runs", ["a"])
    query = "&".join([f"run={quote(r)}" for r in runs]
                     + [f"{k}={quote(str(v))}" for k, v in params.items()])
    return client.get(f"{route}?{query}")


def error_of(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()["error"]


def test_histograms_of_each_run_by_step_downsampled_to_real_steps(client):
    body = get(client, "/api/histograms", runs=["a", "b"], tag="layer/weights").get_json()
    assert body["tag"] == "layer/weights" and [r["run"] for r in body["runs"]] == ["a", "b"]
    hists = body["runs"][0]["histograms"]
    steps = [h["step"] for h in hists]
    assert 25 <= len(steps) <= 30 and steps[0] == 0 and steps[-1] == 990
    assert all(step % 10 == 0 for step in steps)
    first = hists[0]
    assert set(first) == {"step", "wall_time", "count", "min", "max", "sum", "sum_squares",
                          "nan_count", "neg_inf_count", "pos_inf_count", "edges", "counts"}
    assert first["count"] == 500 == sum(first["counts"])
    assert len(first["edges"]) == len(first["counts"]) + 1 and first["wall_time"] == 1000.0
    every = get(client, "/api/histograms", tag="layer/weights", max_steps=1000).get_json()
    assert len(every["runs"][0]["histograms"]) == 100


def test_non_finite_values_are_counted_and_non_finite_statistics_are_strings(client):
    (h,) = get(client, "/api/histograms", tag="nan").get_json()["runs"][0]["histograms"]
    assert (h["nan_count"], h["pos_inf_count"], h["count"]) == (1, 1, 3)
    response = get(client, "/api/histograms", tag="huge")
    assert b"Infinity" in response.data and b"NaN" not in response.data
    (h,) = response.get_json()["runs"][0]["histograms"]
    assert (h["sum_squares"], h["edges"], h["counts"]) == ("Infinity", [-1e200, 0.0, 1e200], [1.0, 1.0])


def test_distributions_are_the_nine_percentiles_of_each_step(client):
    body = get(client, "/api/distributions", tag="layer/weights", max_steps=5).get_json()
    assert body["percentiles"] == [0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100]
    run = body["runs"][0]
    assert run["run"] == "a" and run["step"] == [0, 240, 490, 740, 990]
    assert len(run["wall_time"]) == 5 and all(len(v) == 9 for v in run["values"])
    with tracker.open_run(client.application.config["LOGDIR"], "a") as r:
        h = {x.step: x for x in r.histograms("layer/weights")}[240]
    values = run["values"][1]
    assert values[0] == h.min and values[-1] == h.max and values == sorted(values)
    assert abs(values[4]) < 0.3  # the median of N(0, 1)


def test_percentiles_interpolate_within_buckets():
    edges, counts = np.array([0.0, 1.0, 2.0, 4.0]), np.array([1.0, 0.0, 3.0])
    values = percentiles(edges, counts, 0.5, 3.5)
    assert len(values) == len(BASIS_POINTS) and values[0] == 0.5 and values[-1] == 3.5
    # half of the 4 values: a third into bucket 3, which holds [2, 3.5] (its edge clipped to max)
    assert values[4] == pytest.approx(2 + (2 - 1) / 3 * 1.5)
    assert values[1] == pytest.approx(0.5 + 0.0668 * 4 * 0.5)  # bucket 1 is [0.5, 1]
    assert percentiles(edges, np.zeros(3), 1.0, 1.0) == [1.0] * 9


@pytest.mark.parametrize("route", ["/api/histograms", "/api/distributions"])
@pytest.mark.parametrize("params, status, message", [
    ({"tag": "layer/weights", "runs": []}, 400, "parameter 'run' is required"),
    ({"runs": ["a"]}, 400, "parameter 'tag' is required"),
    ({"tag": "layer/weights", "max_steps": 0}, 400, "parameter 'max_steps' must be at least 1"),
    ({"tag": "layer/weights", "max_steps": 10**6}, 400, "parameter 'max_steps' must be at most 10000"),
    ({"tag": "layer/weights", "max_steps": "x"}, 400, "parameter 'max_steps' must be an integer"),
    ({"tag": "loss"}, 404, "run 'a' has no histogram tag (it is scalar) 'loss'"),
    ({"tag": "nope"}, 404, "run 'a' has no tag 'nope'"),
    ({"tag": "layer/weights", "runs": ["zzz"]}, 404, "run 'zzz' does not exist"),
])
def test_bad_requests_are_4xx_naming_the_parameter(client, route, params, status, message):
    assert message in error_of(get(client, route, **params), status)


def test_an_answer_past_the_byte_bound_is_refused(client):
    client.application.config["MAX_RESPONSE_BYTES"] = 1000
    try:
        error = error_of(get(client, "/api/histograms", tag="layer/weights"), 400)
    finally:
        client.application.config["MAX_RESPONSE_BYTES"] = 64 * 2**20
    assert "exceed 1000 bytes" in error and "smaller max_steps" in error


def test_all_steps_at_once_equal_each_step_alone():
    rng = np.random.default_rng(9)
    hists = []
    for step in range(40):
        size = int(rng.integers(1, 12))
        counts = rng.integers(0, 5, size).astype(float)
        if step % 7 == 0:
            counts[:] = 0  # no finite value counted: percentiles() decides
        edges = np.cumsum(rng.uniform(0.1, 2, size + 1)) - 3
        low, high = edges[0] + 0.05, edges[-1] - 0.05
        hists.append(tracker.Histogram(step, 0.0, 10, low, high, 0.0, 0.0, 0, 0, 0, edges, counts))
    columns = distribution(tracker.HistogramColumns.of(hists))
    assert columns["step"].tolist() == list(range(40))
    for h, values in zip(hists, columns["values"]):  # each as if alone
        assert values.tolist() == pytest.approx(percentiles(h.edges, h.counts, h.min, h.max), abs=1e-12)
        if not h.counts.any():
            assert values.tolist() == [h.min] * 4 + [(h.min + h.max) / 2] + [h.max] * 4
    empty = distribution(tracker.HistogramColumns.of([]))
    assert [len(empty["step"]), len(empty["wall_time"]), empty["values"].shape] == [0, 0, (0, 9)]
