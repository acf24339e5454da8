"""The run summary file: tracker.run_info reads it instead of the events file exactly while it is
current, and what it returns is what Run.info() returns, for every kind of run."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import orjson
import pytest

import tracker
from tracker import summary_file

ROOT = Path(__file__).resolve().parents[2]
V2_RUN = Path(__file__).parent / "data" / "v2_run.sqlite"


@contextmanager
def no_sqlite(monkeypatch):
    """Inside, opening any SQLite file fails: what succeeds read no events file."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"sqlite3.connect{args} was called")

    with monkeypatch.context() as patch:
        patch.setattr(sqlite3, "connect", refuse)
        yield


def events(run_dir):
    return Path(run_dir) / tracker.EVENTS_FILE


def summary(run_dir):
    return Path(run_dir) / tracker.SUMMARY_FILE


def as_json(info):
    """A RunInfo as comparable text: NaN equals NaN here, unlike in a dict."""
    return json.dumps(info.to_dict(), sort_keys=True)


def from_file(run_dir, name="run"):
    with tracker.Run(name, events(run_dir)) as run:
        return run.info()


def assert_fast_and_same(run_dir, monkeypatch, name="run"):
    """run_info reads the summary alone, and gives what the events file gives."""
    with no_sqlite(monkeypatch):
        fast = tracker.run_info(events(run_dir), name)
    assert as_json(fast) == as_json(from_file(run_dir, name))
    return fast


def assert_slow_and_same(run_dir, monkeypatch, name="run"):
    """run_info does not trust the summary (it needs the events file), and gives what it gives."""
    with no_sqlite(monkeypatch), pytest.raises(AssertionError, match="sqlite3.connect"):
        tracker.run_info(events(run_dir), name)
    info = tracker.run_info(events(run_dir), name)
    assert as_json(info) == as_json(from_file(run_dir, name))
    return info


# -- every kind of run -----------------------------------------------------------------

def scalars_ending_non_finite(w):
    for step in range(20):
        w.add_scalar("loss", 1.0 / (step + 1), step)
    w.add_scalar("nan_last", 1.0, 0)
    w.add_scalar("nan_last", float("nan"), 1)
    w.add_scalar("inf_last", -2.0, 0)
    w.add_scalar("inf_last", float("inf"), 1)
    w.add_scalar("neg_inf", float("-inf"), 0)
    w.add_scalar("only_nan", float("nan"), 3)


def charts(w):
    for step in range(5):
        w.add_scalars("gap", {"train": step * 0.5, "val": step * 0.7}, step)


def hparams(w):
    w.add_scalar("loss", 0.5, 0)
    w.add_hparams({"lr": 0.1, "opt": "adam", "layers": 3, "decay": None, "flag": True},
                  {"final_loss": 0.25, "worst": float("inf")})
    w.add_hparams({"lr": 0.2}, {"final_loss": 0.125})  # replaces lr, keeps the others


def texts(w):
    w.add_text("notes", "<b>hello</b> *markdown*", 0)
    w.add_text("notes", "second", 4)
    w.add_text("ünïcode/tag", "ok", 1)


def histograms(w):
    rng = np.random.default_rng(0)
    for step in range(3):
        w.add_histogram("weights", rng.normal(size=100), step)
    w.add_histogram("with_nan", np.array([1.0, float("nan"), float("inf")]), 0)


def images(w):
    w.add_image("img", np.zeros((3, 4, 5), np.uint8), 0)
    w.add_image("img", np.full((3, 4, 5), 255, np.uint8), 7)


def custom_layout(w):
    w.add_scalar("a", 1.0, 0)
    w.add_custom_scalars({"losses": {"both": ["Multiline", ["a", "b.*"]]},
                          "bands": {"a band": ["Margin", ["a", "lo", "hi"]]}})


def everything_else(w):
    w.add_figure("fig", {"data": [{"type": "scatter", "y": [1, 2]}]}, 0)
    w.add_graph({"nodes": [{"name": "x", "op": "Placeholder", "inputs": []}]})
    w.add_tensor("t", np.arange(6, dtype=np.float32).reshape(2, 3), 0)
    w.add_pr_curve("pr", np.array([0, 1, 1, 0]), np.array([0.1, 0.9, 0.6, 0.3]), 0)


