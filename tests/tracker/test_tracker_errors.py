"""Bad input to the writer gets an error naming what was wrong, and nothing written is lost."""

import os
import re
import sys

import numpy as np
import pytest

import tracker


@pytest.fixture
def writer(tmp_path):
    with tracker.SummaryWriter(tmp_path / "run") as w:
        yield w


@pytest.mark.parametrize("value, error, message", [
    ("0.5", TypeError, r"value for tag 'loss' must be a number, got str"),
    (None, TypeError, r"value for tag 'loss' must be a number, got NoneType"),
    ([1.0, 2.0], ValueError, r"tag 'loss' must be a single number, got an array of shape \(2,\)"),
    (np.zeros((2, 2)), ValueError, r"tag 'loss' must be a single number.*shape \(2, 2\)"),
    (np.array([]), ValueError, r"tag 'loss' must be a single number.*shape \(0,\)"),
    ({"a": 1}, TypeError, r"value for tag 'loss' must be a number, got dict"),
    (np.array(["a"]), TypeError, r"value for tag 'loss' must be a number"),
])
def test_add_scalar_rejects_values_that_are_not_one_number(writer, value, error, message):
    with pytest.raises(error, match=message):
        writer.add_scalar("loss", value, 0)


@pytest.mark.parametrize("tag, error, message", [
    (1, TypeError, r"tag must be a str, got int 1"),
    (None, TypeError, r"tag must be a str, got NoneType"),
    (b"loss", TypeError, r"tag must be a str, got bytes"),
    ("", ValueError, r"tag must not be empty"),
])
def test_tags_must_be_non_empty_strings(writer, tag, error, message):
    with pytest.raises(error, match=message):
        writer.add_scalar(tag, 1.0, 0)
    with pytest.raises(error, match=message):
        writer.add_text(tag, "x", 0)


@pytest.mark.parametrize("step, error, message", [
    (float("nan"), ValueError, r"global_step for tag 'loss' must be finite, got nan"),
    (float("inf"), ValueError, r"global_step for tag 'loss' must be finite, got inf"),
    (1e30, ValueError, r"global_step for tag 'loss' is out of the int64 range"),
    ("3", TypeError, r"global_step for tag 'loss' must be an integer, got str '3'"),
    (True, TypeError, r"global_step for tag 'loss' must be an integer, got bool"),
    (2**63, ValueError, r"global_step for tag 'loss' is out of the int64 range"),
])
def test_steps_must_be_integers(writer, step, error, message):
    with pytest.raises(error, match=message):
        writer.add_scalar("loss", 1.0, step)


def test_numpy_integer_steps_are_accepted(tmp_path):
    with tracker.SummaryWriter(tmp_path / "run") as w:
        w.add_scalar("x", 1.0, np.int32(4))
        w.add_scalar("x", 2.0, np.array(5))
    with tracker.open_run(tmp_path, "run") as run:
        assert run.scalars("x").step.tolist() == [4, 5]


@pytest.mark.parametrize("call, message", [
    (lambda w: w.add_scalar("x", 1.0, 0), "cannot add_scalar"),
    (lambda w: w.add_scalars("x", {"a": 1.0}, 0), "cannot add_scalars"),
    (lambda w: w.add_text("t", "x", 0), "cannot add_text"),
    (lambda w: w.add_figure("f", {"data": []}, 0), "cannot add_figure"),
    (lambda w: w.add_graph({"nodes": []}), "cannot add_graph"),
    (lambda w: w.add_hparams({"lr": 0.1}, {}), "cannot add_hparams"),
    (lambda w: w.add_summary([("x", 1.0)], 0), "cannot add_summary"),
])
def test_writing_after_close_raises_and_keeps_what_was_written(tmp_path, call, message):
    w = tracker.SummaryWriter(tmp_path / "run")
    w.add_scalar("kept", 1.0, 0)
    w.close()
    w.close()  # idempotent
    w.flush()  # harmless
    with pytest.raises(tracker.WriterClosedError, match=message + r".*'.*run' is closed"):
        call(w)
    with tracker.open_run(tmp_path, "run") as run:
        assert run.scalars("kept").value.tolist() == [1.0]
        assert run.info().status == "finished"


def test_log_dir_under_a_file_cannot_be_created(tmp_path):
    (tmp_path / "file").write_text("not a directory")
    with pytest.raises(tracker.LogDirError, match=r"log_dir '.*file[/\\]run' cannot be created"):
        tracker.SummaryWriter(tmp_path / "file" / "run")


