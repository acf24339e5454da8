"""The comparison's data from RunInfo alone: differences, tag statistics, CSV, parallel coordinates."""

import csv
import io
import math

import pytest

from dashboard.compare.parcoords import parallel_coordinates
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


def test_parallel_coordinates_one_line_per_run_with_the_metric():
    runs = [run("a", {"lr": 0.1, "opt": "sgd"}, loss=0.2), run("b", {"lr": 0.02, "opt": "adam"}, loss=0.3),
            run("c", {"lr": 0.05}, loss=0.1), run("d", {"lr": 0.5}), run("e", {"lr": 1.0}, loss=math.inf)]
    data = parallel_coordinates(runs, "loss", {"a": "#aaaaaa"})
    assert data["runs"] == ["a", "b", "c"] and data["colors"] == ["#aaaaaa", None, None]
    assert [e["run"] for e in data["excluded"]] == ["d", "e"]
    assert "no scalar tag 'loss'" in data["excluded"][0]["reason"]
    lr, opt, loss = data["dimensions"]
    assert lr == {"label": "lr", "kind": "number", "values": [0.1, 0.02, 0.05]}
    assert opt["kind"] == "category" and opt["categories"] == ["adam", "sgd", "(none)"]
    assert opt["values"] == [1, 0, 2]
    assert loss == {"label": "loss", "kind": "number", "metric": True, "values": [0.2, 0.3, 0.1]}
    assert all(len(d["values"]) == 3 for d in data["dimensions"])


def test_categories_of_numbers_keep_numeric_order():
    runs = [run(n, {"lr": lr}, loss=1.0) for n, lr in (("a", 0.1), ("b", 0.05), ("c", None), ("d", 0.02))]
    runs[2].hparams = {}
    (lr, _) = parallel_coordinates(runs, "loss", {})["dimensions"]
    assert lr["categories"] == ["0.02", "0.05", "0.1", "(none)"]
    assert lr["values"] == [2, 1, 3, 0]
