"""tracker.SummaryWriter has every public method and attribute of PyTorch's
torch.utils.tensorboard.SummaryWriter, with the same parameters and defaults, so a PyTorch loop
works with only its import changed. The list below is PyTorch 2.x's, recorded from its
torch/utils/tensorboard/writer.py (torch is not imported here)."""

import inspect

import numpy as np

import tracker

_ = inspect.Parameter.empty
TORCH_METHODS = {
    "__init__": [("log_dir", None), ("comment", ""), ("purge_step", None), ("max_queue", 10),
                 ("flush_secs", 120), ("filename_suffix", "")],
    "get_logdir": [],
    "add_hparams": [("hparam_dict", _), ("metric_dict", _), ("hparam_domain_discrete", None),
                    ("run_name", None), ("global_step", None)],
    "add_scalar": [("tag", _), ("scalar_value", _), ("global_step", None), ("walltime", None),
                   ("new_style", False), ("double_precision", False)],
    "add_scalars": [("main_tag", _), ("tag_scalar_dict", _), ("global_step", None),
                    ("walltime", None)],
    "add_tensor": [("tag", _), ("tensor", _), ("global_step", None), ("walltime", None)],
    "add_histogram": [("tag", _), ("values", _), ("global_step", None), ("bins", "tensorflow"),
                      ("walltime", None), ("max_bins", None)],
    "add_histogram_raw": [("tag", _), ("min", _), ("max", _), ("num", _), ("sum", _),
                          ("sum_squares", _), ("bucket_limits", _), ("bucket_counts", _),
                          ("global_step", None), ("walltime", None)],
    "add_image": [("tag", _), ("img_tensor", _), ("global_step", None), ("walltime", None),
                  ("dataformats", "CHW")],
    "add_images": [("tag", _), ("img_tensor", _), ("global_step", None), ("walltime", None),
                   ("dataformats", "NCHW")],
    "add_image_with_boxes": [("tag", _), ("img_tensor", _), ("box_tensor", _),
                             ("global_step", None), ("walltime", None), ("rescale", 1),
                             ("dataformats", "CHW"), ("labels", None)],
    "add_figure": [("tag", _), ("figure", _), ("global_step", None), ("close", True),
                   ("walltime", None)],
    "add_video": [("tag", _), ("vid_tensor", _), ("global_step", None), ("fps", 4),
                  ("walltime", None)],
    "add_audio": [("tag", _), ("snd_tensor", _), ("global_step", None), ("sample_rate", 44100),
                  ("walltime", None)],
    "add_text": [("tag", _), ("text_string", _), ("global_step", None), ("walltime", None)],
    "add_onnx_graph": [("prototxt", _)],
    "add_graph": [("model", _), ("input_to_model", None), ("verbose", False),
                  ("use_strict_trace", True)],
    "add_embedding": [("mat", _), ("metadata", None), ("label_img", None), ("global_step", None),
                      ("tag", "default"), ("metadata_header", None)],
    "add_pr_curve": [("tag", _), ("labels", _), ("predictions", _), ("global_step", None),
                     ("num_thresholds", 127), ("weights", None), ("walltime", None)],
    "add_pr_curve_raw": [("tag", _), ("true_positive_counts", _), ("false_positive_counts", _),
                         ("true_negative_counts", _), ("false_negative_counts", _),
                         ("precision", _), ("recall", _), ("global_step", None),
                         ("num_thresholds", 127), ("weights", None), ("walltime", None)],
    "add_custom_scalars_multilinechart": [("tags", _), ("category", "default"),
                                          ("title", "untitled")],
    "add_custom_scalars_marginchart": [("tags", _), ("category", "default"),
                                       ("title", "untitled")],
    "add_custom_scalars": [("layout", _)],
    "add_mesh": [("tag", _), ("vertices", _), ("colors", None), ("faces", None),
                 ("config_dict", None), ("global_step", None), ("walltime", None)],
    "flush": [],
    "close": [],
    "__enter__": [],
    "__exit__": [("exc_type", _), ("exc_val", _), ("exc_tb", _)],
}
#: PyTorch's defaults liteboard keeps different on purpose: a commit every 10 values would make
#: logging several times slower (one SQLite transaction each), and 120 s would keep a live
#: dashboard two minutes behind. Passing PyTorch's values works, with their meaning.
OWN_DEFAULTS = {("__init__", "max_queue"): 10_000, ("__init__", "flush_secs"): 2.0}
#: PyTorch's public attributes (set in its __init__); its file_writer and all_writers hold
#: protobuf event-file writers liteboard has no counterpart of.
TORCH_ATTRIBUTES = ["log_dir", "purge_step", "max_queue", "flush_secs", "filename_suffix",
                    "default_bins", "file_writer", "all_writers"]


#: Parameters liteboard adds after PyTorch's, keyword only, so no PyTorch call changes meaning.
OWN_KEYWORDS = {("add_graph", "walltime"), ("__init__", "dated_by_values"), ("__init__", "journal_mode")}


def parameters(method):
    params = list(inspect.signature(getattr(tracker.SummaryWriter, method)).parameters.values())
    own = [p for p in params if (method, p.name) in OWN_KEYWORDS]
    assert all(p.kind is p.KEYWORD_ONLY for p in own), method
    return [(p.name, OWN_DEFAULTS.get((method, p.name), p.default)) for p in params[1:] if p not in own]


def test_every_pytorch_method_has_pytorchs_parameters_and_defaults():
    for method, expected in TORCH_METHODS.items():
        expected = [(name, OWN_DEFAULTS.get((method, name), default)) for name, default in expected]
        assert parameters(method) == expected, method


def test_every_public_method_of_pytorchs_writer_is_listed():
    ours = {name for name in dir(tracker.SummaryWriter) if not name.startswith("_")}
    assert set(TORCH_METHODS) - {"__init__", "__enter__", "__exit__"} <= ours
    # liteboard's own: add_summary, and local_dir (where a run of an s3:// log_dir is written)
    assert ours - set(TORCH_METHODS) - set(TORCH_ATTRIBUTES) == {"add_summary", "local_dir"}


def test_pytorchs_attributes_hold_what_pytorch_sets(tmp_path):
    with tracker.SummaryWriter(str(tmp_path / "run"), purge_step=None, max_queue=50,
                               flush_secs=5) as w:
        assert (w.log_dir, w.get_logdir()) == (str(tmp_path / "run"), str(tmp_path / "run"))
        assert (w.purge_step, w.max_queue, w.flush_secs, w.filename_suffix) == (None, 50, 5, "")
        # Scripts reach through torch's file writer; here it is the writer itself.
        assert w.file_writer is w and w.all_writers == {str(tmp_path / "run"): w}
        w.file_writer.add_summary([("loss", 0.25)], global_step=1)
        w.file_writer.flush()
        assert w.file_writer.get_logdir() == str(tmp_path / "run")
        bins = np.array(w.default_bins)
        assert len(bins) == 2 * 774 + 1 and bins[774] == 0 and bins[775] == 1e-12
        assert np.all(np.diff(bins) > 0) and bins[-1] < 1e20 and bins[-1] * 1.1 >= 1e20
