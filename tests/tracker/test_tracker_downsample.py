"""Downsampled reads keep the range's first and last points and every bucket's extremes."""

import math

import numpy as np
import pytest

import tracker


def _write(path, steps, values, max_queue=4096, chunks=None):
    """Write (step, value) pairs, closing and reopening the run between chunks if asked."""
    pieces = np.array_split(np.arange(len(steps)), chunks or 1)
    for piece in pieces:
        with tracker.SummaryWriter(path, max_queue=max_queue) as w:
            for i in piece:
                w.add_scalar("y", float(values[i]), int(steps[i]), walltime=1000.0 + int(steps[i]))


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    """A 70,000-point noisy series with spikes, NaNs and infinities, written in uneven batches."""
    rng = np.random.default_rng(7)
    n = 70_000
    steps = np.arange(n) * 3 + 11
    values = np.cumsum(rng.normal(size=n))
    spikes = rng.choice(n, 12, replace=False)
    values[spikes] += np.where(np.arange(12) % 2, 500.0, -500.0)
    values[rng.choice(n, 30, replace=False)] = np.nan
    values[100] = math.inf
    values[200] = -math.inf
    path = tmp_path_factory.mktemp("ds") / "run"
    _write(path, steps, values, max_queue=3001, chunks=3)
    return path.parent, steps, values, spikes


def _reference(steps, values, start, end):
    keep = (steps >= start) & (steps <= end)
    return steps[keep], values[keep]


def _check(series_, ref_steps, ref_values, max_points):
    assert series_.total == len(ref_steps)
    assert len(series_) <= max_points
    assert series_.downsampled == (len(ref_steps) > max_points)
    assert np.all(np.diff(series_.step) > 0)
    where = np.searchsorted(ref_steps, series_.step)
    assert np.array_equal(ref_steps[where], series_.step)  # real points only
    np.testing.assert_array_equal(series_.value, ref_values[where])
    np.testing.assert_array_equal(series_.wall_time, 1000.0 + series_.step)
    assert series_.step[0] == ref_steps[0] and series_.step[-1] == ref_steps[-1]
    finite = ~np.isnan(ref_values)
    if finite.any() and max_points >= 4:
        assert np.nanmax(series_.value) == ref_values[finite].max()
        assert np.nanmin(series_.value) == ref_values[finite].min()


@pytest.mark.parametrize("start, end", [(None, None), (5000, 150_000), (11, 400), (209_000, None),
                                        (-10, 12), (100_001, 100_050)])
@pytest.mark.parametrize("max_points", [2, 3, 10, 501, 2000])
def test_downsampled_points_are_real_and_keep_first_last_and_extremes(series, start, end, max_points):
    logdir, steps, values, _ = series
    with tracker.open_run(logdir, "run") as run:
        got = run.scalars("y", start=start, end=end, max_points=max_points)
    lo = steps[0] if start is None else start
    hi = steps[-1] if end is None else end
    ref_steps, ref_values = _reference(steps, values, lo, hi)
    _check(got, ref_steps, ref_values, max_points)


def test_every_spike_survives_and_points_spread_over_the_range(series):
    logdir, steps, values, spikes = series
    with tracker.open_run(logdir, "run") as run:
        got = run.scalars("y", max_points=400)
    # A group keeps one minimum and one maximum: of same-sign spikes closer than a group
    # (at most 400 / 3 groups, as NaN points take part of the budget) the larger survives.
    width = 3 * len(steps) / 400
    for spike in spikes:
        near = [s for s in spikes if abs(s - spike) < width and values[s] * values[spike] > 0]
        larger = max(near, key=lambda s: abs(values[s]))
        assert steps[larger] in got.step
    # about 199 groups of ~352 points: no gap between kept points spans more than a few groups
    assert np.max(np.diff(np.searchsorted(steps, got.step))) < 3 * len(steps) / 199
    assert len(got) > 300  # the budget is used, not a coarse level's handful of points


@pytest.mark.parametrize("n", [1, 15, 16, 17, 1000, 4097])
def test_small_series_at_bucket_boundaries(tmp_path, n):
    rng = np.random.default_rng(n)
    steps = np.arange(n)
    values = rng.normal(size=n)
    _write(tmp_path / "run", steps, values, max_queue=61)
    with tracker.open_run(tmp_path, "run") as run:
        for max_points in (2, 5, 64, n + 1):
            _check(run.scalars("y", max_points=max_points), steps, values, max_points)


def test_out_of_order_and_rewritten_steps_still_downsample_correctly(tmp_path):
    rng = np.random.default_rng(3)
    steps = rng.permutation(5000)
    values = rng.normal(size=5000)
    with tracker.SummaryWriter(tmp_path / "run", max_queue=500) as w:
        for step, value in zip(steps, values):
            w.add_scalar("y", float(value), int(step), walltime=1000.0 + int(step))
        w.add_scalar("y", 99.0, 2500, walltime=1000.0 + 2500)
    order = np.argsort(steps)
    ref_steps, ref_values = steps[order], values[order]
    ref_values[2500] = 99.0
    with tracker.open_run(tmp_path, "run") as run:
        info = run.info().tags["y"]
        for max_points in (3, 100, 1000):
            _check(run.scalars("y", max_points=max_points), ref_steps, ref_values, max_points)
    assert (info.count, info.max, info.max_step) == (5000, 99.0, 2500)


def test_all_nan_series(tmp_path):
    with tracker.SummaryWriter(tmp_path / "run") as w:
        for step in range(300):
            w.add_scalar("y", math.nan, step)
    with tracker.open_run(tmp_path, "run") as run:
        got = run.scalars("y", max_points=20)
        info = run.info().tags["y"]
    assert got.total == 300 and len(got) <= 20 and np.isnan(got.value).all()
    assert info.min is None and info.max is None and math.isnan(info.last)


@pytest.mark.parametrize("max_points", [0, 1, -5, 2.5, True])
def test_bad_point_budget(series, max_points):
    logdir = series[0]
    with tracker.open_run(logdir, "run") as run:
        with pytest.raises(ValueError, match="max_points must be an int of at least 2"):
            run.scalars("y", max_points=max_points)


@pytest.mark.parametrize("points_in_range", [2_500, 5_000, 9_000, 20_000, 69_000])
@pytest.mark.parametrize("max_points", [500, 2000])
def test_a_zoomed_range_fills_at_least_half_the_budget(series, points_in_range, max_points):
    logdir, steps, values, _ = series
    start = steps[333]
    end = steps[333 + points_in_range - 1] if 333 + points_in_range <= len(steps) else steps[-1]
    with tracker.open_run(logdir, "run") as run:
        got = run.scalars("y", start=int(start), end=int(end), max_points=max_points)
    ref_steps, ref_values = _reference(steps, values, start, end)
    _check(got, ref_steps, ref_values, max_points)
    if got.downsampled:
        assert len(got) >= max_points // 2
