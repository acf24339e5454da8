"""Faults: a writer killed mid-run, a reader polling during writes, two writers on one run."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import tracker

ROOT = Path(__file__).resolve().parents[2]

# Writes two tags forever; after each explicit flush prints the last step it committed.
WRITER = """
import sys, tracker
w = tracker.SummaryWriter(sys.argv[1], max_queue=97, flush_secs=0.05)
step = int(sys.argv[2])
while True:
    w.add_scalar("a", step * 2.0, step)
    w.add_scalars("g", {"b": -step * 1.0}, step)
    if step % 150 == 149:
        w.add_text("note", f"at {step}", step)
        w.flush()
        print(step, flush=True)
    step += 1
"""

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")


def _spawn(code, *args):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE,
                            text=True, env=env)


def _committed_after(proc, lines):
    """The last step the child reported committed once it has reported ``lines`` flushes."""
    last = None
    for _ in range(lines):
        line = proc.stdout.readline()
        assert line, "the writer process ended early"
        last = int(line)
    return last


def _integrity(path):
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_sigkill_at_random_points_loses_nothing_committed(tmp_path):
    rng = random.Random(1234)
    run_dir = tmp_path / "run"
    start = 0
    for attempt in range(4):
        proc = _spawn(WRITER, run_dir, start)
        committed = _committed_after(proc, rng.randint(1, 3))
        time.sleep(rng.uniform(0.0, 0.08))  # land anywhere: mid-batch, mid-commit, idle
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()

        assert _integrity(run_dir / "events.sqlite") == "ok"
        (info,) = tracker.list_runs(tmp_path)
        assert info.status == "crashed", f"attempt {attempt}"
        with tracker.open_run(tmp_path, "run") as run:
            a = run.scalars("a")
            b = run.scalars("g/b")
            down = run.scalars("a", max_points=64)
        # everything reported committed is there, as one gap-free prefix per tag
        assert a.step[-1] >= committed and b.step[-1] >= committed
        assert np.array_equal(a.step, np.arange(len(a)))
        assert np.array_equal(a.value, a.step * 2.0)
        assert np.array_equal(b.value, -b.step * 1.0)
        assert info.tags["a"].count == len(a) and info.tags["a"].last_step == a.step[-1]
        assert down.total == len(a) and down.step[-1] == a.step[-1]
        assert info.tags["note"].count >= (committed + 1) // 150
        start = int(min(a.step[-1], b.step[-1])) + 1  # the next attempt resumes the crashed run

    with tracker.SummaryWriter(run_dir) as w:  # a crashed run can be taken over and finished
        w.add_scalar("a", 2.0 * start, start)
    (info,) = tracker.list_runs(tmp_path)
    assert info.status == "finished" and info.tags["a"].max == 2.0 * start


def test_a_polling_reader_only_sees_consistent_prefixes(tmp_path):
    run_dir = tmp_path / "run"
    proc = _spawn(WRITER, run_dir, 0)
    try:
        _committed_after(proc, 1)
        seen = 0
        deadline = time.monotonic() + 1.5
        polls = 0
        while time.monotonic() < deadline:
            with tracker.open_run(tmp_path, "run") as run:
                info = run.info()
                full = run.scalars("a")
                down = run.scalars("a", max_points=40)
                new = run.scalars_since("a", seen - 1)
            polls += 1
            assert info.status == "running"
            assert np.array_equal(full.step, np.arange(len(full)))
            assert np.array_equal(full.value, full.step * 2.0)
            assert info.tags["a"].count <= len(full) <= down.total
            assert down.step[-1] == down.total - 1 and np.array_equal(down.value, down.step * 2.0)
            assert np.array_equal(new.step, np.arange(seen, seen + len(new)))
            seen = down.total
        assert polls > 5 and seen >= 150
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


HOLDER = """
import sys, tracker
w = tracker.SummaryWriter(sys.argv[1])
w.add_scalar("x", 1.0, 0)
w.flush()
print("ready", flush=True)
sys.stdin.readline()
w.add_scalar("x", 2.0, 1)
w.close()
print("closed", flush=True)
"""


def test_a_second_writer_process_gets_a_clear_error(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path / "run")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout.readline().strip() == "ready"
        with pytest.raises(tracker.RunInUseError, match=rf"already being written by pid {proc.pid}"):
            tracker.SummaryWriter(tmp_path / "run")
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "closed"
    finally:
        proc.wait(timeout=30)
        proc.stdin.close()
        proc.stdout.close()
    with tracker.SummaryWriter(tmp_path / "run") as w:
        w.add_scalar("x", 3.0, 2)
    with tracker.open_run(tmp_path, "run") as run:
        assert run.scalars("x").value.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("host, age, status", [
    ("elsewhere", 3600.0, "crashed"),  # no heartbeat for an hour
    ("elsewhere", 1.0, "running"),  # another machine, heartbeat fresh
])
def test_a_writer_on_another_host_is_judged_by_its_heartbeat(tmp_path, host, age, status):
    with tracker.SummaryWriter(tmp_path / "run") as w:
        w.add_scalar("x", 1.0, 0)
    with sqlite3.connect(tmp_path / "run" / "events.sqlite") as conn:
        conn.execute("UPDATE run SET status = 'running', end_time = NULL, host = ?, last_write = ?",
                     (host, time.time() - age))
    conn.close()
    (info,) = tracker.list_runs(tmp_path)
    assert info.status == status


def test_a_live_writer_keeps_its_heartbeat(tmp_path, monkeypatch):
    from tracker import storage
    monkeypatch.setattr(storage, "HEARTBEAT_SECS", 0.1)
    with tracker.SummaryWriter(tmp_path / "run", flush_secs=0.05) as w:
        w.add_scalar("x", 1.0, 0)
        first = None
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            (info,) = tracker.list_runs(tmp_path)
            first = first or info.last_write
            if info.last_write and info.last_write > first:
                break
            time.sleep(0.05)
        assert info.last_write > first and info.status == "running"
        with tracker.open_run(tmp_path, "run") as run:  # the timer flushed without being asked
            assert run.scalars("x").value.tolist() == [1.0]


def _limit_file_growth(writer, pages=None):
    """Test hook: the run's file may grow no further (SQLITE_FULL, as on a full disk);
    ``pages`` None lifts the limit again."""
    conn = writer._store._db.conn
    if pages is None:
        pages = 2**32 - 2
    elif pages == "now":
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


def test_a_failed_commit_keeps_every_valid_row_for_the_next_flush(tmp_path):
    w = tracker.SummaryWriter(tmp_path / "run", max_queue=100_000)
    w.add_scalar("early", 1.0, 0)
    w.flush()
    _limit_file_growth(w, "now")
    for step in range(20_000):
        w.add_scalar("loss", float(step), step)
        w.add_scalar("early", float(step), step + 1)
    w.add_text("note", "kept", 0)
    with pytest.raises(tracker.CommitError):
        w.flush()
    _limit_file_growth(w)
    w.flush()
    w.close()
    with tracker.open_run(tmp_path, "run") as run:
        assert run.scalars("loss").value.tolist() == [float(s) for s in range(20_000)]
        assert run.scalars("early").value.tolist() == [1.0] + [float(s) for s in range(20_000)]
        assert run.scalars("loss", max_points=64).value.max() == 19_999.0
        assert run.info().tags["loss"].count == 20_000
        assert [t["text"] for t in run.texts("note")] == ["kept"]


def _buffered_on_a_full_disk(tmp_path):
    """A writer that committed step 0 of tag "a", then buffered steps 1 to 29,999 of it
    (value = step) once its disk was full."""
    w = tracker.SummaryWriter(tmp_path / "run", max_queue=100_000)
    w.add_scalar("a", 0.0, 0)
    w.flush()
    _limit_file_growth(w, "now")
    for step in range(1, 30_000):
        w.add_scalar("a", float(step), step)
    return w


def test_a_full_disk_names_the_run_and_a_later_flush_writes_the_kept_values(tmp_path):
    w = _buffered_on_a_full_disk(tmp_path)
    with pytest.raises(tracker.CommitError,
                       match=r"run '.*run': 29999 values could not be committed to events.sqlite "
                             r"\(database or disk is full\); they are kept") as raised:
        w.flush()
    assert isinstance(raised.value.__cause__, sqlite3.OperationalError)
    with pytest.raises(tracker.CommitError):
        w.flush()  # still full: still kept
    _limit_file_growth(w)  # space returns
    w.flush()
    w.close()
    (info,) = tracker.list_runs(tmp_path)
    assert info.status == "finished"
    with tracker.open_run(tmp_path, "run") as run:
        assert run.scalars("a").value.tolist() == [float(s) for s in range(30_000)]


def test_close_on_a_full_disk_raises_naming_the_run_and_never_leaves_it_running(tmp_path):
    w = _buffered_on_a_full_disk(tmp_path)
    with pytest.raises(tracker.CommitError,
                       match=r"run '.*run' closed with 29999 values not written to events.sqlite "
                             r"\(database or disk is full\)"):
        w.close()
    w.close()  # closed once, and for good
    (info,) = tracker.list_runs(tmp_path)
    assert info.status == "finished"
    with tracker.open_run(tmp_path, "run") as run:
        assert run.scalars("a").value.tolist() == [0.0]  # what was committed is intact
    assert _integrity(tmp_path / "run" / "events.sqlite") == "ok"


def test_a_heartbeat_the_disk_refuses_is_reported_naming_the_run(tmp_path, monkeypatch):
    from tracker import storage

    monkeypatch.setattr(storage, "HEARTBEAT_SECS", 0.05)
    w = tracker.SummaryWriter(tmp_path / "run", flush_secs=0.05)
    w.add_scalar("a", 1.0, 0)
    w.flush()
    conn = w._store._db.conn
    conn.execute("PRAGMA query_only = ON")  # test hook: every write now fails
    deadline = time.monotonic() + 10
    while w._store._bg_error is None and time.monotonic() < deadline:
        time.sleep(0.02)
    with pytest.raises(tracker.CommitError, match=r"run '.*run': its heartbeat could not be written"):
        w.flush()
    conn.execute("PRAGMA query_only = OFF")
    w.close()
    (info,) = tracker.list_runs(tmp_path)
    assert info.status == "finished"


def _age_heartbeat(run_dir, seconds):
    """Test hook: the run's last heartbeat as if ``seconds`` had passed without one."""
    conn = sqlite3.connect(run_dir / "events.sqlite", timeout=10)
    with conn:
        conn.execute("UPDATE run SET last_write = last_write - ?", (seconds,))
    conn.close()