def no_values(w):
    pass


KINDS = [scalars_ending_non_finite, charts, hparams, texts, histograms, images, custom_layout,
         everything_else, no_values]


@pytest.mark.parametrize("write", KINDS, ids=lambda f: f.__name__)
def test_a_finished_run_lists_from_its_summary_as_from_its_file(tmp_path, monkeypatch, write):
    with tracker.SummaryWriter(tmp_path / "run") as w:
        write(w)
    info = assert_fast_and_same(tmp_path / "run", monkeypatch)
    assert info.status == "finished" and info.problems == [] and info.error is None


def test_the_values_survive_the_summary(tmp_path, monkeypatch):
    with tracker.SummaryWriter(tmp_path / "run") as w:
        scalars_ending_non_finite(w)
        hparams(w)
        custom_layout(w)
        charts(w)
    info = assert_fast_and_same(tmp_path / "run", monkeypatch)
    tags = info.tags
    assert np.isnan(tags["nan_last"].last) and tags["nan_last"].max == 1.0
    assert tags["inf_last"].last == float("inf") and tags["inf_last"].max == float("inf")
    assert tags["inf_last"].min == -2.0 and tags["neg_inf"].min == float("-inf")
    assert np.isnan(tags["only_nan"].last) and tags["only_nan"].min is None
    assert tags["loss"].count == 20 and tags["loss"].last == 1 / 20 and tags["loss"].min_step == 19
    assert tags["gap/val"].chart == "gap" and tags["gap/val"].last_step == 4
    assert info.hparams == {"decay": None, "flag": True, "layers": 3, "lr": 0.2, "opt": "adam"}
    assert info.metrics == {"final_loss": 0.125, "worst": float("inf")}
    assert info.charts == {"bands": {"a band": {"kind": "margin", "tags": ["a", "lo", "hi"]}},
                           "losses": {"both": {"kind": "multiline", "tags": ["a", "b.*"]}}}
    assert list(tags) == sorted(tags)  # in the file's order


def test_a_running_writer_is_listed_from_its_summary_after_each_commit(tmp_path, monkeypatch):
    run_dir = tmp_path / "run"
    w = tracker.SummaryWriter(run_dir, flush_secs=3600)
    try:
        assert assert_fast_and_same(run_dir, monkeypatch).tags == {}  # the open wrote one
        w.add_scalar("loss", 1.0, 0)
        w.add_hparams({"lr": 0.5}, {"m": 1.0})
        w.flush()
        info = assert_fast_and_same(run_dir, monkeypatch)
        assert info.status == "running" and info.end_time is None and info.hparams == {"lr": 0.5}
        assert tracker.file_state(events(run_dir))[2] > 0  # committed to the write-ahead log
        w.add_scalar("loss", 2.0, 1)  # buffered, not committed: the file and summary agree
        assert assert_fast_and_same(run_dir, monkeypatch).tags["loss"].count == 1
        w.flush()
        info = assert_fast_and_same(run_dir, monkeypatch)
        assert info.tags["loss"].last == 2.0 and info.tags["loss"].count == 2
    finally:
        w.close()
    assert assert_fast_and_same(run_dir, monkeypatch).status == "finished"


def test_a_heartbeat_keeps_the_summary_current(tmp_path, monkeypatch):
    run_dir = tmp_path / "run"
    with tracker.SummaryWriter(run_dir) as w:
        w.add_scalar("x", 1.0, 0)
        w.flush()
        before = tracker.file_state(events(run_dir))
        w._store._heartbeat(0.0)  # what the timer thread does when nothing was logged
        assert tracker.file_state(events(run_dir)) != before
        info = assert_fast_and_same(run_dir, monkeypatch)
        assert info.last_write == from_file(run_dir).last_write


