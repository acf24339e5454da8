"""The comparison's data from RunInfo alone: differences, tag statistics, CSV, parallel coordinates."""

import csv
import io
import math

import pytest

from dashboard.compare.parcoords import default_metric, metric_choices, parallel_coordinates
from dashboard.compare.table import comparison, csv_text, differs
from tracker import RunInfo, TagInfo


def run(name, hparams=None, **lasts):
    tags = {tag: TagInfo(tag=tag, kind="scalar", count=10, first_step=0, last_step=9, last=last,
                         min=min(last, 0.5), min_step=4, max=2.0, max_step=0)
            for tag, last in lasts.items()}
    tags["notes"] = TagInfo(tag="notes", kind="text", count=1, first_step=0, last_step=0)
    return RunInfo(name=name, path=f"{name}/events.sqlite", status="finished", start_time=100.0,
                   end_time=160.0, hparams=hparams or {}, tags=tags)


@pytest.mark.parametrize("values, expected", [
    ([0.1, 0.1], False),
    ([1, 1.0], False),
    ([0.1, 0.02], True),
    (["sgd", "sgd", "sgd"], False),
    (["sgd", "adam"], True),
    ([3, None], True),
    ([None, None], False),
    ([float("nan"), float("nan")], False),
    ([True, 1], True),
    ([[1, 2], [1, 2]], False),
    ([{"a": 1, "b": 2}, {"b": 2, "a": 1}], False),
])
def test_differs(values, expected):
    assert differs(values) is expected


def test_table_rows_mark_differences_and_gaps():
    a = run("a", {"lr": 0.1, "optimizer": "sgd", "epochs": 40}, **{"train/loss": 0.2})
    b = run("b", {"lr": 0.02, "optimizer": "sgd"}, **{"train/loss": 0.3, "val/loss": 0.4})
    a.metrics = {"final": 0.2}
    table = comparison([a, b], {"a": "#111111"})
    assert [r["name"] for r in table["runs"]] == ["a", "b"]
    assert table["runs"][0]["color"] == "#111111" and table["runs"][0]["duration"] == 60.0
    assert table["runs"][0]["steps"] == 10 and table["runs"][0]["last_step"] == 9   # 10 points, last at 9
    rows = {r["name"]: r for r in table["hparams"]}
    assert rows["lr"] == {"name": "lr", "values": [0.1, 0.02], "differs": True}
    assert rows["optimizer"]["differs"] is False
    assert rows["epochs"] == {"name": "epochs", "values": [40, None], "differs": True}
    assert table["hparam_metrics"] == [{"name": "final", "values": [0.2, None], "differs": True}]
    metrics = {m["tag"]: m for m in table["metrics"]}
    assert set(metrics) == {"train/loss", "val/loss"}           # the text tag is not a metric
    assert metrics["train/loss"]["values"][0]["min"] == 0.2
    assert metrics["train/loss"]["values"][0]["min_step"] == 4
    assert metrics["val/loss"]["values"][0] is None


def test_csv_has_a_column_per_run_and_defuses_formulas():
    a = run("=cmd()", {"note": "+1 evil", "lr": 0.1}, loss=float("nan"))
    b = run("b", {"note": "fine", "lr": -0.5}, loss=0.25)
    rows = list(csv.reader(io.StringIO(csv_text(comparison([a, b], {})))))
    assert rows[0] == ["section", "name", "'=cmd()", "b"]
    by_name = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert by_name[("hparams", "note")] == ["'+1 evil", "fine"]
    assert by_name[("hparams", "lr")] == ["0.1", "-0.5"]
    assert by_name[("metric", "loss:last")] == ["nan", "0.25"]
    assert by_name[("metric", "loss:min_step")] == ["4", "4"]
    assert by_name[("run", "duration")] == ["60.0", "60.0"]
    assert by_name[("run", "steps")] == ["10", "10"] and by_name[("run", "last_step")] == ["9", "9"]


