"""/api/compare and /api/compare/parcoords on the shared logdir of real training runs."""

import csv
import io
from urllib.parse import quote

import pytest

from conftest import EPOCHS, XSS_RUN

A, B, ADAM = "linreg_lr=0.1", "linreg_lr=0.02", "linreg_adam"


def query(*runs, **extra):
    parts = [f"run={quote(r)}" for r in runs] + [f"{k}={quote(str(v))}" for k, v in extra.items()]
    return "&".join(parts)


def error_of(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()["error"]


def test_two_runs_side_by_side(client):
    body = client.get(f"/api/compare?{query(A, B)}").get_json()
    assert [r["name"] for r in body["runs"]] == [A, B]
    assert all(r["status"] == "finished" and r["steps"] == EPOCHS for r in body["runs"])
    assert all(r["color"].startswith("#") for r in body["runs"])
    hparams = {row["name"]: row for row in body["hparams"]}
    assert hparams["lr"] == {"name": "lr", "values": [0.1, 0.02], "differs": True}
    assert hparams["optimizer"] == {"name": "optimizer", "values": ["sgd", "sgd"], "differs": False}
    assert hparams["epochs"]["differs"] is False
    assert [row["name"] for row in body["hparam_metrics"]] == ["final_loss"]
    loss = next(m for m in body["metrics"] if m["tag"] == "train/loss")
    for stats in loss["values"]:
        assert stats["count"] == EPOCHS and stats["last_step"] == EPOCHS
        assert stats["min"] <= stats["last"] <= stats["max"]
        assert 1 <= stats["min_step"] <= EPOCHS
    assert loss["differs"] is True


def test_colours_match_the_runs_page(client):
    listed = {r["name"]: r["color"] for r in client.get("/api/runs").get_json()["runs"]}
    body = client.get(f"/api/compare?{query(ADAM, A, B)}").get_json()
    assert {r["name"]: r["color"] for r in body["runs"]} == {n: listed[n] for n in (ADAM, A, B)}


def test_runs_that_cannot_be_read_compare_as_flagged(client):
    body = client.get(f"/api/compare?{query(A, 'corrupt', XSS_RUN)}").get_json()
    assert [r["status"] for r in body["runs"]] == ["finished", "error", "finished"]
    assert body["runs"][1]["error"]
    hparams = {row["name"]: row["values"] for row in body["hparams"]}
    assert hparams["<b>name</b>"] == [None, None, "<i>value</i>"]


def test_csv_export(client):
    response = client.get(f"/api/compare?{query(A, B, format='csv')}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="comparison.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["section", "name", A, B]
    by_name = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert by_name[("hparams", "lr")] == ["0.1", "0.02"]
    assert by_name[("run", "steps")] == [str(EPOCHS), str(EPOCHS)]
    assert ("metric", "train/loss:min_step") in by_name


@pytest.mark.parametrize("q, status, message", [
    (query(A), 400, "pick at least two runs to compare"),
    ("", 400, "parameter 'run' is required"),
    (query(A, "nope"), 404, "run 'nope' does not exist"),
    (query(A, "../etc"), 404, "run '../etc' does not exist"),
    (query(A, B, format="xml"), 400, "parameter 'format' must be one of json, csv"),
    (query(A, "x" * 2000), 400, "parameter 'run' is longer than 1024 characters"),
])
def test_bad_comparisons(client, q, status, message):
    assert message in error_of(client.get(f"/api/compare?{q}"), status)


def test_too_many_runs(client):
    q = query(*[f"r{i}" for i in range(101)])
    assert "at most 100 can be compared" in error_of(client.get(f"/api/compare?{q}"), 400)


def test_duplicate_names_count_once(client):
    body = client.get(f"/api/compare?{query(A, B, A)}").get_json()
    assert [r["name"] for r in body["runs"]] == [A, B]


def test_parcoords_has_one_line_per_run_with_the_metric(client):
    body = client.get("/api/compare/parcoords?metric=train/loss").get_json()
    assert sorted(body["runs"]) == sorted([A, B, ADAM, XSS_RUN])
    assert {e["run"] for e in body["excluded"]} == {"group/nested"}
    assert all(len(d["values"]) == len(body["runs"]) for d in body["dimensions"])
    labels = [d["label"] for d in body["dimensions"]]
    assert labels[-1] == "train/loss" and {"lr", "optimizer", "epochs"} <= set(labels)
    lr = next(d for d in body["dimensions"] if d["label"] == "lr")
    assert lr["categories"] == ["0.02", "0.05", "0.1", "(none)"]      # the XSS run has no lr


@pytest.mark.parametrize("q, status, message", [
    ("metric=", 400, "parameter 'metric' is empty"),
    ("run=nope", 404, "run 'nope' does not exist"),
    ("run=", 400, "parameter 'run' is empty"),
    ("metric=%00", 400, "contains a NUL"),
])
def test_bad_parcoords(client, q, status, message):
    assert message in error_of(client.get(f"/api/compare/parcoords?{q}"), status)


def test_parcoords_draws_only_the_named_runs_with_a_default_metric(client):
    body = client.get(f"/api/compare/parcoords?{query(B, A)}").get_json()
    assert body["runs"] == [B, A] and body["metric"] == "train/loss"      # a real curve, not final_loss
    assert body["values"] == body["dimensions"][-1]["values"]
    assert {"train/loss", "final_loss"} <= set(body["choices"])
    epochs = next(d for d in body["dimensions"] if d["label"] == "epochs")
    assert epochs == {"label": "epochs", "kind": "category", "categories": ["40"], "values": [0, 0],
                      "differs": False}
    hp = client.get(f"/api/compare/parcoords?{query(B, A)}&metric=final_loss").get_json()
    assert hp["runs"] == [B, A] and all(v > 0 for v in hp["values"])


def test_parcoords_of_runs_without_any_metric_has_no_axes(client):
    body = client.get("/api/compare/parcoords?run=corrupt").get_json()
    assert body == {"metric": None, "runs": [], "colors": [], "values": [], "dimensions": [],
                    "excluded": [], "choices": []}


def test_parcoords_of_an_unknown_metric_is_empty_not_an_error(client):
    body = client.get("/api/compare/parcoords?metric=nope").get_json()
    assert body["runs"] == [] and len(body["excluded"]) == 5


def test_compare_page_is_served(client):
    response = client.get(f"/compare?{query(A, XSS_RUN)}")
    assert response.status_code == 200
    policy = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self' 'unsafe-eval'"        # no inline scripts; regl needs Function()
    assert policy["object-src"] == "'none'"
    assert b"onerror=alert" not in response.data


def test_add_hparams_metrics_are_one_point_scalars_on_the_scalars_api(client):
    run = next(r for r in client.get("/api/runs").get_json()["runs"] if r["name"] == A)
    tag = run["tags"]["final_loss"]
    assert (tag["kind"], tag["count"], tag["last"]) == ("scalar", 1, run["metrics"]["final_loss"])
    assert run["steps"] == EPOCHS                     # a one-point metric does not change the step count
    series = client.get(f"/api/scalars?{query(A)}&tag=final_loss").get_json()["series"][0]
    assert (series["step"], series["value"]) == ([0], [run["metrics"]["final_loss"]])
    charts = [c for g in client.get("/api/tags").get_json()["groups"] for c in g["charts"]]
    assert {"chart": "final_loss", "tags": ["final_loss"]}.items() <= next(c for c in charts if c["chart"] == "final_loss").items()