def test_a_paused_writer_is_stalled_not_crashed_and_its_run_cannot_be_taken(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path / "run")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout.readline().strip() == "ready"
        proc.send_signal(signal.SIGSTOP)  # Ctrl-Z, a debugger, a laptop lid
        _age_heartbeat(tmp_path / "run", 3600.0)  # paused for an hour
        (info,) = tracker.list_runs(tmp_path)
        assert info.status == "stalled" and info.pid == proc.pid
        with pytest.raises(tracker.RunInUseError,
                           match=rf"run '.*run' is already being written by pid {proc.pid}"):
            tracker.SummaryWriter(tmp_path / "run")
        proc.send_signal(signal.SIGCONT)
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "closed"
    finally:
        proc.send_signal(signal.SIGCONT)
        proc.wait(timeout=30)
        proc.stdin.close()
        proc.stdout.close()
    (info,) = tracker.list_runs(tmp_path)
    assert info.status == "finished"
    with tracker.open_run(tmp_path, "run") as run:
        assert run.scalars("x").value.tolist() == [1.0, 2.0]


def test_a_run_whose_writer_on_another_host_went_quiet_is_not_taken_over(tmp_path):
    with tracker.SummaryWriter(tmp_path / "run") as w:
        w.add_scalar("x", 1.0, 0)
    with sqlite3.connect(tmp_path / "run" / "events.sqlite") as conn:
        conn.execute("UPDATE run SET status = 'running', end_time = NULL, host = 'elsewhere', "
                     "pid = 4242, last_write = ?", (time.time() - 3600,))
    conn.close()
    with pytest.raises(tracker.RunInUseError,
                       match=r"run '.*run' was last written by pid 4242 on elsewhere, which "
                             r"cannot be proven gone from here"):
        tracker.SummaryWriter(tmp_path / "run")


