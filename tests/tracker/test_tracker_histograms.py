"""add_histogram and add_histogram_raw: what the reader gives back is what was logged."""

import math
import sqlite3

import numpy as np
import pytest

import tracker
from tracker.histogram import tensorflow_edges


@pytest.fixture
def logdir(tmp_path):
    return tmp_path / "runs"


def histograms(logdir, tag, **kwargs):
    with tracker.open_run(logdir, "a") as run:
        return run.histograms(tag, **kwargs)


class FakeTensor:
    """What a torch tensor offers: detach(), cpu() and numpy(), and no numpy subclassing."""

    def __init__(self, array):
        self.array = array

    def detach(self):
        return self

    def cpu(self):
        return self

    def numpy(self):
        return self.array


def test_numpy_bins_round_trip_counts_edges_and_statistics(logdir):
    values = np.random.default_rng(0).normal(size=10_000)
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_histogram("w", values, 7, bins=30, walltime=1000.5)
    (h,) = histograms(logdir, "w")
    counts, edges = np.histogram(values, bins=30)
    assert (h.step, h.wall_time, h.count) == (7, 1000.5, 10_000)
    assert h.counts.tolist() == counts.tolist() and h.edges.tolist() == edges.tolist()
    assert (h.min, h.max) == (values.min(), values.max())
    assert h.sum == pytest.approx(values.sum()) and h.sum_squares == pytest.approx(values @ values)
    assert (h.nan_count, h.neg_inf_count, h.pos_inf_count) == (0, 0, 0)