def test_parallel_coordinates_one_line_per_run_with_the_metric():
    runs = [run("a", {"lr": 0.1, "opt": "sgd"}, loss=0.2), run("b", {"lr": 0.02, "opt": "adam"}, loss=0.3),
            run("c", {"lr": 0.05}, loss=0.1), run("d", {"lr": 0.5}), run("e", {"lr": 1.0}, loss=math.inf)]
    data = parallel_coordinates(runs, "loss", {"a": "#aaaaaa"})
    assert data["runs"] == ["a", "b", "c"] and data["colors"] == ["#aaaaaa", None, None]
    assert [e["run"] for e in data["excluded"]] == ["d", "e"]
    assert data["excluded"][0]["reason"] == "no scalar tag or hparam metric 'loss'"
    assert data["excluded"][1]["reason"] == "last value of 'loss' is inf"
    lr, opt, loss = data["dimensions"]
    assert lr == {"label": "lr", "kind": "number", "values": [0.1, 0.02, 0.05], "differs": True}
    assert opt["kind"] == "category" and opt["categories"] == ["adam", "sgd", "(none)"]
    assert opt["values"] == [1, 0, 2]
    assert loss == {"label": "loss", "kind": "number", "metric": True, "values": [0.2, 0.3, 0.1], "differs": True}
    assert data["values"] == [0.2, 0.3, 0.1]                          # what colours each line
    assert all(len(d["values"]) == 3 for d in data["dimensions"])


def test_categories_of_numbers_keep_numeric_order():
    runs = [run(n, {"lr": lr}, loss=1.0) for n, lr in (("a", 0.1), ("b", 0.05), ("c", None), ("d", 0.02))]
    runs[2].hparams = {}
    (lr, _) = parallel_coordinates(runs, "loss", {})["dimensions"]
    assert lr["categories"] == ["0.02", "0.05", "0.1", "(none)"]
    assert lr["values"] == [2, 1, 3, 0]


def test_a_constant_hparam_gets_its_one_value_as_its_one_tick():
    runs = [run(n, {"lr": 0.1, "opt": "sgd", "seed": s}, loss=v) for n, s, v in (("a", 1, 0.2), ("b", 2, 0.3))]
    lr, opt, seed, _ = parallel_coordinates(runs, "loss", {})["dimensions"]
    assert lr == {"label": "lr", "kind": "category", "categories": ["0.1"], "values": [0, 0], "differs": False}
    assert opt["categories"] == ["sgd"] and opt["differs"] is False
    assert seed["kind"] == "number" and seed["differs"] is True


def test_add_hparams_metrics_are_choosable_and_drawn():
    a, b = run("a", {"lr": 0.1}, loss=0.2), run("b", {"lr": 0.2}, loss=0.3)
    a.metrics, b.metrics = {"hp/accuracy": 0.9}, {"hp/accuracy": 0.8}
    assert metric_choices([a, b]) == ["hp/accuracy", "loss"]
    data = parallel_coordinates([a, b], "hp/accuracy", {})
    assert data["runs"] == ["a", "b"] and data["values"] == [0.9, 0.8]
    assert data["dimensions"][-1]["label"] == "hp/accuracy"


def tags_of(name, **counts):
    info = run(name)
    for tag, count in counts.items():
        info.tags[tag] = TagInfo(tag=tag, kind="scalar", count=count, first_step=0, last_step=count - 1, last=1.0)
    return info


@pytest.mark.parametrize("counts, expected", [
    ({"loss": 40, "accuracy": 400}, "loss"),                              # loss where there is one
    ({"train/loss": 40, "val/loss": 10, "lr": 400}, "train/loss"),        # else the most-logged */loss
    ({"accuracy": 40, "lr": 400, "final": 1}, "lr"),                      # else the most-logged tag
    ({"final": 1, "acc": 30}, "acc"),
    ({"loss": 1, "acc": 2}, "acc"),                                       # never a one-point tag
    ({"final": 1}, "final"),                                              # unless there is nothing else
    ({}, None),
])
def test_the_default_metric_is_a_real_curve(counts, expected):
    assert default_metric([tags_of("a", **counts)]) == expected