# Creates a run, but dies (as a SIGKILL would) just before or just after the new file is
# linked into place.
DIE_IN_CREATE = """
import os, sys, tracker
link = os.link
def dying_link(src, dst):
    if sys.argv[2] == "after":
        link(src, dst)
    os._exit(9)
os.link = dying_link
tracker.SummaryWriter(sys.argv[1])
"""


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_kill_during_creation_leaves_no_temporary_and_no_finished_run(tmp_path, when):
    run_dir = tmp_path / "run"
    proc = _spawn(DIE_IN_CREATE, run_dir, when)
    proc.wait(timeout=60)
    proc.stdout.close()
    assert proc.returncode == 9
    assert [p.name for p in run_dir.iterdir() if ".tmp" in p.name], "the kill left a temporary"
    if when == "after":
        (info,) = tracker.list_runs(tmp_path)
        assert info.status == "crashed"  # never "finished": it did not close
    with tracker.SummaryWriter(run_dir) as w:
        w.add_scalar("x", 1.0, 0)
    assert sorted(p.name for p in run_dir.iterdir()) == ["events.sqlite", "events.summary.json"]
    (info,) = tracker.list_runs(tmp_path)
    assert info.status == "finished" and info.tags["x"].count == 1


def test_a_temporary_of_a_live_creator_is_left_alone(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    host = tracker.process.host_name()
    theirs = [run_dir / f".events.sqlite.{host}.{os.getppid()}.0123abcd.tmp",  # alive
              run_dir / ".events.sqlite.elsewhere.4242.0123abcd.tmp"]  # not provably gone
    for path in theirs:
        path.write_bytes(b"")
    with tracker.SummaryWriter(run_dir) as w:
        w.add_scalar("x", 1.0, 0)
    assert all(path.exists() for path in theirs)


# Lists the runs under argv[1] and reads tag "x" of run argv[2], printing what it found.
VIEW = """
import sys, tracker
for info in tracker.list_runs(sys.argv[1]):
    print(info.name, info.status, info.error)
with tracker.open_run(sys.argv[1], sys.argv[2]) as run:
    print(run.scalars("x").value.tolist())
"""


def test_a_finished_run_reads_from_a_directory_the_viewer_cannot_write(shared_dir, viewer):
    with tracker.SummaryWriter(shared_dir / "run") as w:
        for step in range(100):
            w.add_scalar("x", float(step), step)
    (shared_dir / "run").chmod(0o555)  # a colleague's run, an archive
    shown = viewer.run(VIEW, shared_dir, "run")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == ["run finished None", str([float(s) for s in range(100)])]


def test_a_run_that_closed_in_wal_mode_reads_from_a_directory_the_viewer_cannot_write(shared_dir,
                                                                                       viewer):
    with tracker.SummaryWriter(shared_dir / "run") as w:
        w.add_scalar("x", 1.0, 0)
    conn = sqlite3.connect(shared_dir / "run" / "events.sqlite")  # as an older liteboard left it
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone() == ("wal",)
    conn.close()
    (shared_dir / "run").chmod(0o555)
    shown = viewer.run(VIEW, shared_dir, "run")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == ["run finished None", "[1.0]"]


def test_a_read_only_run_file_reads(shared_dir, viewer):
    with tracker.SummaryWriter(shared_dir / "run") as w:
        w.add_scalar("x", 1.0, 0)
    (shared_dir / "run" / "events.sqlite").chmod(0o444)
    shared_dir.joinpath("run").chmod(0o777)  # the viewer may write the directory, not the file
    shown = viewer.run(VIEW, shared_dir, "run")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == ["run finished None", "[1.0]"]


def test_a_closed_run_leaves_rollback_journal_mode_and_reopens_in_wal(tmp_path):
    with tracker.SummaryWriter(tmp_path / "run") as w:
        w.add_scalar("x", 1.0, 0)
    conn = sqlite3.connect(tmp_path / "run" / "events.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()
    with tracker.SummaryWriter(tmp_path / "run") as w:
        assert w._store._db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        w.add_scalar("x", 2.0, 1)
    with tracker.open_run(tmp_path, "run") as run:
        assert run.scalars("x").value.tolist() == [1.0, 2.0]


def test_the_write_ahead_log_stays_bounded_under_a_long_lived_reader(tmp_path, monkeypatch):
    import threading

    from tracker import storage

    monkeypatch.setattr(storage, "WAL_LIMIT_BYTES", 1 << 20)
    w = tracker.SummaryWriter(tmp_path / "run", max_queue=100_000)
    w.add_scalar("x", 0.0, 0)
    w.flush()
    stop, reads = threading.Event(), []

    def poll():  # the dashboard, reading the run over and over through one open file
        with tracker.open_run(tmp_path, "run") as run:
            while not stop.is_set():
                reads.append(run.scalars("x", max_points=100).total)

    reader = threading.Thread(target=poll)
    reader.start()
    wal, peak = tmp_path / "run" / "events.sqlite-wal", 0
    try:
        for batch in range(60):
            for step in range(batch * 2000 + 1, (batch + 1) * 2000 + 1):
                w.add_scalar("x", float(step), step)
                w.add_scalar("y", float(step), step)
            w.flush()
            peak = max(peak, wal.stat().st_size)
    finally:
        stop.set()
        reader.join()
    w.close()
    assert len(reads) > 10 and reads == sorted(reads)
    # unbounded, it grew past 9 MiB here; a checkpoint the reader delays waits for a later flush
    assert peak <= 4 << 20, f"the WAL grew to {peak} bytes"
    with tracker.open_run(tmp_path, "run") as run:
        assert run.scalars("y").total == 120_000 and run.scalars("x").total == 120_001


def test_a_crashed_run_whose_log_cannot_be_read_from_a_read_only_directory_says_why(shared_dir, viewer):
    proc = _spawn(WRITER, shared_dir / "run", 0)
    _committed_after(proc, 1)
    proc.send_signal(signal.SIGKILL)  # leaves its committed rows in the write-ahead log
    proc.wait()
    proc.stdout.close()
    (shared_dir / "run" / "events.sqlite-shm").unlink()  # as a copy without it would be
    (shared_dir / "run").chmod(0o555)
    shown = viewer.run(VIEW.split("with tracker.open_run")[0], shared_dir)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(
        "run error its directory is "
        "not writable and its write-ahead log (events.sqlite-wal) holds rows not yet in the file, which "
        "SQLite can only read by writing an index beside it: open it as a user who may write there")
