"""TensorBoard's PR curves (its pr_curve plugin's own summary) import as liteboard PR curves."""

import numpy as np
import pytest

import tracker

pytest.importorskip("tensorboard")

from tb_logdirs import WALL, event  # noqa: E402
from tensorboard.compat.proto import summary_pb2  # noqa: E402
from tensorboard.plugins.pr_curve import metadata as pr_metadata  # noqa: E402
from tensorboard.summary.writer.event_file_writer import EventFileWriter  # noqa: E402
from tensorboard.util import tensor_util  # noqa: E402

from tracker.interop import tb_import  # noqa: E402

ROWS = ("true_positives", "false_positives", "true_negatives", "false_negatives", "precision", "recall")


def tb_curve(step, num_thresholds):
    """A curve as TensorBoard's pr_curve plugin writes one: its metadata and a (6, n) float32
    tensor (its raw_data_pb, which needs TensorFlow to build)."""
    tp = np.linspace(50, 0, num_thresholds).round() + step
    fp = np.linspace(50, 0, num_thresholds).round() ** 0.5
    tn, fn = fp[0] - fp, tp[0] - tp
    precision, recall = tp / np.maximum(1e-7, tp + fp), tp / np.maximum(1e-7, tp + fn)
    data = np.stack([tp, fp, tn, fn, precision, recall]).astype(np.float32)
    metadata = pr_metadata.create_summary_metadata(display_name="pr", description="",
                                                   num_thresholds=num_thresholds)
    value = summary_pb2.Summary.Value(tag="pr", metadata=metadata,
                                      tensor=tensor_util.make_tensor_proto(data))
    return value, data


def test_imported_pr_curves_keep_every_count_step_and_wall_time(tmp_path):
    writer = EventFileWriter(str(tmp_path / "tb" / "cls"))
    expected = {}
    for step in (0, 10):
        value, expected[step] = tb_curve(step, 21)
        writer.add_event(event(step, WALL + step, value))
    writer.close()
    report = tb_import.import_logdir(tmp_path / "tb", tmp_path / "lb")
    assert report.imported["PR curves"] == 2 and "pr_curve" not in report.skipped
    with tracker.open_run(tmp_path / "lb", "cls") as run:
        curves = run.pr_curves("pr")
    assert [(c["step"], c["wall_time"]) for c in curves] == [(0, WALL), (10, WALL + 10)]
    for curve in curves:
        got = np.array([curve[name] for name in ROWS])
        assert got.tolist() == expected[curve["step"]].astype(np.float64).tolist()
        assert len(curve["thresholds"]) == 21