def test_log_dir_without_write_permission(shared_dir, viewer):
    """As a user who may not write there (root ignores permissions, so `viewer` drops it)."""
    locked = shared_dir / "locked"
    locked.mkdir()
    with tracker.SummaryWriter(shared_dir / "finished") as w:
        w.add_scalar("x", 1.0, 0)
    code = ("import sys, tracker\n"
            "for log_dir in sys.argv[1:]:\n"
            "    try:\n"
            "        tracker.SummaryWriter(log_dir)\n"
            "    except tracker.LogDirError as exc:\n"
            "        print(exc)\n")
    shown = viewer.run(code, locked / "run", shared_dir / "finished")
    assert shown.returncode == 0, shown.stderr
    new, finished = shown.stdout.splitlines()
    assert re.match(r"log_dir '.*locked/run' cannot be created or written: .*Permission denied", new)
    assert re.match(r"log_dir '.*finished' cannot be created or written: attempt to write a readonly "
                    "database", finished)


def test_log_dir_holding_a_foreign_database_is_refused_and_left_as_it_was(tmp_path):
    import sqlite3
    run = tmp_path / "run"
    run.mkdir()
    sqlite3.connect(run / "events.sqlite").execute("CREATE TABLE other (x)").connection.close()
    before = (run / "events.sqlite").read_bytes()
    with pytest.raises(tracker.LogDirError, match=r"cannot append to: not a liteboard events file"):
        tracker.SummaryWriter(run)
    assert (run / "events.sqlite").read_bytes() == before  # not even switched to WAL
    assert sorted(p.name for p in run.iterdir()) == ["events.sqlite"]


def test_log_dir_holding_an_unreleased_format_version_is_refused_and_left_as_it_was(tmp_path):
    import sqlite3
    with tracker.SummaryWriter(tmp_path / "run") as w:
        w.add_scalar("x", 1.0, 0)
    events = tmp_path / "run" / "events.sqlite"
    with sqlite3.connect(events) as conn:
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    before = events.read_bytes()
    with pytest.raises(tracker.LogDirError,
                       match=r"cannot append to: unknown format version 1$"):
        tracker.SummaryWriter(tmp_path / "run")
    assert events.read_bytes() == before


def test_log_dir_holding_a_corrupt_file_names_the_file(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "events.sqlite").write_bytes(b"not a database " * 100)
    with pytest.raises(tracker.LogDirError, match=r"^log_dir '[^']*run' holds events.sqlite that liteboard "
                                                  r"cannot append to: not an SQLite database"):
        tracker.SummaryWriter(run)
    assert (run / "events.sqlite").read_bytes() == b"not a database " * 100


def test_bad_constructor_arguments(tmp_path):
    with pytest.raises(ValueError, match="max_queue must be a positive int"):
        tracker.SummaryWriter(tmp_path / "a", max_queue=0)
    with pytest.raises(ValueError, match="flush_secs must be a positive number"):
        tracker.SummaryWriter(tmp_path / "a", flush_secs=-1)
    with pytest.raises(TypeError, match="log_dir must be a path, got int"):
        tracker.SummaryWriter(3)
    with pytest.raises(TypeError, match="^purge_step must be an integer, got float 1.5"):
        tracker.SummaryWriter(tmp_path / "a", purge_step=1.5)


def test_a_filename_suffix_is_ignored_with_a_warning_and_the_values_still_land(tmp_path):
    # torch's writers take it (one events file each); a script passing it must keep running.
    with pytest.warns(UserWarning, match=r"filename_suffix='.v2' is ignored: a liteboard run is always"):
        writer = tracker.SummaryWriter(tmp_path / "a", filename_suffix=".v2")
    with writer:
        writer.add_scalar("loss", 0.5, 3)
    assert writer.filename_suffix == ".v2"
    with tracker.open_run(tmp_path, "a") as run:
        series = run.scalars("loss")
    assert list(series.step) == [3] and list(series.value) == [0.5]


def test_a_tag_keeps_its_kind(writer):
    writer.add_scalar("x", 1.0, 0)
    with pytest.raises(ValueError, match="tag 'x' already holds scalar values, not text"):
        writer.add_text("x", "hello", 0)


