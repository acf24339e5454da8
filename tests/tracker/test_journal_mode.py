"""Rollback-journal mode for shared filesystems: detected from the mount table, or chosen; readers cope."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import tracker
from tracker import journal
from trainer import TRAINER

ROOT = Path(__file__).resolve().parents[2]

MOUNTINFO = r"""22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
30 22 0:40 / /mnt/shared rw,relatime shared:5 - nfs4 fileserver:/export rw,vers=4.2
31 30 8:2 / /mnt/shared/local rw shared:6 - ext4 /dev/sdb1 rw
32 22 0:41 / /mnt/my\040lab rw - cifs //nas/lab rw
33 22 0:42 / /home/me/remote rw - fuse.sshfs me@host: rw
"""


@pytest.mark.parametrize("path, expected", [
    ("/mnt/shared/runs/exp1", "nfs4"),
    ("/mnt/shared", "nfs4"),
    ("/mnt/shared/local/runs", "ext4"),  # a local disk mounted inside the share
    ("/mnt/sharedX/runs", "ext4"),  # a name that only starts like the mount point
    ("/mnt/my lab/runs", "cifs"),  # mountinfo writes the space as \040
    ("/home/me/remote/x", "fuse.sshfs"),
    ("/data/runs", "ext4"),
])
def test_filesystem_type_is_the_innermost_mount(path, expected):
    assert journal.filesystem_type(path, MOUNTINFO) == expected


@pytest.mark.parametrize("fs_type, mode", [("nfs4", "delete"), ("cifs", "delete"), ("lustre", "delete"),
                                           ("fuse.sshfs", "delete"), ("ext4", "wal"), ("xfs", "wal")])
def test_auto_picks_the_rollback_journal_on_network_filesystems(tmp_path, monkeypatch, fs_type, mode):
    table = tmp_path / "mountinfo"
    table.write_text(f"22 1 8:1 / / rw - {fs_type} server:/x rw\n")
    monkeypatch.setattr(journal, "MOUNTINFO", str(table))
    monkeypatch.delenv(journal.ENV_VAR, raising=False)
    assert journal.resolve(tmp_path / "run") == mode
    with tracker.SummaryWriter(tmp_path / "run") as writer:
        writer.add_scalar("x", 1.0, 0)
        writer.flush()
        assert _journal_mode(tmp_path / "run") == mode


def test_without_a_mount_table_a_directory_is_local(tmp_path, monkeypatch):
    monkeypatch.setattr(journal, "MOUNTINFO", str(tmp_path / "missing"))
    assert journal.filesystem_type(tmp_path) is None
    assert journal.resolve(tmp_path, "auto") == "wal"


def test_the_keyword_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(journal.ENV_VAR, "delete")
    assert journal.resolve(tmp_path) == "delete"
    assert journal.resolve(tmp_path, "WAL") == "wal"


@pytest.mark.parametrize("given, named", [("journal_mode", "memory"), ("env", "wall")])
def test_a_bad_choice_is_an_error_naming_where_it_came_from(tmp_path, monkeypatch, given, named):
    monkeypatch.delenv(journal.ENV_VAR, raising=False)
    if given == "env":
        monkeypatch.setenv(journal.ENV_VAR, named)
        kwargs, source = {}, journal.ENV_VAR
    else:
        kwargs, source = {"journal_mode": named}, "journal_mode"
    with pytest.raises(ValueError, match=f"{source} must be one of auto, wal, delete, got '{named}'"):
        tracker.SummaryWriter(tmp_path / "run", **kwargs)
    assert not (tmp_path / "run" / "events.sqlite").exists()


def _journal_mode(run_dir):
    with sqlite3.connect(f"{(run_dir / 'events.sqlite').as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]


def test_a_reader_reads_a_rollback_journal_run_while_it_is_written(tmp_path):
    """The writer is forced into rollback-journal mode through the environment."""
    run_dir = tmp_path / "run"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               LITEBOARD_JOURNAL_MODE="delete")
    # a training loop's pace: a commit every 0.1 s, or every 500 values
    proc = subprocess.Popen([sys.executable, "-c", TRAINER, str(run_dir), "500", "0.1", "0.0002"],
                            stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout.readline(), "the writer process ended early"
        assert _journal_mode(run_dir) == "delete"
        counts = []
        for _ in range(8):  # reads and commits take turns: each poll waits for a commit or not
            with tracker.open_run(tmp_path, "run") as run:
                info = run.info()
                full = run.scalars("a")
            assert info.status == "running"
            assert np.array_equal(full.step, np.arange(len(full)))
            assert np.array_equal(full.value, full.step * 2.0)
            assert not (run_dir / "events.sqlite-wal").exists()
            counts.append(len(full))
            time.sleep(0.1)
        assert counts == sorted(counts) and counts[0] >= 100 and counts[-1] > counts[0]
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    # the killed writer left a crashed run, or, killed mid-commit, one whose journal only a
    # writer may roll back; a new writer takes it over either way
    (info,) = tracker.list_runs(tmp_path)
    assert info.status == "crashed" or (
        info.status == "error" and "left its rollback journal" in info.error)
    with tracker.SummaryWriter(run_dir, journal_mode="delete") as writer:
        writer.add_scalar("a", -1.0)
    with tracker.open_run(tmp_path, "run") as run:
        series = run.scalars("a")
    assert series.value[-1] == -1.0 and np.array_equal(series.step, np.arange(len(series)))


# Dies mid-transaction on a closed rollback-journal run, leaving a hot journal.
TORN = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 8")  # spill changed pages into the file before the commit
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE run SET status = 'running'")
print("ready", flush=True)
step = 0
while True:
    step += 1
    conn.execute("INSERT INTO texts (tag_id, step, wall_time, text) VALUES (1, ?, 0, randomblob(4000))",
                 (step,))
"""


def test_a_hot_journal_is_reported_until_a_writer_rolls_it_back(tmp_path):
    run_dir = tmp_path / "run"
    with tracker.SummaryWriter(run_dir, journal_mode="delete") as writer:
        writer.add_scalar("a", 1.0, 0)
    proc = subprocess.Popen([sys.executable, "-c", TORN, str(run_dir / "events.sqlite")],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline()
    time.sleep(0.5)
    proc.kill()
    proc.wait()
    proc.stdout.close()
    assert (run_dir / "events.sqlite-journal").exists()
    with pytest.raises(tracker.UnreadableRunError, match="left its rollback journal"):
        tracker.open_run(tmp_path, "run")
    (info,) = tracker.list_runs(tmp_path)
    assert info.status == "error" and "SummaryWriter" in info.error
    with tracker.SummaryWriter(run_dir, journal_mode="delete") as writer:  # rolls it back
        writer.add_scalar("a", 2.0, 1)
    with tracker.open_run(tmp_path, "run") as run:
        assert run.info().status == "finished"
        assert run.scalars("a").value.tolist() == [1.0, 2.0]
