"""Everything a SummaryWriter logs comes back unchanged through the reader API."""

import math

import numpy as np
import plotly.graph_objects as go
import pytest

import tracker


@pytest.fixture
def logdir(tmp_path):
    return tmp_path / "runs"


def test_scalars_round_trip_with_steps_walltimes_and_numpy_values(logdir):
    values = [0.5, np.float32(1.25), np.int64(3), np.array(4.5), np.array([6.0]), 7, True]
    with tracker.SummaryWriter(logdir / "a") as w:
        for step, value in enumerate(values):
            w.add_scalar("loss", value, global_step=step * 10, walltime=1000.0 + step)
    with tracker.open_run(logdir, "a") as run:
        s = run.scalars("loss")
    assert s.step.dtype == np.int64 and s.value.dtype == np.float64
    assert s.step.tolist() == [0, 10, 20, 30, 40, 50, 60]
    assert s.value.tolist() == [0.5, 1.25, 3.0, 4.5, 6.0, 7.0, 1.0]
    assert s.wall_time.tolist() == [1000.0 + i for i in range(7)]
    assert s.total == 7 and not s.downsampled


def test_non_finite_values_are_stored_as_they_are(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        for step, value in enumerate([1.0, math.nan, math.inf, -math.inf, 2.0]):
            w.add_scalar("x", value, step)
    with tracker.open_run(logdir, "a") as run:
        value = run.scalars("x").value
        info = run.info().tags["x"]
    assert value[0] == 1.0 and math.isnan(value[1]) and value[2] == math.inf
    assert value[3] == -math.inf and value[4] == 2.0
    assert (info.min, info.min_step, info.max, info.max_step) == (-math.inf, 3, math.inf, 2)


def test_tag_summary_is_kept_up_to_date_across_flushes(logdir):
    rng = np.random.default_rng(0)
    values = rng.normal(size=3000)
    with tracker.SummaryWriter(logdir / "a", max_queue=256) as w:
        for step, value in enumerate(values):
            w.add_scalar("loss", value, step + 5)
    info = tracker.list_runs(logdir)[0].tags["loss"]
    assert info.kind == "scalar" and info.count == 3000
    assert (info.first_step, info.last_step, info.last) == (5, 3004, values[-1])
    assert (info.min, info.min_step) == (values.min(), int(values.argmin()) + 5)
    assert (info.max, info.max_step) == (values.max(), int(values.argmax()) + 5)


def test_step_range_is_inclusive_and_scalars_since_returns_only_new_points(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        for step in range(0, 100, 2):
            w.add_scalar("x", step / 2, step)
    with tracker.open_run(logdir, "a") as run:
        assert run.scalars("x", start=10, end=20).step.tolist() == [10, 12, 14, 16, 18, 20]
        assert run.scalars("x", start=11, end=11).step.tolist() == []
        assert run.scalars("x", start=90).step.tolist() == [90, 92, 94, 96, 98]
        since = run.scalars_since("x", 94)
        assert since.step.tolist() == [96, 98] and since.value.tolist() == [48.0, 49.0]
        assert len(run.scalars_since("x", 98)) == 0


def test_global_step_none_continues_the_tags_own_count(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        for value in (1.0, 2.0, 3.0):
            w.add_scalar("auto", value)
        w.add_scalar("later", 1.0, 41)
        w.add_scalar("later", 2.0)
    with tracker.open_run(logdir, "a") as run:
        assert run.scalars("auto").step.tolist() == [0, 1, 2]
        assert run.scalars("later").step.tolist() == [41, 42]


def test_a_step_logged_again_replaces_the_value_and_summary(logdir):
    with tracker.SummaryWriter(logdir / "a", max_queue=3) as w:
        for step in range(6):
            w.add_scalar("x", float(step), step)
        w.add_scalar("x", -5.0, 2)
    with tracker.open_run(logdir, "a") as run:
        s = run.scalars("x")
        info = run.info().tags["x"]
    assert s.step.tolist() == [0, 1, 2, 3, 4, 5]
    assert s.value.tolist() == [0.0, 1.0, -5.0, 3.0, 4.0, 5.0]
    assert (info.count, info.min, info.min_step, info.last) == (6, -5.0, 2, 5.0)


def test_add_scalars_keeps_values_in_the_run_on_one_chart(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        for step in range(3):
            w.add_scalars("loss", {"train": step * 1.0, "val": step * 2.0}, step)
        w.add_scalar("other", 1.0, 0)
    runs = tracker.list_runs(logdir)
    assert [r.name for r in runs] == ["a"]
    tags = runs[0].tags
    assert tags["loss/train"].chart == "loss" and tags["loss/val"].chart == "loss"
    assert tags["other"].chart is None
    with tracker.open_run(logdir, "a") as run:
        assert run.scalars("loss/val").value.tolist() == [0.0, 2.0, 4.0]


def test_add_summary_takes_pairs_and_dicts(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_summary((("loss", 0.5), ("acc", np.float32(0.25))), global_step=3)
        w.add_summary({"loss": 0.25}, global_step=4)
    with tracker.open_run(logdir, "a") as run:
        assert run.scalars("loss").value.tolist() == [0.5, 0.25]
        assert run.scalars("acc").step.tolist() == [3]


def test_texts_figures_graphs_and_hparams_round_trip(logdir):
    fig = go.Figure(go.Scatter(x=np.arange(3), y=np.array([1.0, 4.0, 9.0]), name="fit"))
    graph_def = {"nodes": [
        {"name": "x", "op": "Placeholder", "inputs": [], "attrs": {"dtype": "float32"},
         "dtype": "float32", "shape": [None, 3]},
        {"name": "scope/y", "op": "Square", "inputs": ["x"], "attrs": {}, "dtype": "float32",
         "shape": [None, 3]}]}

    class Graph:
        def as_graph_def(self):
            return graph_def

    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_text("notes", "# hello", 1, walltime=5.0)
        w.add_text("notes", "again", 2, walltime=6.0)
        w.add_figure("fit", fig, 7, walltime=8.0)
        w.add_figure("raw", {"data": [{"type": "bar", "y": [1, 2]}], "layout": {}}, 1)
        w.add_graph(Graph())
        w.add_graph({"nodes": []})
        w.add_hparams({"lr": 0.1, "optimizer": "adam", "layers": np.int64(2), "bn": True},
                      {"final_loss": 0.05})
    with tracker.open_run(logdir, "a") as run:
        assert run.texts("notes") == [
            {"tag": "notes", "step": 1, "wall_time": 5.0, "text": "# hello"},
            {"tag": "notes", "step": 2, "wall_time": 6.0, "text": "again"}]
        figures = run.figures()
        assert [f["tag"] for f in figures] == ["fit", "raw"]
        assert figures[0]["step"] == 7 and figures[0]["wall_time"] == 8.0
        assert figures[0]["figure"]["data"][0]["y"] == [1.0, 4.0, 9.0]
        assert go.Figure(figures[0]["figure"]).data[0].name == "fit"
        assert run.graph() == {"nodes": []}
        graphs = run.graphs()
        assert [g["graph"] for g in graphs] == [graph_def, {"nodes": []}]
        assert run.graph(graphs[0]["id"]) == graph_def
        assert run.graph(999) is None
        assert run.hparams() == {"hparams": {"lr": 0.1, "optimizer": "adam", "layers": 2, "bn": True},
                                 "metrics": {"final_loss": 0.05}}
        info = run.info()
    assert info.hparams == {"lr": 0.1, "optimizer": "adam", "layers": 2, "bn": True}
    assert info.metrics == {"final_loss": 0.05}
    assert info.tags["notes"].kind == "text" and info.tags["notes"].count == 2
    assert info.tags["fit"].kind == "figure" and info.tags["fit"].last is None


def test_add_hparams_takes_pytorchs_call_and_keeps_the_values_in_the_run(logdir):
    """PyTorch code passes run_name (often "." to avoid its sub-run), a discrete domain and a
    step; here the values always land in the run itself, and no sub-run appears."""
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_hparams({"lr": 0.1, "bsize": 32}, {"hparam/accuracy": np.float32(0.5)},
                      hparam_domain_discrete={"bsize": [16, 32]}, run_name=".", global_step=3)
        w.add_hparams({"lr": 0.2}, {"hparam/accuracy": 0.75}, run_name="trial")
    assert [info.name for info in tracker.list_runs(logdir)] == ["a"]
    with tracker.open_run(logdir, "a") as run:
        assert run.hparams() == {"hparams": {"bsize": 32, "lr": 0.2}, "metrics": {"hparam/accuracy": 0.75}}
        accuracy = run.scalars("hparam/accuracy")    # the metric as a scalar: one point, replaced
        assert accuracy.step.tolist() == [3] and accuracy.value.tolist() == [0.75]


def test_add_hparams_metrics_are_one_point_scalars_unless_the_run_logs_that_tag(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        for step in range(5):
            w.add_scalar("loss", 1.0 / (step + 1), step)
        w.add_text("notes", "hi", 0)
        w.add_hparams({"lr": 0.1}, {"loss": 0.01, "notes": 1.0, "hp/acc": 0.9})
        w.add_hparams({"lr": 0.1}, {"hp/best": 0.5}, global_step=7)
    with tracker.open_run(logdir, "a") as run:
        info = run.info()
        assert run.scalars("loss").value.tolist() == [1.0, 0.5, 1 / 3, 0.25, 0.2]   # the curve is kept
        assert info.tags["notes"].kind == "text"
        assert (run.scalars("hp/acc").step.tolist(), run.scalars("hp/acc").value.tolist()) == ([0], [0.9])
        assert run.scalars("hp/best").step.tolist() == [7]
        assert info.metrics == {"loss": 0.01, "notes": 1.0, "hp/acc": 0.9, "hp/best": 0.5}


def test_add_hparams_with_a_bad_global_step_names_it_and_writes_nothing(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        with pytest.raises(TypeError, match="global_step of add_hparams must be an integer, got str '1'"):
            w.add_hparams({"lr": 0.1}, {"acc": 0.5}, global_step="1")
    with tracker.open_run(logdir, "a") as run:
        assert run.hparams() == {"hparams": {}, "metrics": {}} and "acc" not in run.info().tags


def test_file_writer_writes_its_graph(logdir):
    graph_def = {"nodes": [{"name": "c", "op": "Const", "inputs": [], "attrs": {},
                            "dtype": "float32", "shape": []}]}
    w = tracker.FileWriter(str(logdir / "tf1"), graph=graph_def)
    w.add_summary([("loss", 1.5)], 0)
    w.close()
    with tracker.open_run(logdir, "tf1") as run:
        assert run.graph() == graph_def
        assert run.scalars("loss").value.tolist() == [1.5]
    assert w.get_logdir() == str(logdir / "tf1")


def test_run_metadata_and_status(logdir):
    w = tracker.SummaryWriter(logdir / "nested" / "run1")
    w.add_scalar("x", 1.0, 0)
    w.flush()
    (running,) = tracker.list_runs(logdir)
    assert running.name == "nested/run1" and running.status == "running"
    assert running.end_time is None and running.error is None
    w.close()
    (finished,) = tracker.list_runs(logdir)
    assert finished.status == "finished" and finished.end_time >= finished.start_time
    assert finished.pid > 0 and finished.host and isinstance(finished.command, str)
    assert finished.path.endswith("events.sqlite")
    data = finished.to_dict()
    assert data["tags"]["x"]["count"] == 1 and data["status"] == "finished"


def test_default_log_dir_is_runs_date_host_comment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with tracker.SummaryWriter(comment="_lr0.1") as w:
        logdir = w.get_logdir()
    parts = logdir.replace("\\", "/").split("/")
    assert parts[0] == "runs" and parts[1].endswith("_lr0.1")
    assert (tmp_path / logdir / "events.sqlite").is_file()


def test_purge_step_forgets_values_from_that_step_on(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        for step in range(10):
            w.add_scalar("x", float(step), step)
            w.add_text("t", f"step {step}", step)
    with tracker.SummaryWriter(logdir / "a", purge_step=6) as w:
        w.add_scalar("x", 100.0, 6)
    with tracker.open_run(logdir, "a") as run:
        assert run.scalars("x").value.tolist() == [0, 1, 2, 3, 4, 5, 100.0]
        assert [t["step"] for t in run.texts("t")] == [0, 1, 2, 3, 4, 5]
        info = run.info().tags["x"]
    assert (info.count, info.last_step, info.max, info.max_step) == (7, 6, 100.0, 6)


def test_reopening_a_finished_run_appends(logdir):
    with tracker.SummaryWriter(logdir / "a", max_queue=7) as w:
        for step in range(50):
            w.add_scalar("x", float(step), step)
    with tracker.SummaryWriter(logdir / "a", max_queue=7) as w:
        for step in range(50, 100):
            w.add_scalar("x", float(-step), step)
    with tracker.open_run(logdir, "a") as run:
        s = run.scalars("x")
        info = run.info().tags["x"]
        down = run.scalars("x", max_points=20)
    assert s.step.tolist() == list(range(100))
    assert (info.count, info.min, info.min_step, info.max, info.max_step) == (100, -99.0, 99, 49.0, 49)
    assert down.total == 100 and -99.0 in down.value and 49.0 in down.value


def test_values_are_committed_by_time_while_the_loop_keeps_logging(logdir):
    import time

    with tracker.SummaryWriter(logdir / "a", max_queue=10**6, flush_secs=0.1) as w:
        seen, step, deadline = 0, 0, time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            w.add_scalar("x", float(step), step, new_style=True)  # PyTorch's flag is accepted
            step += 1
            if step % 500 == 0:
                info = tracker.list_runs(logdir)[0]
                seen = info.tags["x"].count if "x" in info.tags else 0
        assert seen > 0  # committed long before max_queue values, without flush() or close()
    with tracker.open_run(logdir, "a") as run:
        assert run.scalars("x").step.tolist() == list(range(step))