@pytest.mark.parametrize("call, error, message", [
    (lambda w: w.add_text("t", 3, 0), TypeError, r"text for tag 't' must be a str, got int"),
    (lambda w: w.add_figure("f", object(), 0), TypeError,
     r"figure for tag 'f' must be a plotly Figure or a dict, got object"),
    (lambda w: w.add_figure("f", {"data": [object()]}, 0), ValueError,
     r"figure for tag 'f' cannot be stored as JSON"),
    (lambda w: w.add_graph(object()), TypeError,
     r"add_graph expects an object with as_graph_def\(\) or a graph definition dict, got object"),
    (lambda w: w.add_graph({"nodes": [{"attrs": {"x": object()}}]}), ValueError,
     r"graph definition cannot be stored as JSON"),
    (lambda w: w.add_hparams({"lr": [0.1]}, {}), TypeError,
     r"hparam 'lr' must be a bool, number, str or None, got list"),
    (lambda w: w.add_hparams({1: 0.1}, {}), TypeError, r"hparam name must be a str, got int"),
    (lambda w: w.add_hparams({"lr": 0.1}, {"loss": "low"}), TypeError,
     r"value for tag 'loss' must be a number, got str"),
    (lambda w: w.add_hparams([("lr", 0.1)], {}), TypeError, r"hparam_dict must be a dict, got list"),
    (lambda w: w.add_scalars("m", [1.0], 0), TypeError,
     r"tag_scalar_dict for 'm' must be a dict of tag -> value, got list"),
    (lambda w: w.add_scalars("m", {"a": "x"}, 0), TypeError, r"value for tag 'm/a' must be a number"),
    (lambda w: w.add_summary("loss", 0), TypeError, r"got a str \(a serialized Summary is bytes\)"),
    (lambda w: w.add_summary([("a", 1.0, 2.0)], 0), ValueError, r"expects \(tag, value\) pairs, got"),
    (lambda w: w.add_summary(5, 0), TypeError, r"add_summary expects \(tag, value\) pairs or a dict, got int"),
    (lambda w: w.add_scalar("x", 1.0, 0, walltime="now"), TypeError,
     r"walltime for tag 'x' must be seconds as a number, got str"),
])
def test_other_bad_arguments_name_what_is_wrong(writer, call, error, message):
    with pytest.raises(error, match=message):
        call(writer)


def test_a_rejected_value_loses_nothing_already_logged(tmp_path):
    with tracker.SummaryWriter(tmp_path / "run") as w:
        w.add_scalar("x", 1.0, 0)
        with pytest.raises(ValueError):
            w.add_scalar("x", [1.0, 2.0], 1)
        with pytest.raises(TypeError):
            w.add_scalar("y", 1.0, "0")
        w.add_scalar("x", 2.0, 1)
    with tracker.open_run(tmp_path, "run") as run:
        assert run.scalars("x").value.tolist() == [1.0, 2.0]
        assert set(run.info().tags) == {"x"}


def test_a_second_writer_in_the_same_process_shares_the_run_as_a_notebook_rerun_needs(tmp_path):
    """A notebook cell that makes SummaryWriter("runs/x") again while the first is open works,
    as with PyTorch: both keep writing; the run is finished when the last one closes (another
    process still gets RunInUseError: test_tracker_faults)."""
    first = tracker.SummaryWriter(tmp_path / "run")
    first.add_scalar("x", 1.0, 0)
    second = tracker.SummaryWriter(tmp_path / "run")
    second.add_scalar("x", 2.0, 1)
    first.add_scalar("x", 3.0, 2)
    first.close()
    with pytest.raises(tracker.WriterClosedError):
        first.add_scalar("x", 9.0, 3)
    second.add_scalar("x", 4.0, 3)
    with tracker.open_run(tmp_path, "run") as run:
        assert run.info().status == "running"
    second.close()
    with tracker.open_run(tmp_path, "run") as run:
        assert run.scalars("x").value.tolist() == [1.0, 2.0, 3.0, 4.0]
        assert run.info().status == "finished"


def test_a_rerun_cell_whose_old_writer_is_forgotten_still_finishes_the_run(tmp_path):
    writer = tracker.SummaryWriter(tmp_path / "run")
    writer.add_scalar("x", 1.0, 0)
    writer = tracker.SummaryWriter(tmp_path / "run")  # the cell again: the first is garbage
    writer.add_scalar("x", 2.0, 1)
    writer.close()
    with tracker.open_run(tmp_path, "run") as run:
        assert run.scalars("x").value.tolist() == [1.0, 2.0]
        assert run.info().status == "finished"


