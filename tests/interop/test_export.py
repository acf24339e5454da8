"""liteboard export and Run.scalars_frame(): long-format rows (run, tag, step, wall_time, value)."""

import csv
import io
import json
import math

import pandas as pd
import pytest

import tracker
from dashboard import cli

ROWS = {("a", "loss"): [(0, 10.0, 1.0), (1, 11.0, float("nan")), (2, 12.5, float("inf"))],
        ("a", "acc"): [(0, 10.0, 0.25)],
        ("b/c", "loss"): [(5, 20.0, -3.5)]}


@pytest.fixture
def logdir(tmp_path):
    for (run, tag), points in ROWS.items():
        with tracker.SummaryWriter(str(tmp_path / run)) as writer:
            for step, wall, value in points:
                writer.add_scalar(tag, value, step, walltime=wall)
            writer.add_text("notes", "not a scalar", 0)
    return tmp_path


def expected(runs=None, tags=None):
    return sorted((run, tag, s, w, v) for (run, tag), points in ROWS.items() for s, w, v in points
                  if (runs is None or run in runs) and (tags is None or tag in tags))


def same(rows, want):
    def key(row):
        return tuple("nan" if isinstance(x, float) and math.isnan(x) else x for x in row)
    return sorted(map(key, rows)) == sorted(map(key, want))


def export(capsys, *args):
    status = cli.main(["export", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def test_csv_to_standard_output(logdir, capsys):
    status, out, err = export(capsys, logdir)
    assert status == 0 and err == ""
    header, *rows = list(csv.reader(io.StringIO(out)))
    assert header == ["run", "tag", "step", "wall_time", "value"]
    assert same([(r, t, int(s), float(w), float(v)) for r, t, s, w, v in rows], expected())


def test_json_with_run_and_tag_regexes(logdir, capsys):
    status, out, _ = export(capsys, logdir, "--format", "json", "--run", "^A$", "--tag", "LOSS")
    assert status == 0
    assert json.loads(out) == [{"run": "a", "tag": "loss", "step": 0, "wall_time": 10.0, "value": 1.0},
                               {"run": "a", "tag": "loss", "step": 1, "wall_time": 11.0, "value": "NaN"},
                               {"run": "a", "tag": "loss", "step": 2, "wall_time": 12.5,
                                "value": "Infinity"}]


def test_parquet_to_a_file(logdir, tmp_path, capsys):
    out_file = tmp_path / "out.parquet"
    status, out, _ = export(capsys, logdir, "--format", "parquet", "--out", out_file)
    assert status == 0 and out == f"liteboard export: wrote 5 rows to {out_file}\n"
    data = pd.read_parquet(out_file)
    assert list(data.columns) == ["run", "tag", "step", "wall_time", "value"]
    assert same(data.itertuples(index=False, name=None), expected())


def test_parquet_needs_out(logdir, capsys):
    status, _, err = export(capsys, logdir, "--format", "parquet")
    assert status == 2 and err == ("liteboard export: --format parquet writes a binary file: "
                                   "give it --out FILE\n")


def test_a_missing_logdir_is_named(tmp_path, capsys):
    status, out, err = export(capsys, tmp_path / "nowhere")
    assert (status, out) == (2, "")
    assert err == f"liteboard export: LOGDIR '{tmp_path / 'nowhere'}' is not a directory\n"


def test_a_bad_regex_is_named(logdir, capsys):
    status, _, err = export(capsys, logdir, "--tag", "(unclosed")
    assert status == 2 and err.startswith("liteboard export: --tag '(unclosed' is not a valid "
                                          "regular expression: missing )")


def test_scalars_frame_of_an_opened_run(logdir):
    with tracker.open_run(logdir, "a") as run:
        data = run.scalars_frame()
        only = run.scalars_frame(["acc"])
    assert list(data.columns) == ["run", "tag", "step", "wall_time", "value"]
    assert same(data.itertuples(index=False, name=None), expected(runs={"a"}))
    assert list(only.itertuples(index=False, name=None)) == [("a", "acc", 0, 10.0, 0.25)]
    assert str(data["step"].dtype) == "int64"


def test_without_pandas_the_message_names_the_extra(logdir, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "pandas", None)
    with tracker.open_run(logdir, "a") as run, pytest.raises(ImportError) as raised:
        run.scalars_frame()
    assert str(raised.value) == ("scalars_frame() needs the pandas package, which is not "
                                 "installed: pip install 'liteboard[pandas]'")