def test_a_resumed_run_keeps_what_it_had_in_its_summary(tmp_path, monkeypatch):
    with tracker.SummaryWriter(tmp_path / "run") as w:
        hparams(w)
        custom_layout(w)
        w.add_scalar("x", 1.0, 0)
    first = from_file(tmp_path / "run")
    with tracker.SummaryWriter(tmp_path / "run") as w:
        w.add_scalar("x", 5.0, 1)
        w.add_hparams({"opt": "sgd"}, {})
    info = assert_fast_and_same(tmp_path / "run", monkeypatch)
    assert info.start_time == first.start_time and info.charts == first.charts
    assert info.hparams == {**first.hparams, "opt": "sgd"} and info.tags["x"].count == 2


def test_a_purged_resume_is_listed_as_the_file_has_it(tmp_path, monkeypatch):
    with tracker.SummaryWriter(tmp_path / "run") as w:
        for step in range(10):
            w.add_scalar("x", float(step), step)
        w.add_text("gone", "only at 8", 8)
    with tracker.SummaryWriter(tmp_path / "run", purge_step=5):
        pass
    info = assert_fast_and_same(tmp_path / "run", monkeypatch)
    assert info.tags["x"].count == 5 and info.tags["x"].last_step == 4
    assert not info.tags.get("gone", tracker.TagInfo("gone", "text")).count


def test_a_purge_through_a_second_writer_of_an_open_run_keeps_the_summary_current(tmp_path,
                                                                                   monkeypatch):
    with tracker.SummaryWriter(tmp_path / "run") as w:
        for step in range(10):
            w.add_scalar("x", float(step), step)
        w.flush()
        with tracker.SummaryWriter(tmp_path / "run", purge_step=3):  # shares w's store
            info = assert_fast_and_same(tmp_path / "run", monkeypatch)
            assert info.tags["x"].count == 3 and info.status == "running"


