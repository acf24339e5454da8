"""SummaryWriter._add_scalar_rows, liteboard import's bulk path: the same file as add_scalar
called for each value in turn (points, tag summaries, buckets), and clear errors that lose nothing."""

import sqlite3

import numpy as np
import pytest

import tracker
from tracker import SummaryWriter

WALL = 1_700_000_000.25


def series():
    """Tag -> (steps, wall times, values): in order and long enough for several bucket levels,
    with NaN and infinities; then steps written again and out of order (a rebuild)."""
    rng = np.random.default_rng(7)
    n = 5_000
    values = rng.normal(size=n)
    values[[10, 999, 4000]] = [np.nan, np.inf, -np.inf]
    loss = (np.arange(n), WALL + np.arange(n) * 0.5, values)
    again = np.array([3, 2, 4_999, 5_200, 5_100, 0, 7, 3])
    acc = (again, WALL + np.arange(len(again)), np.linspace(0, 1, len(again)))
    neg = (np.array([-(2**63), -5, 2**63 - 1]), np.full(3, WALL), np.array([1.0, -0.0, 2.0]))
    return {"loss": loss, "acc": acc, "edge/ünï": neg}


def write_each(log_dir, max_queue):
    with SummaryWriter(log_dir, max_queue=max_queue) as writer:
        for tag, (steps, walls, values) in series().items():
            for step, wall, value in zip(steps.tolist(), walls.tolist(), values.tolist()):
                writer.add_scalar(tag, value, step, wall)


def write_rows(log_dir, max_queue, chunk):
    with SummaryWriter(log_dir, max_queue=max_queue) as writer:
        for tag, (steps, walls, values) in series().items():
            for at in range(0, len(steps), chunk):
                writer._add_scalar_rows(tag, steps[at:at + chunk], walls[at:at + chunk],
                                        values[at:at + chunk])


def contents(log_dir):
    """Every point, every tag summary and every stored bucket, as read back."""
    with tracker.open_run(log_dir.parent, log_dir.name) as run:
        tags = run.info().tags
        points = {tag: tuple(getattr(run.scalars(tag), name).tolist()
                             for name in ("step", "wall_time", "value")) for tag in tags}
        downsampled = {tag: run.scalars(tag, max_points=40).value.tolist() for tag in tags}
        summaries = {tag: (info.count, info.first_step, info.last_step, info.last, info.min,
                           info.min_step, info.max, info.max_step) for tag, info in tags.items()}
    conn = sqlite3.connect(f"file:{log_dir / 'events.sqlite'}?mode=ro", uri=True)
    buckets = conn.execute("SELECT t.tag, b.* FROM scalar_buckets b JOIN tags t ON t.id = b.tag_id "
                           "ORDER BY t.tag, b.level, b.bucket").fetchall()
    conn.close()
    return points, downsampled, summaries, [row[:1] + row[2:] for row in buckets]  # tags' ids aside


@pytest.mark.parametrize("max_queue, chunk", [(10_000, 5_000), (700, 333), (50, 1)])
def test_bulk_rows_store_exactly_what_add_scalar_each_stores(tmp_path, max_queue, chunk):
    write_each(tmp_path / "each", max_queue)
    write_rows(tmp_path / "rows", max_queue, chunk)
    each, rows = contents(tmp_path / "each"), contents(tmp_path / "rows")
    assert str(rows[0]) == str(each[0])  # the points, exactly (NaN and -0.0 as they are)
    assert str(rows[1]) == str(each[1])  # downsampled reads
    assert str(rows[2]) == str(each[2])  # tag summaries
    assert str(rows[3]) == str(each[3]) and len(rows[3]) > 300  # buckets, several levels
    points = rows[0]["acc"]
    assert points[0] == [0, 2, 3, 7, 4999, 5100, 5200]  # out of order, and step 3 written again
    assert points[2][2] == 1.0  # step 3 holds the last value written for it


@pytest.mark.parametrize("steps, walls, values, error, message", [
    ([1, 2], [WALL, WALL], [1.0], ValueError, "tag 'loss': 2 steps, 2 wall times and 1 values"),
    ([1.5, 2], [WALL, WALL], [1.0, 2.0], TypeError, "global_step for tag 'loss' must be an array of integers"),
    ([1, 2], [WALL, np.nan], [1.0, 2.0], ValueError, "walltime for tag 'loss' must be finite, got nan (value 1 of 2)"),
    ([1, 2], ["a", "b"], [1.0, 2.0], TypeError, "walltime for tag 'loss' must be an array of numbers"),
    ([1, 2], [WALL, WALL], ["x", "y"], TypeError, "value for tag 'loss' must be an array of numbers"),
    ([[1, 2]], [WALL, WALL], [1.0, 2.0], ValueError, "global_step for tag 'loss' must be a 1-D array"),
    (np.array([2**63], np.uint64), [WALL], [1.0], ValueError, "out of the int64 range"),
])
def test_bad_rows_are_refused_naming_the_tag_and_nothing_is_lost(tmp_path, steps, walls, values,
                                                                  error, message):
    with SummaryWriter(tmp_path / "r") as writer:
        writer._add_scalar_rows("loss", [0], [WALL], [0.5])
        with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
            writer._add_scalar_rows("loss", steps, walls, values)
        writer._add_scalar_rows("loss", [1], [WALL + 1], [0.25])
    with tracker.open_run(tmp_path, "r") as run:
        assert run.scalars("loss").value.tolist() == [0.5, 0.25]


def test_a_bad_tag_or_a_closed_writer_is_refused(tmp_path):
    writer = SummaryWriter(tmp_path / "r")
    with pytest.raises(ValueError, match="tag must not be empty"):
        writer._add_scalar_rows("", [0], [WALL], [1.0])
    writer.add_text("notes", "hello", 0)
    with pytest.raises(ValueError, match="tag 'notes' already holds text values, not scalar"):
        writer._add_scalar_rows("notes", [1], [WALL], [1.0])
    writer.close()
    with pytest.raises(tracker.errors.WriterClosedError, match="add_scalar"):
        writer._add_scalar_rows("loss", [0], [WALL], [1.0])


def test_a_step_written_again_in_one_commit_keeps_its_last_value(tmp_path):
    """Many rows a commit go in 64 to a statement, still in order: the last value of a step counts."""
    with SummaryWriter(tmp_path / "r", max_queue=100_000) as writer:
        for i in range(1_000):
            writer.add_scalar("loss", float(i), i % 70, WALL + i)
        writer._add_scalar_rows("acc", np.arange(1_000) % 70, WALL + np.arange(1_000), np.arange(1_000.0))
    with tracker.open_run(tmp_path, "r") as run:
        for tag in ("loss", "acc"):
            points = run.scalars(tag)
            assert points.step.tolist() == list(range(70))
            assert points.value.tolist() == [max(i for i in range(1_000) if i % 70 == s) for s in range(70)]
            assert points.wall_time.tolist() == [WALL + v for v in points.value.tolist()]
