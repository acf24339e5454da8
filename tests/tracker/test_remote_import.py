"""`liteboard import TB s3://bucket/prefix`: TensorBoard runs imported straight into object storage."""

import sqlite3

import numpy as np
import pytest

import tracker
from dashboard import cli

pytest.importorskip("tensorboard")
pytest.importorskip("s3fs", reason="s3fs (liteboard[s3], in the dev extra) writes to S3")
from tensorboard.compat.proto.event_pb2 import Event  # noqa: E402
from tensorboard.compat.proto.summary_pb2 import Summary  # noqa: E402
from tensorboard.summary.writer.event_file_writer import EventFileWriter  # noqa: E402

WALL = 1_700_000_000.0


def _tb_run(directory, steps):
    writer = EventFileWriter(str(directory))
    for step in range(steps):
        value = Summary.Value(tag="loss", simple_value=1.0 / (step + 1))
        writer.add_event(Event(wall_time=WALL + step, step=step, summary=Summary(value=[value])))
    writer.close()


def _fetch(bucket, key, path):
    import boto3

    boto3.client("s3").download_file(bucket, key, str(path))
    return path


def test_import_into_a_bucket_uploads_each_run_whole(bucket, tmp_path, capsys, monkeypatch):
    _tb_run(tmp_path / "tb" / "a", 50)
    _tb_run(tmp_path / "tb" / "b", 30)
    url = f"s3://{bucket}/imported/"
    assert cli.main(["import", str(tmp_path / "tb"), url]) == 0
    assert capsys.readouterr().out == "liteboard import: imported 80 scalars into 2 runs\n"
    for name, steps in (("a", 50), ("b", 30)):
        path = _fetch(bucket, f"imported/{name}/events.sqlite", tmp_path / f"{name}.sqlite")
        with tracker.Run(name, path) as run:
            info = run.info()
            series = run.scalars("loss")
        assert np.array_equal(series.step, np.arange(steps))
        assert info.start_time == WALL and info.end_time == WALL + steps - 1  # TensorBoard's times
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        _fetch(bucket, f"imported/{name}/tensorboard-import.json", tmp_path / f"{name}.json")

    # importing again, from a machine without the cache, finds nothing new
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-machine"))
    assert cli.main(["import", str(tmp_path / "tb"), url]) == 0
    assert capsys.readouterr().out == "liteboard import: imported nothing new into 0 runs\n"


def test_import_into_a_missing_bucket_names_it(s3_env, tmp_path, capsys):
    _tb_run(tmp_path / "tb" / "a", 3)
    assert cli.main(["import", str(tmp_path / "tb"), "s3://no-such-bucket/x"]) == 0
    err = capsys.readouterr().err
    assert "run 'a' was not imported: bucket 'no-such-bucket' of log_dir 's3://no-such-bucket/x/a' " \
           "cannot be used: it does not exist" in err
