"""SummaryWriter(dated_by_values=True), the option `liteboard import` dates its runs with: the
writer, which owns the run's file, sets the run's start and end to its first and last value's
wall time as it closes, so an imported run shows when it trained, not when it was imported."""

import time

import pytest

import tracker


@pytest.mark.parametrize("dated_by_values", [False, True])
def test_a_writer_dated_by_values_takes_its_first_and_last_values_wall_times(tmp_path, dated_by_values):
    """The importer's writer option: the writer, which owns the file, dates the run as it closes."""
    before = time.time()
    with tracker.SummaryWriter(tmp_path / "r", dated_by_values=dated_by_values) as writer:
        writer.add_text("note", "first", 0, walltime=100.0)
        writer.add_scalar("loss", 1.0, 1, walltime=250.5)
        writer.add_scalar("loss", 0.5, 2, walltime=150.0)
    with tracker.open_run(tmp_path, "r") as run:
        info = run.info()
    if dated_by_values:
        assert (info.start_time, info.end_time) == (100.0, 250.5)
    else:
        assert before <= info.start_time <= info.end_time <= time.time()
    assert info.status == "finished"


def test_a_run_dated_by_values_without_values_keeps_the_clocks_times(tmp_path):
    before = time.time()
    tracker.SummaryWriter(tmp_path / "r", dated_by_values=True).close()
    with tracker.open_run(tmp_path, "r") as run:
        assert before <= run.info().start_time <= run.info().end_time <= time.time()
