"""The newcomer's path end to end: train the examples, serve the logdir, read it back over HTTP."""

import re

import numpy as np
import pytest

from dashboard.app import create_app
from examples import keras_mnist_like, linear_regression, running_totals, xor_mlp
from examples.linear_regression import TRUE_B, TRUE_W


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Run every example once into one logdir, keeping what each printed."""
    logdir = tmp_path_factory.mktemp("e2e")
    outputs = {}
    for name, example, argv in [
        ("linreg", linear_regression, ["--run", "linreg", "--epochs", "200"]),
        ("totals", running_totals, ["--run", "totals", "--steps", "20"]),
        ("xor", xor_mlp, ["--run", "xor", "--epochs", "300"]),
    ]:
        outputs[name] = example.main([*argv, "--logdir", str(logdir), "--quiet"])
    return logdir, outputs


@pytest.fixture(scope="module")
def api(trained):
    app = create_app(str(trained[0]), test_config={"TESTING": True})
    client = app.test_client()

    def get(path, **params):
        response = client.get(path, query_string=params)
        assert response.status_code == 200, response.get_json()
        return response.get_json()
    return get


def series(api, run, tag):
    (found,) = api("/api/scalars", run=run, tag=tag)["series"]
    return found["step"], [float(v) for v in found["value"]]


def test_every_example_is_a_finished_run(api):
    runs = {r["name"]: r for r in api("/api/runs")["runs"]}
    assert set(runs) == {"linreg", "totals", "xor"}
    assert {r["status"] for r in runs.values()} == {"finished"}


@pytest.mark.parametrize("run, tag", [("linreg", "train/loss"), ("xor", "summaries/loss")])
def test_loss_decreases(api, run, tag):
    steps, loss = series(api, run, tag)
    assert steps[0] == 1 and len(steps) == len(loss) > 100
    assert loss[-1] < 0.5 * loss[0]
    assert min(loss[len(loss) // 2:]) <= min(loss[:len(loss) // 2])


def test_w_and_b_approach_the_generating_line(api, trained):
    _, w = series(api, "linreg", "params/w")
    _, b = series(api, "linreg", "params/b")
    assert abs(w[-1] - TRUE_W) < 0.1 and abs(b[-1] - TRUE_B) < 0.1
    assert abs(w[-1] - TRUE_W) < abs(w[0] - TRUE_W)
    assert w[-1] == pytest.approx(trained[1]["linreg"]["w"], rel=1e-6)


def test_printed_r2_is_the_stored_one(api, trained, capsys):
    logdir = trained[0]
    linear_regression.main(["--run", "again", "--epochs", "50", "--logdir", str(logdir), "--quiet"])
    printed = float(re.search(r"R² = ([0-9.]+)", capsys.readouterr().out).group(1))
    _, r2 = series(api, "again", "eval/r2")
    assert r2 == [pytest.approx(printed, abs=5e-5)]
    hparams = api("/api/runs/again")["hparams"]
    assert hparams["metrics"]["eval/r2"] == pytest.approx(r2[0])
    assert hparams["hparams"]["epochs"] == 50


def test_running_totals_average_is_total_over_steps(api, trained):
    steps, total = series(api, "totals", "summaries/total")
    _, average = series(api, "totals", "summaries/average")
    assert steps == list(range(1, 21))
    assert average == pytest.approx([t / s for t, s in zip(total, steps)], rel=1e-6)
    assert total[-1] == pytest.approx(trained[1]["totals"]["total"])


@pytest.mark.parametrize("run, scopes", [
    ("linreg", {"inputs", "model", "train", "params"}),
    ("totals", {"transformation", "update", "summaries"}),
    ("xor", {"input", "network", "loss", "train", "metrics", "summaries"}),
])
def test_graph_has_the_named_scopes(api, run, scopes):
    view = api("/api/graph/view", run=run)
    names = {item["name"] for item in view["items"]}
    assert scopes <= names


def test_linear_regression_logs_its_fit_figure(api):
    (figure,) = api("/api/figures", run="linreg")["figures"]
    assert figure["tag"] == "fit"
    assert [trace["name"] for trace in figure["figure"]["data"]][0] == "data"


def test_linear_regression_reaches_least_squares(trained):
    x, y = linear_regression.make_data(200, 0.3, seed=0)
    slope, intercept = np.polyfit(x.astype(np.float64), y.astype(np.float64), 1)
    result = trained[1]["linreg"]
    assert result["w"] == pytest.approx(slope, abs=1e-3)
    assert result["b"] == pytest.approx(intercept, abs=1e-3)
    assert result["r2"] == pytest.approx(linear_regression.r2_score(y, slope * x + intercept), abs=1e-4)


def test_the_keras_cnn_learns_the_digits_and_logs_keras_runs(tmp_path, capsys):
    result = keras_mnist_like.main(["--run", "cnn", "--logdir", str(tmp_path)])
    out = capsys.readouterr().out
    assert " max_pooling2d (MaxPooling2  (None, 6, 6, 8)           0         " in out.splitlines()  # summary()
    assert "Epoch 4/4" in out
    app = create_app(str(tmp_path), test_config={"TESTING": True})
    client = app.test_client()
    runs = {r["name"] for r in client.get("/api/runs").get_json()["runs"]}
    assert runs == {"cnn/train", "cnn/validation"}
    (digits,) = client.get("/api/images", query_string={"run": "cnn/validation", "tag": "digits"}
                           ).get_json()["runs"][0]["images"]
    assert (digits["samples"], digits["step"], digits["channels"]) == (keras_mnist_like.SAMPLES, 4, 1)
    for run in runs:
        (found,) = client.get("/api/scalars", query_string={"run": run, "tag": "epoch_loss"}).get_json()["series"]
        assert found["step"] == [0, 1, 2, 3] and found["value"][-1] < 0.6 * found["value"][0]
    assert result["val_accuracy"] > 0.5  # ten classes: chance is 0.1
    view = client.get("/api/graph/view", query_string={"run": "cnn/train"}).get_json()
    assert {"conv2d", "max_pooling2d", "conv2d_1", "average_pooling2d", "flatten", "dense"} <= {
        item["name"] for item in view["items"]}


def test_xor_logs_weight_and_gradient_histograms_its_decision_surface_and_answers(api):
    tags = api("/api/runs")["runs"]
    (xor,) = [r for r in tags if r["name"] == "xor"]
    kinds = {tag: info["kind"] for tag, info in xor["tags"].items()}
    assert {tag for tag, kind in kinds.items() if kind == "histogram"} == {
        f"summaries/{gradient}network/{layer}/{part}" for layer in ("hidden", "output")
        for part in ("weights", "biases") for gradient in ("", "gradients/")}
    assert kinds["predictions"] == "text"
    (text,) = api("/api/texts", run="xor", tag="predictions")["texts"]
    assert text["step"] == 300 and text["html"].count("<tr>") == 5  # a header and the four inputs
    histograms = api("/api/histograms", run="xor", tag="summaries/network/hidden/weights")
    assert len(histograms["runs"][0]["histograms"]) == 300
    (run,) = api("/api/images", run="xor", tag="decision_surface")["runs"]
    assert [i["step"] for i in run["images"]] == [50, 100, 150, 200, 250, 300]
    assert {(i["width"], i["height"], i["channels"]) for i in run["images"]} == {(32, 32, 1)}
