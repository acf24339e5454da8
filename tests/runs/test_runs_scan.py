"""The scan's listings: a directory whose stat is as the last walk saw it is not listed again,
and every change a listing would show (a run new, gone or replaced, a write-ahead log that
appears, a chmod, TensorBoard files) is still seen by the next walk."""

import os
import shutil
import time

import pytest

import tracker
from dashboard.runs import scan

TICK = 0.05  # longer than a file system clock's tick (ext4 and tmpfs: a few milliseconds)


def write(root, name, steps=2):
    with tracker.SummaryWriter(str(root / name)) as writer:
        for step in range(steps):
            writer.add_scalar("loss", 1.0 / (step + 1), step)


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setattr(scan.Listings, "RACY_SECS", TICK)
    root = tmp_path / "logdir"
    for name in ("a", "b", "group/c", "group/d"):
        write(root, name)
    return root


@pytest.fixture
def listed(root, monkeypatch):
    """The directories of the logdir os.scandir lists, in order (not those other threads list,
    such as the scanners of other tests' servers)."""
    seen = []
    real = os.scandir

    def scandir(path=None):
        if isinstance(path, str) and path.startswith(str(root)):
            seen.append(os.path.basename(path))
        return real(path)

    monkeypatch.setattr(scan.os, "scandir", scandir)
    return seen


def walk(root, listings, tensorboard=None):
    time.sleep(2 * TICK)  # what changed before this walk is older than the racy window
    return {found.name: found for found in scan.walk({"": str(root)}, tensorboard, listings)}


def test_an_unchanged_directory_is_not_listed_again(root, listed):
    listings = scan.Listings()
    first = walk(root, listings)
    assert sorted(first) == ["a", "b", "group/c", "group/d"] and len(listed) == 6
    listed.clear()
    again = walk(root, listings)
    assert listed == [] and {name: f.state for name, f in again.items()} == {
        name: f.state for name, f in first.items()}


def test_what_a_listing_shows_is_seen_by_the_next_walk(root, listed):
    listings = scan.Listings()
    walk(root, listings)
    write(root, "group/e")                          # a new run in a listed directory
    shutil.rmtree(root / "b")                       # a run gone
    shutil.rmtree(root / "a")
    write(root, "a", steps=5)                       # a run replaced by another of the name
    (root / "tb").mkdir()
    (root / "tb" / "events.out.tfevents.1.host").write_bytes(b"")
    listed.clear()
    tensorboard = {}
    found = walk(root, listings, tensorboard)
    assert sorted(found) == ["a", "group/c", "group/d", "group/e"]
    assert tensorboard == {"": ["tb"]}
    assert sorted(listed) == ["a", "e", "group", "logdir", "tb"]  # not the untouched runs c and d

    with tracker.SummaryWriter(str(root / "group" / "c")) as writer:  # resumed: its log appears
        writer.add_scalar("loss", 0.1, 9)
        writer.flush()
        during = walk(root, listings)
        assert during["group/c"].state.split("|")[1] != "-"  # the write-ahead log is seen
    after = walk(root, listings)
    assert after["group/c"].state != found["group/c"].state


def test_a_chmod_is_a_change(root, listed):
    listings = scan.Listings()
    walk(root, listings)
    os.chmod(root / "b", 0o700)
    listed.clear()
    walk(root, listings)
    assert listed == ["b"]


def test_a_directory_changed_within_the_racy_window_is_listed_again(root, listed, monkeypatch):
    monkeypatch.setattr(scan.Listings, "RACY_SECS", 3600.0)  # every change counts as just now
    listings = scan.Listings()
    walk(root, listings)
    listed.clear()
    walk(root, listings)
    assert len(listed) == 6