# A writer that commits forever, printing after each explicit flush.
WRITER = """
import sys, tracker
w = tracker.SummaryWriter(sys.argv[1], max_queue=97, flush_secs=0.05)
step = 0
while True:
    w.add_scalar("a", step * 2.0, step)
    w.add_scalars("g", {"b": -step * 1.0}, step)
    if step % 150 == 149:
        w.flush()
        print(step, flush=True)
    step += 1
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_a_killed_writer_is_listed_as_crashed_whichever_path_is_taken(tmp_path):
    run_dir = tmp_path / "run"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(run_dir)], stdout=subprocess.PIPE,
                            text=True, env=env)
    try:
        for _ in range(3):
            assert proc.stdout.readline(), "the writer process ended early"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    info = tracker.run_info(events(run_dir), "run")
    assert info.status == "crashed" and info.tags["a"].count >= 450
    assert as_json(info) == as_json(from_file(run_dir))


# -- when the summary is not trusted -----------------------------------------------------

def test_a_file_older_than_summaries_is_read_from_its_file(tmp_path, monkeypatch):
    (tmp_path / "v2").mkdir()
    shutil.copy(V2_RUN, events(tmp_path / "v2"))
    info = assert_slow_and_same(tmp_path / "v2", monkeypatch, name="v2")
    assert info.tags["loss"].count == 20 and info.hparams == {"lr": 0.1}


def test_a_summary_made_stale_by_a_later_commit_is_not_used(tmp_path, monkeypatch):
    run_dir = tmp_path / "run"
    with tracker.SummaryWriter(run_dir) as w:
        w.add_scalar("x", 1.0, 0)
        w.flush()
        old = summary(run_dir).read_bytes()
        w.add_scalar("x", 2.0, 1)
        w.flush()
        # as if the writer died after its commit and before its summary
        summary(run_dir).write_bytes(old)
        info = assert_slow_and_same(run_dir, monkeypatch)
        assert info.tags["x"].count == 2


def test_run_info_trusts_the_file_state_its_caller_just_took(tmp_path, monkeypatch):
    run_dir = tmp_path / "run"
    with tracker.SummaryWriter(run_dir) as w:
        w.add_scalar("x", 1.0, 0)
    state = tracker.file_state(events(run_dir))
    monkeypatch.setattr(summary_file, "file_state", lambda path: pytest.fail("stat'ed again"))
    with no_sqlite(monkeypatch):
        info = tracker.run_info(events(run_dir), "run", state)
    assert info.tags["x"].count == 1
    # a state the summary does not record (the files changed since): read from the events file
    stale = (state[0] + 1, *state[1:])
    assert as_json(tracker.run_info(events(run_dir), "run", stale)) == as_json(from_file(run_dir))


def test_an_edit_by_another_tool_is_seen(tmp_path, monkeypatch):
    run_dir = tmp_path / "run"
    with tracker.SummaryWriter(run_dir) as w:
        w.add_scalar("x", 1.0, 0)
    conn = sqlite3.connect(events(run_dir))
    with conn:
        conn.execute("UPDATE run SET command = 'edited'")
        conn.execute("INSERT INTO hparams VALUES ('hparam', 'big', ?)", (json.dumps("x" * 20000),))
    conn.close()
    info = assert_slow_and_same(run_dir, monkeypatch)
    assert info.command == "edited" and len(info.hparams["big"]) == 20000


def test_a_run_directory_copied_with_its_times_is_listed_from_its_summary(tmp_path, monkeypatch):
    with tracker.SummaryWriter(tmp_path / "run") as w:
        scalars_ending_non_finite(w)
    shutil.copytree(tmp_path / "run", tmp_path / "copy")  # copy2: same sizes and mtimes
    info = assert_fast_and_same(tmp_path / "copy", monkeypatch, name="copy")
    assert info.name == "copy" and info.path == str(events(tmp_path / "copy"))


def test_a_run_directory_copied_without_its_times_is_read_from_its_file(tmp_path, monkeypatch):
    with tracker.SummaryWriter(tmp_path / "run") as w:
        scalars_ending_non_finite(w)
    (tmp_path / "copy").mkdir()
    for name in (tracker.EVENTS_FILE, tracker.SUMMARY_FILE):
        shutil.copy(tmp_path / "run" / name, tmp_path / "copy" / name)
        os.utime(tmp_path / "copy" / name, ns=(1, 10**18))
    assert_slow_and_same(tmp_path / "copy", monkeypatch, name="copy")


def _edited(field, value):
    def edit(data):
        data[field] = value
    return edit


def _run_field(name, value):
    def edit(data):
        data["run"][name] = value
    return edit


def _tag_row(index, value):
    def edit(data):
        data["tags"][0][index] = value
    return edit


CORRUPTIONS = {
    "empty": b"",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "not JSON": b"\x00\xffnot json at all",
    "a JSON list": b"[1, 2, 3]",
    "NaN as JavaScript writes it": lambda raw: raw.replace(b'"version":1', b'"version":NaN'),
}
EDITS = {
    "another version": _edited("version", 2),
    "another format": _edited("format", 3),
    "no file_state": _edited("file_state", None),
    "file_state of another shape": _edited("file_state", [1, 2]),
    "tags not a list": _edited("tags", {"x": 1}),
    "other tag columns": _edited("tag_columns", ["tag", "kind"]),
    "no run": _edited("run", None),
    "a run field missing": lambda data: data["run"].pop("pid"),
    "a run field more": _run_field("extra", 1),
    "an unknown status": _run_field("status", "paused"),
    "a host that is no text": _run_field("host", 42),
    "a start time that is text": _run_field("start_time", "yesterday"),
    "a tag row too short": lambda data: data["tags"][0].pop(),
    "a tag that is no text": _tag_row(0, 7),
    "a count that is text": _tag_row(2, "3"),
    "a last value that is a word": _tag_row(5, "Infinite"),
    "an hparam that is no JSON": lambda data: data["hparams"].append(["hparam", "bad", "{oops"]),
    "an hparam row of one value": lambda data: data["hparams"].append(["hparam"]),
    "a chart of no tags": lambda data: data["charts"].append(["c", "t", "multiline", "3"]),
    "hparams not a list": _edited("hparams", 5),
}


@pytest.mark.parametrize("corrupt", [*CORRUPTIONS, *EDITS])
def test_a_corrupt_summary_falls_back_to_the_file_silently(tmp_path, monkeypatch, corrupt):
    run_dir = tmp_path / "run"
    with tracker.SummaryWriter(run_dir) as w:
        w.add_scalar("x", 1.0, 0)
        w.add_hparams({"lr": 0.1}, {})
        w.add_custom_scalars({"c": {"t": ["Multiline", ["x"]]}})
    raw = summary(run_dir).read_bytes()
    if corrupt in EDITS:
        data = orjson.loads(raw)
        EDITS[corrupt](data)
        spoiled = orjson.dumps(data)
    else:
        spoil = CORRUPTIONS[corrupt]
        spoiled = spoil(raw) if callable(spoil) else spoil
    summary(run_dir).write_bytes(spoiled)
    os.utime(summary(run_dir))  # only the summary changed; the events file is as recorded
    info = assert_slow_and_same(run_dir, monkeypatch)
    assert info.problems == [] and info.tags["x"].count == 1
    (listed,) = tracker.list_runs(tmp_path)
    assert as_json(listed) == as_json(info)


def test_a_summary_that_is_a_directory_falls_back_and_the_writer_goes_on(tmp_path, monkeypatch):
    run_dir = tmp_path / "run"
    (summary(run_dir) / "blocker").mkdir(parents=True)  # os.replace cannot put a file there
    with tracker.SummaryWriter(run_dir) as w:
        w.add_scalar("x", 1.0, 0)
        w.flush()
        w.add_scalar("x", 2.0, 1)
    info = assert_slow_and_same(run_dir, monkeypatch)
    assert info.status == "finished" and info.tags["x"].count == 2
    assert sorted(p.name for p in run_dir.iterdir()) == [tracker.EVENTS_FILE, tracker.SUMMARY_FILE]


# -- list_runs, file_state and the writer's temporaries -----------------------------------

def test_list_runs_opens_no_events_file_when_every_summary_is_current(tmp_path, monkeypatch):
    for name in ("a", "b/nested", "c"):
        with tracker.SummaryWriter(tmp_path / name) as w:
            w.add_scalar("x", float(len(name)), 0)
    expected = [as_json(from_file(tmp_path / name, name)) for name in ("a", "b/nested", "c")]
    with no_sqlite(monkeypatch):
        listed = tracker.list_runs(tmp_path)
    assert [as_json(info) for info in listed] == expected


def test_file_state_is_the_sizes_and_mtimes_of_the_file_and_its_log(tmp_path):
    run_dir = tmp_path / "run"
    path = events(run_dir)
    assert tracker.file_state(path) is None  # no file yet
    w = tracker.SummaryWriter(run_dir)
    w.add_scalar("x", 1.0, 0)
    w.flush()
    main, wal = os.stat(path), os.stat(f"{path}-wal")
    assert tracker.file_state(path) == (main.st_size, main.st_mtime_ns, wal.st_size, wal.st_mtime_ns)
    w.close()
    main = os.stat(path)
    assert tracker.file_state(path) == (main.st_size, main.st_mtime_ns, None, None)
    assert orjson.loads(summary(run_dir).read_bytes())["file_state"] == list(tracker.file_state(path))


def test_a_killed_writers_summary_temporary_is_removed_and_a_live_ones_kept(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    host = tracker.process.host_name()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = run_dir / f".{tracker.SUMMARY_FILE}.{host}.{dead.pid}.0123abcd.tmp"
    alive = run_dir / f".{tracker.SUMMARY_FILE}.{host}.{os.getppid()}.0123abcd.tmp"
    for path in (stale, alive):
        path.write_bytes(b"{")
    with tracker.SummaryWriter(run_dir) as w:
        w.add_scalar("x", 1.0, 0)
    assert not stale.exists() and alive.exists()
    alive.unlink()
    assert sorted(p.name for p in run_dir.iterdir()) == [tracker.EVENTS_FILE, tracker.SUMMARY_FILE]


def test_a_large_run_summary_holds_every_tag(tmp_path, monkeypatch):
    with tracker.SummaryWriter(tmp_path / "run") as w:
        for i in range(2000):
            w.add_scalar(f"group{i % 7}/tag{i}", float(i), 0)
    info = assert_fast_and_same(tmp_path / "run", monkeypatch)
    assert len(info.tags) == 2000
