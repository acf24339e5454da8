"""liteboard import: a TensorBoard logdir written by the tensorboard package's own writers,
imported with every value, step and wall time exact."""

import json

import numpy as np
import pytest

import tracker

from tb_logdirs import HPARAMS, IMAGE, METRIC, TEXTS, TF1_SCALARS, TF2_SCALARS, WALL, write_logdir

tb_import = pytest.importorskip("tracker.interop.tb_import")


@pytest.fixture
def imported(tmp_path):
    tb = write_logdir(tmp_path / "tb")
    report = tb_import.import_logdir(tb, tmp_path / "lb")
    return tmp_path / "lb", report


def series(logdir, run, tag):
    with tracker.open_run(logdir, run) as opened:
        found = opened.scalars(tag)
    return list(zip(found.step.tolist(), found.wall_time.tolist(), found.value.tolist()))


def test_the_run_layout_is_kept(imported):
    logdir, report = imported
    assert [info.name for info in tracker.list_runs(logdir)] == ["hp/1", "tf1/a", "tf2"]
    assert sorted(report.runs) == ["hp/1", "tf1/a", "tf2"]


def test_simple_value_scalars_keep_step_wall_time_and_float32_value(imported):
    logdir, _ = imported
    for tag, points in TF1_SCALARS.items():
        expected = [(s, w, float(np.float32(v))) for s, w, v in points]
        assert series(logdir, "tf1/a", tag) == expected


def test_tf2_tensor_scalars_are_scalars(imported):
    logdir, _ = imported
    expected = [(s, w, float(np.float32(v))) for s, w, v in TF2_SCALARS["eval/loss"]]
    assert series(logdir, "tf2", "eval/loss") == expected


def test_texts(imported):
    logdir, _ = imported
    with tracker.open_run(logdir, "tf1/a") as run:
        texts = run.texts("notes")
    assert [(t["tag"], t["step"], t["wall_time"], t["text"]) for t in texts] == TEXTS


def test_hparams_session_start_and_experiment_metrics(imported):
    logdir, _ = imported
    with tracker.open_run(logdir, "hp/1") as run:
        found = run.hparams()
    assert found["hparams"] == HPARAMS
    assert found["metrics"] == {METRIC[0]: METRIC[1][-1][2]}
    assert series(logdir, "hp/1", METRIC[0]) == [(s, w, v) for s, w, v in METRIC[1]]


def test_graph_def_becomes_the_tracker_graph(imported):
    logdir, _ = imported
    with tracker.open_run(logdir, "tf1/a") as run:
        graphs = run.graphs()
    assert [g["wall_time"] for g in graphs] == [WALL - 1]
    nodes = {node["name"]: node for node in graphs[0]["graph"]["nodes"]}
    assert nodes["x"] == {"name": "x", "op": "Placeholder", "inputs": [], "dtype": "float32",
                          "attrs": {"dtype": "float32", "shape": [None, 3]}, "shape": None}
    assert nodes["scope/mul"]["inputs"] == ["x", "scope/c", "init"]
    assert nodes["scope/c"]["attrs"]["value"] == 2.0


def test_the_summary_counts_imported_and_skipped_kinds(imported):
    _, report = imported
    scalars = sum(map(len, TF1_SCALARS.values())) + len(TF2_SCALARS["eval/loss"]) + len(METRIC[1])
    assert report.imported == {"scalars": scalars, "texts": 2, "graphs": 1, "hparams": 1,
                               "histograms": 2, "images": 2}
    assert report.skipped == {"audio": 1}
    assert report.problems == []
    assert report.summary() == (f"imported 1 graphs, 2 histograms, 1 hparams, 2 images, {scalars} scalars, "
                                "2 texts into 3 runs; skipped 1 (audio)")