def test_tensorflow_bins_are_tfs_buckets_trimmed_to_the_values(logdir):
    values = np.array([1.0, 2.0, -3.0], np.float32)
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_histogram("w", values, 0)
    (h,) = histograms(logdir, "w")
    # TF1's tf.summary.histogram of these values has these right edges (real TF 2.21, compat.v1)
    assert h.edges[1:3].tolist() == pytest.approx([-2.8787120958073054, -2.617011])
    assert h.edges[0] == pytest.approx(-3.1665833053880363)
    assert h.counts.sum() == 3 and h.counts[0] == 1 and h.counts[-1] == 1
    edges = tensorflow_edges()
    assert edges[len(edges) // 2] == 0 and np.array_equal(edges, -edges[::-1])
    assert edges[len(edges) // 2 + 1] == 1e-12 and edges[-2] == pytest.approx(1e20, rel=0.1)
    assert np.all(np.isin(h.edges[1:-1], edges))


def test_non_finite_values_are_counted_beside_the_buckets(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_histogram("w", [1.0, math.nan, math.inf, -math.inf, math.inf, 3.0], 0, bins=2)
    (h,) = histograms(logdir, "w")
    assert (h.count, h.nan_count, h.neg_inf_count, h.pos_inf_count) == (6, 1, 1, 2)
    assert (h.min, h.max, h.sum) == (1.0, 3.0, 4.0)
    assert h.counts.tolist() == [1, 1] and h.edges.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("values", [
    np.arange(6, dtype=np.int32).reshape(2, 3), [0, 1, 2, 3, 4, 5], FakeTensor(np.arange(6.0)),
    range(6)])
def test_arrays_sequences_and_tensors_are_accepted(logdir, values):
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_histogram("w", values, 0, bins="sqrt")
    (h,) = histograms(logdir, "w")
    assert (h.count, h.min, h.max, h.sum) == (6, 0.0, 5.0, 15.0)
    assert h.counts.tolist() == np.histogram(np.arange(6), bins="sqrt")[0].tolist()


def test_max_bins_merges_neighbouring_buckets(logdir):
    values = np.arange(100.0)
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_histogram("w", values, 0, bins=50, max_bins=10)
    (h,) = histograms(logdir, "w")
    assert h.counts.tolist() == [10] * 10
    assert h.edges.tolist() == pytest.approx(np.linspace(0, 99, 11).tolist())


def test_raw_histograms_keep_tensorboards_fields(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        # as PyTorch writes them: an empty first bucket ending at min
        w.add_histogram_raw("r", min=0.0, max=10.0, num=5, sum=20.0, sum_squares=100.0,
                            bucket_limits=[0.0, 5.0, 10.0], bucket_counts=[0, 3, 2], global_step=3)
        w.add_histogram_raw("r", 1.0, 4.0, 4, 10.0, 30.0, [2.0, 4.0], [1, 3], global_step=4)
    first, second = histograms(logdir, "r")
    assert (first.step, first.count, first.sum, first.sum_squares) == (3, 5, 20.0, 100.0)
    assert first.edges.tolist() == [0.0, 5.0, 10.0] and first.counts.tolist() == [3, 2]
    assert second.edges.tolist() == [1.0, 2.0, 4.0] and second.counts.tolist() == [1, 3]


@pytest.mark.parametrize("call, message", [
    (lambda w: w.add_histogram("w", []), "values for histogram 'w' are empty"),
    (lambda w: w.add_histogram("w", [math.nan, math.nan]),
     r"values for histogram 'w' hold no finite value \(2 NaN, 0 -Inf, 0 \+Inf\)"),
    (lambda w: w.add_histogram("w", "abc"), "values for histogram 'w' must be numbers"),
    (lambda w: w.add_histogram("w", [1, 2], bins="nope"), "bins for histogram 'w' must be"),
    (lambda w: w.add_histogram("w", [1, 2], bins=[3, 1]), "bins for histogram 'w' as edges"),
    (lambda w: w.add_histogram("w", [1, 2], bins=0), "bins for histogram 'w' must be at least 1"),
    (lambda w: w.add_histogram("w", [1, 2], max_bins=0), "max_bins for histogram 'w'"),
    (lambda w: w.add_histogram_raw("r", 0, 1, 1, 1, 1, [1, 2], [1]), "bucket_limits and bucket_counts"),
    (lambda w: w.add_histogram_raw("r", 0, 1, 1, 1, 1, [2, 1], [1, 1]), "bucket_limits for histogram 'r'"),
    (lambda w: w.add_histogram_raw("r", 0, 1, 1, 1, 1, [1, math.inf], [1, 1]),
     "bucket_limits for histogram 'r' must be finite"),
    (lambda w: w.add_histogram_raw("r", 2, 1, 1, 1, 1, [1], [1]), "min for histogram 'r' is above"),
])
def test_bad_input_names_the_tag_and_argument_and_loses_nothing(logdir, call, message):
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_histogram("w", [1.0, 2.0], 0)
        with pytest.raises((ValueError, TypeError), match=message):
            call(w)
        w.add_histogram("w", [3.0], 1)
    assert [h.step for h in histograms(logdir, "w")] == [0, 1]


def test_a_histogram_tag_keeps_its_kind(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_scalar("loss", 1.0, 0)
        with pytest.raises(ValueError, match="tag 'loss' already holds scalar values, not histogram"):
            w.add_histogram("loss", [1.0], 0)
    with tracker.open_run(logdir, "a") as run, pytest.raises(tracker.TagNotFoundError,
                                                            match="no histogram tag"):
        run.histograms("loss")


def test_many_steps_are_served_as_real_steps_with_the_latest_kept(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        for step in range(0, 3000, 3):
            w.add_histogram("w", [step, step + 1.0], step, bins=1)
    all_steps = [h.step for h in histograms(logdir, "w")]
    kept = histograms(logdir, "w", max_steps=50)
    steps = [h.step for h in kept]
    assert len(all_steps) == 1000 and 45 <= len(steps) <= 50
    assert set(steps) <= set(all_steps) and steps == sorted(steps)
    assert steps[0] == 0 and steps[-1] == 2997
    assert all(h.min == h.step for h in kept)  # each row is the one logged at its step
    assert [h.step for h in histograms(logdir, "w", max_steps=5000)] == all_steps
    with pytest.raises(ValueError, match="max_steps must be a positive int"):
        histograms(logdir, "w", max_steps=0)


def test_steps_are_spread_over_the_step_range_and_each_is_a_logged_step(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        for step in [*range(100), 10_000]:  # dense, then one far step
            w.add_histogram("w", [float(step)], step, bins=1)
    assert [h.step for h in histograms(logdir, "w", max_steps=5)] == [0, 99, 10_000]
    assert [h.step for h in histograms(logdir, "w", max_steps=1)] == [10_000]


def test_choosing_steps_seeks_the_steps_index_not_the_rows(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_histogram("w", [1.0], 0)
    conn = sqlite3.connect(logdir / "a" / tracker.EVENTS_FILE)
    plan = conn.execute("EXPLAIN QUERY PLAN SELECT step FROM histograms WHERE tag_id = 1 "
                        "AND step <= 5 ORDER BY step DESC LIMIT 1").fetchall()
    assert "COVERING INDEX histograms_tag_id_step" in plan[0][-1]
    conn.close()


class ArrayLike:
    """An object numpy reads through __array__ only (as a JAX or CuPy-on-host array)."""

    def __array__(self, dtype=None, copy=None):
        return np.array([1.0, 2.0, 2.0, 4.0], dtype=dtype)


def test_objects_with_array_are_read_through_it(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_histogram("w", ArrayLike(), 0, bins=3)
    (h,) = histograms(logdir, "w")
    assert (h.count, h.sum, h.counts.tolist()) == (4, 9.0, [1, 2, 1])


def test_purge_step_forgets_later_histograms_as_for_scalars(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        for step in range(10):
            w.add_histogram("w", [float(step)], step)
    with tracker.SummaryWriter(logdir / "a", purge_step=5) as w:
        w.add_histogram("w", [50.0], 5)
    assert [(h.step, h.max) for h in histograms(logdir, "w")][-2:] == [(4, 4.0), (5, 50.0)]
    info = tracker.list_runs(logdir)[0].tags["w"]
    assert (info.count, info.first_step, info.last_step) == (6, 0, 5)


def test_histogram_columns_hold_the_histograms_end_to_end(logdir):
    rng = np.random.default_rng(3)
    with tracker.SummaryWriter(logdir / "a") as w:
        for step in range(0, 200, 2):
            w.add_histogram("w", rng.normal(size=20), step, bins=int(rng.integers(1, 9)))
        w.add_histogram("w", [1.0, float("inf"), float("nan")], 300)  # counted apart
    with tracker.open_run(logdir, "a") as run:
        every = run.histograms("w", max_steps=30)
        columns = run.histogram_columns("w", max_steps=30)
        with pytest.raises(ValueError, match="max_steps must be a positive int"):
            run.histogram_columns("w", max_steps=-1)
        with pytest.raises(tracker.TagNotFoundError, match="no tag 'nope'"):
            run.histogram_columns("nope")
    assert columns.step.tolist() == [h.step for h in every] and columns.step[-1] == 300
    assert columns.wall_time.tolist() == [h.wall_time for h in every]
    assert columns.sizes.tolist() == [len(h.counts) for h in every]
    assert np.array_equal(columns.counts, np.concatenate([h.counts for h in every]))
    assert np.array_equal(columns.edges, np.concatenate([h.edges for h in every]))
    assert columns.min.tolist() == [h.min for h in every] and columns.max.tolist() == [h.max for h in every]
    assert columns.min[-1] == columns.max[-1] == 1.0
