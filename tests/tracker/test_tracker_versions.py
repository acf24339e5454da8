"""Files of format 2 (tests/tracker/data/v2_run.sqlite, written by liteboard before format 3)
still read, and a writer appending to one brings it to the current format first."""

import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

import tracker

V2_RUN = Path(__file__).parent / "data" / "v2_run.sqlite"


@pytest.fixture
def logdir(tmp_path):
    (tmp_path / "v2").mkdir()
    shutil.copy(V2_RUN, tmp_path / "v2" / tracker.EVENTS_FILE)
    return tmp_path


def user_version(logdir):
    conn = sqlite3.connect(logdir / "v2" / tracker.EVENTS_FILE)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def check_v2_values(run):
    series = run.scalars("loss")
    assert series.step.tolist() == list(range(20))
    assert series.value.tolist() == [1.0 / (step + 1) for step in range(20)]
    assert run.scalars("acc/test").value.tolist() == [0.25]
    assert run.texts("notes")[0]["text"] == "version *2* file"
    assert run.figures("fig")[0]["figure"]["data"][0]["y"] == [1, 2]
    assert run.hparams() == {"hparams": {"lr": 0.1}, "metrics": {"final": 0.05}}


def test_a_version_2_file_reads_unchanged(logdir):
    (info,) = tracker.list_runs(logdir)
    assert info.status == "finished" and info.error is None
    assert {tag: t.kind for tag, t in info.tags.items()} == {
        "loss": "scalar", "acc/train": "scalar", "acc/test": "scalar", "notes": "text", "fig": "figure"}
    with tracker.open_run(logdir, "v2") as run:
        check_v2_values(run)
        with pytest.raises(tracker.TagNotFoundError, match="has no tag 'w'"):
            run.histograms("w")
        with pytest.raises(tracker.TagNotFoundError, match="has no tag 'pr'"):
            run.pr_curves("pr")
        assert run.custom_charts() == {}
    assert user_version(logdir) == 2  # reading changes nothing


def test_appending_upgrades_the_file_and_keeps_every_value(logdir):
    assert tracker.SCHEMA_VERSION == 4
    with tracker.SummaryWriter(logdir / "v2") as w:
        w.add_histogram("w", [1.0, 2.0, 3.0], 0, bins=3)
        w.add_image("img", np.zeros((1, 2, 2)), 0)
        w.add_scalar("loss", 0.01, 20)
        w.add_pr_curve("pr", [1, 0], [0.9, 0.2], 0, num_thresholds=3)
        w.add_tensor("t", [1, 2], 0)
        w.add_custom_scalars_multilinechart(["loss", "acc/.*"])
    assert user_version(logdir) == 4
    with tracker.open_run(logdir, "v2") as run:
        assert run.scalars("loss").value[-1] == 0.01
        assert run.histograms("w")[0].counts.tolist() == [1, 1, 1]
        assert run.images("img")[0]["width"] == 2
        assert run.pr_curves("pr")[0]["true_positives"] == [1.0, 1.0, 0.0]
        assert run.tensors("t")[0]["tensor"].tolist() == [1, 2]
        assert run.custom_charts()["default"]["untitled"]["tags"] == ["loss", "acc/.*"]
        info = run.info()
    assert info.tags["loss"].count == 21 and info.tags["acc/train"].chart == "acc"
    assert info.tags["w"].kind == "histogram" and info.tags["img"].kind == "image"
    conn = sqlite3.connect(logdir / "v2" / tracker.EVENTS_FILE)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT id FROM tags WHERE tag = 'notes'").fetchone()[0] == 4  # ids kept
    conn.close()
    with tracker.open_run(logdir, "v2") as run:
        run.scalars("loss", end=19)  # the old rows still join to their tags
        assert run.texts("notes")[0]["text"] == "version *2* file"
