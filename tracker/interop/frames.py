"""Scalar points as long-format columns (run, tag, step, wall_time, value), and as a pandas
DataFrame of them, as tbparse gives TensorBoard's; pandas is imported only when a frame is made."""

import numpy as np

from .optional import require

COLUMNS = ("run", "tag", "step", "wall_time", "value")


def long_columns(series):
    """The columns of ``(run, tag, Series)`` triples: numpy arrays, run and tag repeated per point."""
    series = list(series)
    counts = [len(points) for _, _, points in series]
    return {
        "run": np.repeat(np.array([run for run, _, _ in series], dtype=object), counts),
        "tag": np.repeat(np.array([tag for _, tag, _ in series], dtype=object), counts),
        "step": np.concatenate([p.step for _, _, p in series] or [np.empty(0, np.int64)]),
        "wall_time": np.concatenate([p.wall_time for _, _, p in series] or [np.empty(0)]),
        "value": np.concatenate([p.value for _, _, p in series] or [np.empty(0)]),
    }


def frame(series, feature="scalars_frame()"):
    """A DataFrame of long_columns(series); MissingExtraError naming the extra without pandas."""
    pandas = require("pandas", "pandas", feature)
    columns = long_columns(series)
    return pandas.DataFrame({name: columns[name] for name in COLUMNS})
