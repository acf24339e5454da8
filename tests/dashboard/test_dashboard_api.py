"""The JSON API through Flask's test client: every route, with good and bad input."""

import csv
import io
import json
import math
import shutil

import numpy as np
import pytest

import tracker
from dashboard.app import create_app
from dashboard.runs import scan
# What the session's logdir fixture (tests/conftest.py) writes. Not imported: `from conftest import`
# can find another folder's conftest in a full run.
EPOCHS = 40
XSS_RUN = "<img src=x onerror=alert(1)>"
RUN = "linreg_lr=0.1"
OTHER = "linreg_lr=0.02"


def error_of(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error"}
    assert "Traceback" not in body["error"]
    return body["error"]


def quote(name):
    from urllib.parse import quote as q
    return q(name, safe="/")


# --- /api/runs ---------------------------------------------------------------------------------

def test_runs_lists_every_run_with_status_colour_and_metrics(client):
    runs = {run["name"]: run for run in client.get("/api/runs").get_json()["runs"]}
    assert {RUN, OTHER, "linreg_adam", XSS_RUN, "group/nested", "corrupt", "foreign"} <= set(runs)
    run = runs[RUN]
    assert run["status"] == "finished" and run["error"] is None
    assert run["steps"] == EPOCHS
    assert run["duration"] is not None and run["duration"] >= 0
    assert run["color"].startswith("#") and len(run["color"]) == 7
    loss = run["tags"]["train/loss"]
    assert loss["kind"] == "scalar" and loss["count"] == EPOCHS and loss["last_step"] == EPOCHS
    assert math.isfinite(loss["last"])
    colours = [r["color"] for name, r in runs.items()]
    assert len(set(colours)) == len(colours)


@pytest.mark.parametrize("name", ["corrupt", "foreign"])
def test_runs_flags_an_unreadable_file_with_its_reason(client, name):
    runs = {run["name"]: run for run in client.get("/api/runs").get_json()["runs"]}
    assert runs[name]["status"] == "error"
    assert runs[name]["error"]


def test_runs_of_a_missing_logdir_is_empty(tmp_path):
    client = create_app(tmp_path / "nowhere", {"TESTING": True}).test_client()
    answer = client.get("/api/runs").get_json()
    assert (answer["runs"], answer["total"], answer["matched"], answer["hidden_count"], answer["labels"]) == (
        [], 0, 0, 0, {})


def test_runs_that_appear_and_vanish_while_serving(tmp_path):
    client = create_app(tmp_path, {"TESTING": True}).test_client()
    assert client.get("/api/runs").get_json()["runs"] == []
    with tracker.SummaryWriter(str(tmp_path / "late")) as writer:
        writer.add_scalar("loss", 1.0, 0)
    assert [r["name"] for r in client.get("/api/runs").get_json()["runs"]] == ["late"]
    assert client.get("/api/scalars?run=late&tag=loss").status_code == 200
    shutil.rmtree(tmp_path / "late")
    assert client.get("/api/runs").get_json()["runs"] == []
    assert "late" in error_of(client.get("/api/scalars?run=late&tag=loss"), 404)
    assert "late" in error_of(client.get("/api/runs/late"), 404)


# --- /api/runs/<run> ---------------------------------------------------------------------------

def test_run_detail_has_summary_hparams_and_graphs(client):
    body = client.get(f"/api/runs/{quote(RUN)}").get_json()
    assert body["run"]["name"] == RUN and body["run"]["steps"] == EPOCHS
    assert body["hparams"]["hparams"] == {"lr": 0.1, "optimizer": "sgd", "epochs": EPOCHS}
    assert set(body["hparams"]["metrics"]) == {"final_loss"}
    assert len(body["graphs"]) == 1 and isinstance(body["graphs"][0]["id"], int)
    listed = {r["name"]: r["color"] for r in client.get("/api/runs").get_json()["runs"]}
    assert body["run"]["color"] == listed[RUN]


@pytest.mark.parametrize("name", ["group/nested", XSS_RUN])
def test_run_detail_of_nested_and_odd_names(client, name):
    body = client.get(f"/api/runs/{quote(name)}").get_json()
    assert body["run"]["name"] == name


@pytest.mark.parametrize("path", [
    "/api/runs/nope", "/api/runs/group", "/api/texts?run=nope", "/api/figures?run=nope",
    "/api/runs/..%2F..%2Fetc", "/api/runs/%2E%2E/%2E%2E/etc", "/api/runs/%2Fetc%2Fpasswd",
    "/api/texts?run=../../etc", "/api/figures?run=/etc",
])
def test_run_routes_answer_404_for_unknown_or_escaping_names(client, path, logdir):
    message = error_of(client.get(path), 404)
    assert "does not exist" in message or "no API route" in message
    assert "root:" not in message


@pytest.mark.parametrize("name", ["corrupt", "foreign"])
def test_run_detail_of_an_unreadable_run_is_422_naming_the_file(client, name):
    message = error_of(client.get(f"/api/runs/{name}"), 422)
    assert name in message


def test_texts_are_returned_verbatim_and_filter_by_tag(client):
    texts = client.get(f"/api/texts?run={quote(RUN)}").get_json()["texts"]
    assert [t["tag"] for t in texts] == ["notes"]
    assert "<b>not bold</b>" in texts[0]["text"] and texts[0]["step"] == EPOCHS
    assert client.get(f"/api/texts?run={quote(RUN)}&tag=notes").get_json()["texts"] == texts
    assert "other" in error_of(client.get(f"/api/texts?run={quote(RUN)}&tag=other"), 404)
    assert "fit" in error_of(client.get(f"/api/texts?run={quote(RUN)}&tag=fit"), 404)


@pytest.mark.parametrize("route", ["texts", "figures"])
def test_texts_and_figures_need_a_run(client, route):
    assert "parameter 'run' is required" in error_of(client.get(f"/api/{route}"), 400)


def test_figures_are_plotly_json(client):
    figures = client.get(f"/api/figures?run={quote(RUN)}").get_json()["figures"]
    assert [f["tag"] for f in figures] == ["fit"]
    assert figures[0]["figure"]["data"][0]["type"] == "scatter"


# --- /api/tags ---------------------------------------------------------------------------------

def test_tags_group_charts_by_prefix_and_merge_add_scalars(client):
    groups = {g["name"]: g["charts"] for g in client.get("/api/tags").get_json()["groups"]}
    assert {"train", "params", "gap", "odd"} <= set(groups)
    assert [c["chart"] for c in groups["params"]] == ["params/b", "params/w"]
    gap = groups["gap"]
    assert len(gap) == 1 and gap[0]["chart"] == "gap" and len(gap[0]["tags"]) == 2
    loss = groups["train"][0]
    assert loss["tags"] == ["train/loss"]
    assert {RUN, OTHER, XSS_RUN} <= set(loss["runs"])


def test_tags_restricted_to_runs_and_filtered_by_regex(client):
    body = client.get(f"/api/tags?run={quote(OTHER)}&tag_regex=^params/w$").get_json()
    assert body == {"groups": [{"name": "params", "charts": [
        {"chart": "params/w", "tags": ["params/w"], "runs": [OTHER]}]}]}


@pytest.mark.parametrize("query, message", [
    ("tag_regex=(", "not a valid regular expression"),
    ("tag_regex=" + "a" * 2000, "longer than"),
    ("run=", "'run' is empty"),
])
def test_tags_bad_parameters(client, query, message):
    assert message in error_of(client.get(f"/api/tags?{query}"), 400)


# --- /api/scalars ------------------------------------------------------------------------------

def read_direct(logdir, run, tag, **kwargs):
    with tracker.open_run(logdir, run) as r:
        return r.scalars(tag, **kwargs)


def test_scalars_return_each_runs_series_as_the_reader_does(client, logdir):
    body = client.get(f"/api/scalars?run={quote(RUN)}&run={quote(OTHER)}&tag=train/loss").get_json()
    assert [s["run"] for s in body["series"]] == [RUN, OTHER] and body["missing"] == []
    for series in body["series"]:
        direct = read_direct(logdir, series["run"], "train/loss")
        assert series["step"] == direct.step.tolist() == list(range(1, EPOCHS + 1))
        assert series["value"] == direct.value.tolist()
        np.testing.assert_allclose(series["wall_time"], direct.wall_time, atol=1e-3)
        assert series["total"] == EPOCHS and series["downsampled"] is False


def test_scalars_step_range_and_point_budget(client):
    body = client.get(f"/api/scalars?run={quote(RUN)}&tag=train/loss&start=10&end=20").get_json()
    assert body["series"][0]["step"] == list(range(10, 21))
    small = client.get(f"/api/scalars?run={quote(RUN)}&tag=train/loss&max_points=10").get_json()["series"][0]
    assert small["downsampled"] is True and small["total"] == EPOCHS
    assert len(small["step"]) <= 10


def test_scalars_after_returns_only_newer_points(client):
    series = client.get(f"/api/scalars?run={quote(RUN)}&tag=train/loss&after=35").get_json()["series"][0]
    assert series["step"] == [36, 37, 38, 39, 40]
    none = client.get(f"/api/scalars?run={quote(RUN)}&tag=train/loss&after={EPOCHS}").get_json()["series"][0]
    assert none["step"] == []


def test_scalars_send_non_finite_values_as_strings(client):
    response = client.get("/api/scalars?run=group/nested&tag=odd/values")
    text = response.get_data(as_text=True)
    series = response.get_json()["series"][0]
    assert series["value"] == [1.0, "NaN", 2.0, "Infinity", 3.0, "-Infinity", 4.0]

    def refuse(token):
        raise AssertionError(f"non-standard JSON token {token}")

    json.loads(text, parse_constant=refuse)


def test_scalars_list_runs_without_the_tag_as_missing(client):
    body = client.get(f"/api/scalars?run={quote(RUN)}&run=group/nested&tag=train/loss").get_json()
    assert [s["run"] for s in body["series"]] == [RUN]
    assert body["missing"] == [{"run": "group/nested", "tag": "train/loss"}]


@pytest.mark.parametrize("query, message", [
    ("tag=train/loss", "parameter 'run' is required"),
    (f"run={RUN}", "parameter 'tag' is required"),
    (f"run={RUN}&tag=train/loss&max_points=abc", "'max_points' must be an integer"),
    (f"run={RUN}&tag=train/loss&max_points=1", "at least 2"),
    (f"run={RUN}&tag=train/loss&max_points=10000000", "at most"),
    (f"run={RUN}&tag=train/loss&start=x", "'start' must be a number"),
    (f"run={RUN}&tag=train/loss&end=inf", "'end' must be finite"),
    (f"run={RUN}&tag=train/loss&start=20&end=10", "is after"),
    (f"run={RUN}&tag=train/loss&after=1.5", "'after' must be an integer"),
    ("run=%00&tag=train/loss", "NUL"),
    ("run=" + "x" * 2000 + "&tag=a", "longer than"),
])
def test_scalars_bad_parameters_are_400_naming_the_parameter(client, query, message):
    assert message in error_of(client.get(f"/api/scalars?{query}"), 400)


@pytest.mark.parametrize("query, message", [
    (f"run={RUN}&tag=nope", "nope"),
    ("run=nope&tag=train/loss", "nope"),
    ("run=../../etc&tag=train/loss", "etc"),
])
def test_scalars_unknown_run_or_tag_is_404_naming_it(client, query, message):
    assert message in error_of(client.get(f"/api/scalars?{query}"), 404)


def test_scalars_of_an_unreadable_run_is_422(client):
    assert "corrupt" in error_of(client.get("/api/scalars?run=corrupt&tag=train/loss"), 422)


# --- /api/scalars/download ---------------------------------------------------------------------

def test_download_csv_has_every_point_of_every_run(client, logdir):
    response = client.get(f"/api/scalars/download?run={quote(RUN)}&run={quote(OTHER)}&tag=train/loss&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="train_loss.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 2 * EPOCHS
    direct = read_direct(logdir, OTHER, "train/loss")
    mine = [r for r in rows if r["run"] == OTHER]
    assert [int(r["step"]) for r in mine] == direct.step.tolist()
    assert [float(r["value"]) for r in mine] == direct.value.tolist()


def test_download_json_of_an_add_scalars_chart(client):
    tags = [t for t in client.get(f"/api/runs/{quote(RUN)}").get_json()["run"]["tags"] if t.startswith("gap")]
    query = "&".join(f"tag={t}" for t in tags)
    response = client.get(f"/api/scalars/download?run={quote(RUN)}&{query}&format=json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="gap.json"'
    body = json.loads(response.get_data(as_text=True))
    assert sorted(s["tag"] for s in body["series"]) == sorted(tags)
    assert all(len(s["step"]) == EPOCHS for s in body["series"])


@pytest.mark.parametrize("tags, stem", [
    (["train/loss"], "train_loss"),
    (["gap/train", "gap/val"], "gap"),
    (["a/b/x", "a/b/y", "a/c"], "a"),
    (["loss", "acc"], "scalars"),
    (["../../etc/passwd"], "etc_passwd"),
    (['"quoted";\r\nname'], "quoted_name"),
    (["ünïcode"], "n_code"),
])
def test_download_file_is_named_for_the_chart(tags, stem):
    from dashboard.scalars.series import download_stem

    assert download_stem(tags) == stem


def test_download_keeps_non_finite_values(client):
    text = client.get("/api/scalars/download?run=group/nested&tag=odd/values").get_data(as_text=True)
    assert [line.split(",")[-1] for line in text.splitlines()[1:]] == ["1.0", "nan", "2.0", "inf", "3.0", "-inf", "4.0"]


@pytest.mark.parametrize("query, status, message", [
    (f"run={RUN}&tag=train/loss&format=xml", 400, "'format' must be one of csv, json"),
    (f"run={RUN}", 400, "'tag' is required"),
    (f"run={RUN}&tag=nope", 404, "nope"),
    ("run=nope&tag=train/loss", 404, "nope"),
])
def test_download_bad_input(client, query, status, message):
    assert message in error_of(client.get(f"/api/scalars/download?{query}"), status)


# --- everything else ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api", "/api/", "/api/nothing", "/api/runs/x/y/z/unknown-extra"])
def test_unknown_api_paths_are_json_404(client, path):
    error_of(client.get(path), 404)


@pytest.mark.parametrize("path", ["/api/runs", "/api/scalars", "/api/nothing"])
def test_wrong_method_is_json_405(client, path):
    error_of(client.post(path), 405)


def test_an_unexpected_exception_is_json_without_traceback(client, monkeypatch):
    def broken(*args):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(scan, "walk", broken)
    message = error_of(client.get("/api/runs"), 500)
    assert "RuntimeError" in message and "secret internals" not in message


def test_a_run_written_after_start_is_served_without_restart(tmp_path, train_run):
    train_run(tmp_path / "first", lr=0.1, epochs=3)
    client = create_app(tmp_path, {"TESTING": True}).test_client()
    assert len(client.get("/api/runs").get_json()["runs"]) == 1
    train_run(tmp_path / "second", lr=0.1, epochs=3)
    assert [r["name"] for r in client.get("/api/runs").get_json()["runs"]] == ["first", "second"]


def test_every_answer_is_strict_json_even_with_non_finite_summaries(client):
    """The nested run's last/min/max are inf and NaN; browsers' JSON.parse refuses those tokens."""
    def refuse(token):
        raise AssertionError(f"non-standard JSON token {token}")

    text = client.get("/api/runs").get_data(as_text=True)
    runs = {r["name"]: r for r in json.loads(text, parse_constant=refuse)["runs"]}
    values = runs["group/nested"]["tags"]["odd/values"]
    assert values["max"] == "Infinity" and values["min"] == "-Infinity"
