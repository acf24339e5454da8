"""A downsampled read shows where a series went NaN, within its point budget."""

import math

import numpy as np
import pytest

import tracker


def _write(path, steps, values, max_queue=4096):
    with tracker.SummaryWriter(path, max_queue=max_queue) as w:
        for step, value in zip(steps.tolist(), values.tolist()):
            w.add_scalar("y", value, step, walltime=1000.0 + step)


def _nan_series(n, seed):
    """A random walk with NaNs at random places, whole NaN-only buckets, ±Inf, and a NaN
    at the first and the last step."""
    rng = np.random.default_rng(seed)
    steps = np.arange(n) * 2 + 5
    values = np.cumsum(rng.normal(size=n))
    values[rng.choice(n, 40, replace=False)] = np.nan
    values[16 * 37:16 * 39] = np.nan  # two whole level-0 buckets
    values[n // 2:n // 2 + 3000] = np.nan  # whole buckets of several levels
    values[[0, -1]] = np.nan
    values[rng.choice(n, 2, replace=False)] = [math.inf, -math.inf]
    return steps, values


@pytest.fixture(scope="module")
def nan_run(tmp_path_factory):
    steps, values = _nan_series(60_000, seed=11)
    path = tmp_path_factory.mktemp("nan") / "run"
    _write(path, steps, values, max_queue=2999)
    return path.parent, steps, values


def _check_nans_shown(got, steps, values, start, end, max_points):
    """Brute force: every point real, within budget, in step order; the range's first NaN is
    shown, and every NaN of the range has a shown NaN at most one group before it."""
    keep = (steps >= start) & (steps <= end)
    ref_steps, ref_values = steps[keep], values[keep]
    assert got.total == len(ref_steps)
    assert len(got) <= max_points
    assert np.all(np.diff(got.step) > 0)
    where = np.searchsorted(ref_steps, got.step)
    assert np.array_equal(ref_steps[where], got.step)
    np.testing.assert_array_equal(got.value, ref_values[where])  # NaN where the point is NaN
    np.testing.assert_array_equal(got.wall_time, 1000.0 + got.step)
    assert got.step[0] == ref_steps[0] and got.step[-1] == ref_steps[-1]
    finite = ref_values[~np.isnan(ref_values)]
    if len(finite) and max_points >= 4:
        assert np.nanmax(got.value) == finite.max() and np.nanmin(got.value) == finite.min()
    nan_at = np.flatnonzero(np.isnan(ref_values))
    if not len(nan_at) or max_points < 5:
        return
    shown = where[np.isnan(got.value)]
    assert shown[0] == nan_at[0]
    # A group spans at most a few units of at most 2 * total / groups points each.
    span = 16 * len(ref_steps) / (max_points - 2) + 1
    before = shown[np.searchsorted(shown, nan_at, side="right") - 1]
    assert np.all(nan_at - before < span)


@pytest.mark.parametrize("start, end", [(None, None), (5, 40_000), (1_200, 1_300),
                                        (60_005, None), (59_990, 60_100), (700, 5_000)])
@pytest.mark.parametrize("max_points", [2, 5, 11, 300, 2000])
def test_downsampled_reads_show_every_group_that_went_nan(nan_run, start, end, max_points):
    logdir, steps, values = nan_run
    with tracker.open_run(logdir, "run") as run:
        got = run.scalars("y", start=start, end=end, max_points=max_points)
    lo = steps[0] if start is None else start
    hi = steps[-1] if end is None else end
    _check_nans_shown(got, steps, values, lo, hi, max_points)


def test_one_nan_in_a_long_series_is_in_the_overview(tmp_path):
    n = 100_000
    values = np.linspace(0.0, 1.0, n)
    values[61_234] = np.nan
    steps = np.arange(n)
    _write(tmp_path / "run", steps, values)
    with tracker.open_run(tmp_path, "run") as run:
        got = run.scalars("y", max_points=2000)
    assert got.downsampled and len(got) <= 2000
    nan = np.isnan(got.value)
    assert got.step[nan].tolist() == [61_234]
    assert got.wall_time[nan].tolist() == [1000.0 + 61_234]
    assert len(got) > 1500  # one NaN costs the overview one point, not a third of it


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_nan_points_never_push_a_read_over_budget(tmp_path, seed):
    """Every other bucket holding a NaN: the NaN points compete with minima and maxima."""
    rng = np.random.default_rng(seed)
    n = 40_000
    values = rng.normal(size=n)
    values[np.arange(0, n, 37)] = np.nan
    steps = np.arange(n)
    _write(tmp_path / "run", steps, values)
    with tracker.open_run(tmp_path, "run") as run:
        for max_points in (5, 6, 7, 100, 999, 2000):
            got = run.scalars("y", max_points=max_points)
            _check_nans_shown(got, steps, values, 0, n - 1, max_points)
