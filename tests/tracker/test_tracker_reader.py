"""The reader: listing runs, finding them safely, reporting unreadable files, never changing them."""

import hashlib
import os
import sqlite3

import pytest

import tracker


def _write(path, n=5):
    with tracker.SummaryWriter(path) as w:
        for step in range(n):
            w.add_scalar("loss", 1.0 / (step + 1), step)


def test_missing_or_empty_logdir_has_no_runs(tmp_path):
    assert tracker.list_runs(tmp_path / "nope") == []
    assert tracker.list_runs(tmp_path) == []


def test_runs_are_listed_by_relative_name_nested_included(tmp_path):
    for name in ("b", "a", "group/x", "group/y/deep"):
        _write(tmp_path / name)
    (tmp_path / "not_a_run").mkdir()
    names = [info.name for info in tracker.list_runs(tmp_path)]
    assert names == ["a", "b", "group/x", "group/y/deep"]
    with tracker.open_run(tmp_path, "group/y/deep") as run:
        assert run.info().name == "group/y/deep"


def test_a_run_at_the_logdir_itself_is_named_dot(tmp_path):
    _write(tmp_path)
    assert [info.name for info in tracker.list_runs(tmp_path)] == ["."]


@pytest.mark.parametrize("name", ["missing", "../outside", "/etc", "a/../../outside", "", "a/.."])
def test_open_run_refuses_missing_and_escaping_names(tmp_path, name):
    logdir = tmp_path / "logdir"
    _write(logdir / "a")
    _write(tmp_path / "outside")
    with pytest.raises(tracker.RunNotFoundError, match="does not exist"):
        tracker.open_run(logdir, name)


@pytest.mark.parametrize("name, reason", [
    ("a" * 400, "File name too long"),
    ("group/" + "b" * 300 + "/run", "File name too long"),
    ("/".join(["c" * 200] * 40), "File name too long"),
    ("a\x00b", "embedded null byte"),
    ("\x00", "embedded null byte"),
])
def test_open_run_names_the_run_the_file_system_rejects(tmp_path, name, reason):
    _write(tmp_path / "group" / "a")
    with pytest.raises(tracker.RunNotFoundError) as caught:
        tracker.open_run(tmp_path, name)
    message = str(caught.value)
    assert message.startswith(f"run {name!r} does not exist in {tmp_path}")
    assert reason in message


def test_unknown_tags_raise_tag_not_found(tmp_path):
    with tracker.SummaryWriter(tmp_path / "a") as w:
        w.add_scalar("loss", 1.0, 0)
        w.add_text("note", "x", 0)
    with tracker.open_run(tmp_path, "a") as run:
        with pytest.raises(tracker.TagNotFoundError, match=r"run 'a' has no tag 'acc'"):
            run.scalars("acc")
        with pytest.raises(tracker.TagNotFoundError, match=r"no scalar tag \(it is text\) 'note'"):
            run.scalars_since("note", 0)
        with pytest.raises(tracker.TagNotFoundError, match=r"run 'a' has no text tag 'loss'"):
            run.texts("loss")
        with pytest.raises(tracker.TagNotFoundError, match=r"run 'a' has no figure tag 'x'"):
            run.figures("x")
        assert run.graph() is None and run.graphs() == []
        assert run.hparams() == {"hparams": {}, "metrics": {}}


def _corrupt(path):
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not an sqlite file at all" * 100)


def _foreign(path):
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE scalars (x)")
    conn.close()


def _newer(path):
    _write(path.parent)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {tracker.SCHEMA_VERSION + 1}")
    conn.close()


def _unreleased(path):
    """A file stamped with format version 1, which no release wrote."""
    _write(path.parent)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 1")
    conn.close()


def _truncated(path):
    _write(path.parent, n=20000)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


@pytest.mark.parametrize("spoil, reason", [
    (_corrupt, "not an SQLite database"),
    (_foreign, "not a liteboard events file"),
    (_newer, "written by a newer liteboard"),
    (_unreleased, "unknown format version 1"),
])
def test_an_unreadable_run_is_reported_and_the_rest_still_load(tmp_path, spoil, reason):
    _write(tmp_path / "good")
    spoil(tmp_path / "bad" / "events.sqlite")
    runs = {info.name: info for info in tracker.list_runs(tmp_path)}
    assert runs["good"].status == "finished" and runs["good"].tags["loss"].count == 5
    assert runs["bad"].status == "error" and reason in runs["bad"].error
    assert runs["bad"].to_dict()["error"] == runs["bad"].error
    with pytest.raises(tracker.UnreadableRunError, match=reason) as caught:
        tracker.open_run(tmp_path, "bad")
    assert "bad" in str(caught.value)


def test_a_truncated_file_reads_as_an_error_not_a_crash(tmp_path):
    _truncated(tmp_path / "bad" / "events.sqlite")
    try:
        with tracker.open_run(tmp_path, "bad") as run:
            run.info()
            run.scalars("loss")
    except tracker.UnreadableRunError as exc:
        assert "events.sqlite" in str(exc)
    (info,) = tracker.list_runs(tmp_path)
    assert info.status in ("error", "finished")


def _snapshot(directory):
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(directory.iterdir())}


def test_reading_never_changes_the_file(tmp_path):
    with tracker.SummaryWriter(tmp_path / "a") as w:
        for step in range(3000):
            w.add_scalar("loss", float(step % 17), step)
        w.add_text("t", "x", 0)
        w.add_graph({"nodes": []})
    before = _snapshot(tmp_path / "a")
    tracker.list_runs(tmp_path)
    with tracker.open_run(tmp_path, "a") as run:
        run.info()
        run.scalars("loss", max_points=100)
        run.scalars("loss", start=5, end=500)
        run.scalars_since("loss", 2990)
        run.texts(), run.figures(), run.graphs(), run.hparams()
    after = {name: value for name, value in _snapshot(tmp_path / "a").items()
             if name == "events.sqlite"}
    assert after == {"events.sqlite": before["events.sqlite"]}


def test_a_read_only_run_directory_can_be_read(tmp_path):
    _write(tmp_path / "a")
    os.chmod(tmp_path / "a", 0o500)
    try:
        with tracker.open_run(tmp_path, "a") as run:
            assert run.scalars("loss").total == 5
    finally:
        os.chmod(tmp_path / "a", 0o700)