def test_histograms_tf1_exact_and_tf2_from_its_buckets(imported):
    logdir, _ = imported
    with tracker.open_run(logdir, "tf1/a") as run:
        (tf1,) = run.histograms("weights")
    assert (tf1.step, tf1.wall_time, tf1.count, tf1.min, tf1.max, tf1.sum, tf1.sum_squares) == (
        3, WALL + 3, 2, 0.0, 1.0, 1.0, 1.0)
    assert tf1.edges.tolist() == [0.0, 0.5, 1.0] and tf1.counts.tolist() == [1.0, 1.0]
    with tracker.open_run(logdir, "tf2") as run:
        (tf2,) = run.histograms("weights")
    assert (tf2.step, tf2.wall_time, tf2.count, tf2.min, tf2.max) == (7, WALL + 7, 6, 0.0, 3.0)
    assert tf2.edges.tolist() == [0.0, 1.0, 3.0] and tf2.counts.tolist() == [2.0, 4.0]
    assert tf2.sum == 0.5 * 2 + 2.0 * 4  # bucket centres: TF2 keeps no sum


def test_images_pixel_exact(imported):
    import io

    from PIL import Image

    logdir, _ = imported
    with tracker.open_run(logdir, "tf1/a") as run:
        image = run.image("sample", 3)
    assert (image["wall_time"], image["width"], image["height"], image["channels"]) == (WALL + 3, 3, 2, 3)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(image["png"]))), IMAGE)
    with tracker.open_run(logdir, "tf2") as run:
        (batch,) = run.images("samples")
    assert (batch["step"], batch["wall_time"], batch["samples"]) == (8, WALL + 8, 2)


def test_importing_again_reads_only_what_is_new(tmp_path, imported):
    logdir, _ = imported
    again = tb_import.import_logdir(tmp_path / "tb", logdir)
    assert again.imported == {} and again.runs == [] and again.problems == []
    from tensorboard.summary import DirectoryOutput, Writer

    writer = Writer(DirectoryOutput(str(tmp_path / "tb" / "tf2")))
    writer.add_scalar("eval/loss", 7.0, 100, wall_time=WALL + 5000)
    writer.close()
    third = tb_import.import_logdir(tmp_path / "tb", logdir)
    assert third.runs == ["tf2"] and third.imported == {"scalars": 1}
    assert series(logdir, "tf2", "eval/loss")[-1] == (100, WALL + 5000, 7.0)
    state = json.loads((logdir / "tf2" / tb_import.IMPORT_STATE).read_text())
    assert all(isinstance(offset, int) for offset in state["files"].values())


def test_a_run_is_dated_by_its_events_not_by_the_import(imported):
    logdir, _ = imported
    with tracker.open_run(logdir, "tf1/a") as run:
        info = run.info()
    assert (info.start_time, info.end_time) == (WALL - 1, TF1_SCALARS["loss"][-1][1])
    assert info.status == "finished"


def test_a_list_hparam_is_kept_as_its_json_and_an_empty_value_is_counted(tmp_path):
    from tb_logdirs import event, hparams_value
    from tensorboard.compat.proto import summary_pb2
    from tensorboard.plugins.hparams import metadata as hp_metadata
    from tensorboard.plugins.hparams import plugin_data_pb2
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    start = plugin_data_pb2.SessionStartInfo()
    start.hparams["layers"].list_value.values.add().number_value = 64
    start.hparams["layers"].list_value.values.add().number_value = 32
    writer = EventFileWriter(str(tmp_path / "tb" / "r"))
    writer.add_event(event(0, WALL, hparams_value(hp_metadata.SESSION_START_INFO_TAG,
                                                  plugin_data_pb2.HParamsPluginData(session_start_info=start))))
    writer.add_event(event(1, WALL, summary_pb2.Summary.Value(tag="nothing")))
    writer.close()
    report = tb_import.import_logdir(tmp_path / "tb", tmp_path / "lb")
    assert report.skipped == {"empty value": 1} and report.problems == []
    with tracker.open_run(tmp_path / "lb", "r") as run:
        assert run.hparams()["hparams"] == {"layers": "[64.0, 32.0]"}
