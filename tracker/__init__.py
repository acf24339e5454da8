"""liteboard's tracker: per-run SQLite event files, written like PyTorch's SummaryWriter and read for the dashboard.

Writing::

    from tracker import SummaryWriter
    with SummaryWriter("runs/exp1") as writer:
        writer.add_scalar("loss", 0.25, global_step=10)

Reading (never changes the files)::

    import tracker
    for info in tracker.list_runs("runs"):  # from each run's summary file where current
        with tracker.open_run("runs", info.name) as run:
            series = run.scalars("loss", max_points=2000)
"""

from .errors import (
    CommitError,
    LogDirError,
    RemoteStorageError,
    RunInUseError,
    RunNotFoundError,
    TagNotFoundError,
    TrackerError,
    UnreadableRunError,
    UnsupportedError,
    WriterClosedError,
)
from .reader import (Histogram, HistogramColumns, Run, RunInfo, Series, TagInfo, list_runs, open_run,
                     run_info)
from .schema import EVENTS_FILE, SCHEMA_VERSION, SUMMARY_FILE
from .summary_file import file_state

_WRITERS = ("FileWriter", "SummaryWriter")

__all__ = [
    "EVENTS_FILE",
    "SCHEMA_VERSION",
    "SUMMARY_FILE",
    "CommitError",
    "FileWriter",
    "Histogram",
    "HistogramColumns",
    "LogDirError",
    "RemoteStorageError",
    "Run",
    "RunInUseError",
    "RunInfo",
    "RunNotFoundError",
    "Series",
    "SummaryWriter",
    "TagInfo",
    "TagNotFoundError",
    "TrackerError",
    "UnreadableRunError",
    "UnsupportedError",
    "WriterClosedError",
    "file_state",
    "list_runs",
    "open_run",
    "run_info",
]


def __getattr__(name):
    """The writers load on first use, so a process that only reads (the dashboard) starts
    without importing them and sqlite_utils."""
    if name in _WRITERS:
        from . import writer

        return getattr(writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
