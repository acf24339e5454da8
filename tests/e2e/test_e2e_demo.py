"""The demo replaces only what an earlier demo made: a logdir holding anything else is left alone."""

import pytest

import tracker
from examples import demo

DEMO_RUNS = sorted(demo.demo_run_names())


def run_demo(logdir):
    return demo.main(["--no-serve", "--logdir", str(logdir)])


def run_names(logdir):
    return sorted(run.name for run in tracker.list_runs(str(logdir)))


def write_foreign_run(path):
    with tracker.SummaryWriter(str(path)) as writer:
        writer.add_scalar("loss", 0.5, 1)


def test_demo_trains_its_runs_and_replaces_them_on_a_second_run(tmp_path):
    logdir = tmp_path / "demo"
    assert run_demo(logdir) == 0
    assert run_names(logdir) == DEMO_RUNS
    first = (logdir / "linreg/sgd_lr=0.1/events.sqlite").stat().st_mtime_ns
    assert run_demo(logdir) == 0
    assert run_names(logdir) == DEMO_RUNS
    assert (logdir / "linreg/sgd_lr=0.1/events.sqlite").stat().st_mtime_ns != first


@pytest.mark.parametrize("make_demo_first", [False, True], ids=["user-logdir", "demo-logdir"])
def test_demo_leaves_a_logdir_with_foreign_files_and_runs_alone(tmp_path, capsys, make_demo_first):
    logdir = tmp_path / "runs"
    if make_demo_first:
        assert run_demo(logdir) == 0
    write_foreign_run(logdir / "my_experiment")
    (logdir / "notes.txt").write_text("keep me")
    before = sorted(p.relative_to(logdir) for p in logdir.rglob("*"))

    assert run_demo(logdir) == 2
    message = capsys.readouterr().err.strip()
    assert "\n" not in message and "did not create" in message
    assert "my_experiment" in message
    assert sorted(p.relative_to(logdir) for p in logdir.rglob("*")) == before
    assert (logdir / "notes.txt").read_text() == "keep me"
    run = tracker.open_run(str(logdir), "my_experiment")
    assert run.scalars("loss").value.tolist() == [0.5]


def test_demo_keeps_a_file_the_user_put_inside_a_demo_run(tmp_path, capsys):
    logdir = tmp_path / "demo"
    assert run_demo(logdir) == 0
    (logdir / "xor/sgd_lr=0.5/analysis.ipynb").write_text("{}")
    assert run_demo(logdir) == 2
    assert "xor/sgd_lr=0.5/analysis.ipynb" in capsys.readouterr().err
    assert (logdir / "xor/sgd_lr=0.5/analysis.ipynb").read_text() == "{}"
    assert run_names(logdir) == DEMO_RUNS


def test_demo_refuses_a_checkout_like_directory_and_a_file(tmp_path, capsys):
    (tmp_path / "README.md").write_text("# my project")
    assert run_demo(tmp_path) == 2
    assert (tmp_path / "README.md").read_text() == "# my project"
    not_a_dir = tmp_path / "runs.txt"
    not_a_dir.write_text("x")
    assert run_demo(not_a_dir) == 2
    assert "not a directory" in capsys.readouterr().err
    assert not_a_dir.read_text() == "x"