def test_interpreter_exit_without_close_commits_and_finishes(tmp_path):
    import subprocess
    code = ("import tracker\n"
            f"w = tracker.SummaryWriter({str(tmp_path / 'run')!r}, flush_secs=600)\n"
            "for i in range(1000): w.add_scalar('x', float(i), i)\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    with tracker.open_run(tmp_path, "run") as run:
        assert run.info().status == "finished"
        assert len(run.scalars("x")) == 1000


@pytest.mark.parametrize("call", [
    lambda w: w.add_scalar("loss\udcff", 1.0, 0),
    lambda w: w.add_text("loss\udcff", "x", 0),
    lambda w: w.add_scalars("loss\udcff", {"a": 1.0}, 0),
    lambda w: w.add_scalars("g", {"loss\udcff": 1.0}, 0),
    lambda w: w.add_hparams({"loss\udcff": 1}, {}),
])
def test_a_tag_with_a_lone_surrogate_is_refused_at_the_call(writer, call):
    # as os.fsdecode builds from a file name that is not UTF-8
    with pytest.raises(ValueError, match=r"'loss\\udcff'.*lone surrogate U\+DCFF at position 4"):
        call(writer)


def test_a_text_with_a_lone_surrogate_is_refused_at_the_call(writer):
    with pytest.raises(ValueError, match=r"text for tag 'note'.*lone surrogate U\+D800 at position 2"):
        writer.add_text("note", "ab\ud800c", 0)


def test_a_string_refused_at_the_call_never_poisons_the_run(tmp_path):
    with tracker.SummaryWriter(tmp_path / "run", max_queue=100_000) as w:
        for step in range(50_000):
            w.add_scalar("loss", float(step), step)
        with pytest.raises(ValueError, match="lone surrogate"):
            w.add_scalar("loss\udcff", 1.0, 0)
        with pytest.raises(ValueError, match="lone surrogate"):
            w.add_text("note", "bad \udcff", 0)
        w.add_text("note", "fine", 0)
    (info,) = tracker.list_runs(tmp_path)
    assert info.status == "finished"
    with tracker.open_run(tmp_path, "run") as run:
        assert run.scalars("loss").value.tolist() == [float(s) for s in range(50_000)]
        assert set(run.info().tags) == {"loss", "note"}


@pytest.mark.parametrize("call, message", [
    (lambda w: w.add_scalar("a\x00b", 1.0, 0), r"tag 'a\\x00b' contains a NUL character at position 1"),
    (lambda w: w.add_text("a\x00b", "x", 0), r"tag 'a\\x00b' contains a NUL character"),
    (lambda w: w.add_scalar("x" * 1025, 1.0, 0), r"tag 'x{80}'\.\.\. is longer than 1024 characters"),
    (lambda w: w.add_scalars("g" * 1000, {"k" * 30: 1.0}, 0), r"tag 'g{80}'\.\.\. is longer than 1024"),
    (lambda w: w.add_scalars("g", {"k\x00": 1.0}, 0), r"key of g 'k\\x00' contains a NUL"),
])
def test_tags_follow_the_name_rule_the_api_accepts(writer, call, message):
    with pytest.raises(ValueError, match=message):
        call(writer)


def test_a_tag_of_the_longest_name_the_api_accepts_is_stored(tmp_path):
    from tracker.names import MAX_NAME_LENGTH

    tag = "t" * MAX_NAME_LENGTH
    with tracker.SummaryWriter(tmp_path / "run") as w:
        w.add_scalar(tag, 1.0, 0)
    with tracker.open_run(tmp_path, "run") as run:
        assert run.scalars(tag).value.tolist() == [1.0]


@pytest.mark.parametrize("value", [10**400, -(10**400)], ids=["10**400", "-10**400"])
def test_an_integer_beyond_float64_names_the_tag(writer, value):
    with pytest.raises(ValueError, match=r"value for tag 'loss' is out of the float64 range"):
        writer.add_scalar("loss", value, 0)
    with pytest.raises(ValueError, match=r"value for tag 'g/a' is out of the float64 range"):
        writer.add_scalars("g", {"a": value}, 0)
    with pytest.raises(ValueError, match=r"value for tag 'acc' is out of the float64 range"):
        writer.add_hparams({"lr": 0.1}, {"acc": value})
