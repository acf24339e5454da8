"""SummaryWriter (PyTorch's API) and FileWriter (TF1's) over one run's SQLite events file.

Each add_* call checks its arguments here, at the boundary, and hands the
checked values to the matching method of the run's RunStore, which buffers them
and commits them in batches (see storage.py). Nothing here touches SQLite.
"""

import os
import socket
import threading
import time
import warnings
import weakref
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import numpy as np

from . import arrays, histogram, image, object_storage, pr_curve, remote, validate
from .interop import tb_values
from .errors import UnsupportedError, WriterClosedError
from .layout import chart_rows
from .storage import RunStore

_now = time.time
DEFAULT_MAX_QUEUE = 10_000
DEFAULT_FLUSH_SECS = 2.0


def default_log_dir(comment=""):
    """``runs/<date>_<host><comment>``, as PyTorch names a run."""
    stamp = datetime.now().strftime("%b%d_%H-%M-%S")
    return os.path.join("runs", f"{stamp}_{socket.gethostname()}{comment}")


class SummaryWriter:
    """Writes scalars, histograms, images, texts, figures, graphs and hparams of one run to
    ``<log_dir>/events.sqlite``.

    Values are buffered and committed in batches, every ``max_queue`` values or
    ``flush_secs`` seconds, whichever comes first; ``close()`` (or leaving the
    ``with`` block, or the interpreter exiting) commits the rest and marks the
    run finished. A step logged again for a tag replaces the earlier value.

    ``dated_by_values`` (liteboard's own, keyword only): at close, the run's start and end
    time are its first and last value's wall time rather than when it was written, for
    values logged with older ``walltime``s (``liteboard import`` uses it). It is the first
    writer's choice when several writers of one process share the run.
    ``log_dir`` may be a URL (``s3://bucket/prefix/run``, with the ``liteboard[s3]`` extra):
    the run is written in a local cache folder (``local_dir``, where checkpoints go too)
    and uploaded in the background every ``flush_secs`` and at close (see remote.py).
    ``journal_mode``: "wal", "delete" (a rollback journal, for shared filesystems where
    WAL is unsafe) or "auto" (the default, or LITEBOARD_JOURNAL_MODE): by the filesystem.
    """

    def __init__(self, log_dir=None, comment="", purge_step=None, max_queue=DEFAULT_MAX_QUEUE,
                 flush_secs=DEFAULT_FLUSH_SECS, filename_suffix="", *, dated_by_values=False,
                 journal_mode=None):
        if log_dir is None:
            log_dir = default_log_dir(comment)
        if not isinstance(log_dir, (str, os.PathLike)):
            raise TypeError(f"log_dir must be a path, got {type(log_dir).__name__}")
        if isinstance(max_queue, bool) or not isinstance(max_queue, int) or max_queue < 1:
            raise ValueError(f"max_queue must be a positive int, got {max_queue!r}")
        if isinstance(flush_secs, bool) or not isinstance(flush_secs, (int, float)) or not flush_secs > 0:
            raise ValueError(f"flush_secs must be a positive number of seconds, got {flush_secs!r}")
        if filename_suffix:
            # torch names one events file per writer by it; a liteboard run is one file, so a
            # ported script keeps running and its values land in the run of log_dir.
            warnings.warn(f"filename_suffix={filename_suffix!r} is ignored: a liteboard run is always "
                          f"<log_dir>/events.sqlite, which this writer appends to", stacklevel=2)
        if purge_step is not None:
            purge_step = validate.as_step(None, purge_step, what="purge_step", floats=False)
        # PyTorch's public attributes, as it sets them
        self.log_dir, self.purge_step = log_dir, purge_step
        self.max_queue, self.flush_secs, self.filename_suffix = max_queue, flush_secs, filename_suffix
        self._log_dir = object_storage.normalize(log_dir) if object_storage.is_url(log_dir) else Path(log_dir)
        self._metric_steps = {}   # tag -> step of the scalars add_hparams logged its metrics as
        self._plugins = {}  # tag -> TensorBoard plugin, of the Summary protobufs add_summary took
        self._journal_mode = journal_mode
        self._open(purge_step, max_queue, flush_secs, dated_by_values)

    def _open(self, purge_step, max_queue, flush_secs, dated_by_values=False):
        self._store = _shared_store(self._log_dir, max_queue, flush_secs, purge_step,
                                    dated_by_values, self._journal_mode)
        self._add_scalar = self._store.add_scalar  # bound once: add_scalar is the hot path
        self._closed = False
        # Releases the store (the last writer of it commits the buffer and marks the run
        # finished) when the writer is garbage collected or the interpreter exits without close().
        self._finalizer = weakref.finalize(self, _release_store, _store_key(self._log_dir),
                                           self._store)

    @property
    def local_dir(self):
        """The folder the run is written in: ``log_dir`` itself, or for a URL its local cache,
        whose other files (checkpoints saved there) are uploaded beside the run."""
        return str(self._store.run_dir)

    @property
    def default_bins(self):
        """PyTorch's histogram bucket edges for bins="tensorflow": +-1e-12 * 1.1**k up to 1e20, and 0."""
        return histogram.tensorflow_edges()[1:-1].tolist()

    # -- scalars ---------------------------------------------------------------------

    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None, new_style=False,
                   double_precision=False):
        """Log one number (a Python or numpy number, or a one-element array) at a step.

        ``new_style`` and ``double_precision`` are accepted for PyTorch compatibility; values
        are always stored as 64-bit floats.
        """
        if self._closed:
            self._raise_closed("add_scalar")
        value = scalar_value if type(scalar_value) is float else validate.as_scalar(tag, scalar_value)
        if type(global_step) is int and -0x8000000000000000 <= global_step <= 0x7FFFFFFFFFFFFFFF:
            step = global_step
        else:
            step = None if global_step is None else validate.as_step(tag, global_step)
        self._add_scalar(tag, value, step,  # the store checks a tag it has not seen
                         _now() if walltime is None else validate.as_walltime(tag, walltime))

    def _add_scalar_rows(self, tag, steps, wall_times, values):
        """Log many numbers of one tag at once, as add_scalar would each in turn (the same rows,
        tag summary and buckets), checked once per batch: ``liteboard import``'s hot path, where a
        call per value would cost more than the rest. ``steps``: integers within int64;
        ``wall_times``: finite seconds; ``values``: numbers; 1-D, of one length."""
        if self._closed:
            self._raise_closed("add_scalar")
        steps, wall_times, values = (_column(tag, what, column, kinds) for what, column, kinds in (
            ("global_step", steps, "iu"), ("walltime", wall_times, "iuf"), ("value", values, "biuf")))
        if not len(steps) == len(wall_times) == len(values):
            raise ValueError(f"tag '{tag}': {len(steps)} steps, {len(wall_times)} wall times and "
                             f"{len(values)} values; they must be as many")
        if steps.dtype.kind == "u" and len(steps) and steps.max() > 0x7FFFFFFFFFFFFFFF:
            raise ValueError(f"global_step for tag '{tag}' is out of the int64 range: {steps.max()}")
        wall_times = wall_times.astype(np.float64, copy=False)
        bad = np.flatnonzero(~np.isfinite(wall_times))
        if len(bad):
            raise ValueError(f"walltime for tag '{tag}' must be finite, got {wall_times[bad[0]]} "
                             f"(value {bad[0]} of {len(wall_times)})")
        self._store.add_scalar_rows(tag, steps.astype(np.int64, copy=False), wall_times,
                                    values.astype(np.float64, copy=False))

    def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, walltime=None):
        """Log several numbers as tags ``main_tag/key`` of this run, drawn on one chart."""
        if self._closed:
            self._raise_closed("add_scalars")
        validate.check_tag(main_tag, "main_tag")
        if not isinstance(tag_scalar_dict, Mapping):
            raise TypeError(f"tag_scalar_dict for '{main_tag}' must be a dict of tag -> value, "
                            f"got {type(tag_scalar_dict).__name__}")
        walltime = time.time() if walltime is None else validate.as_walltime(main_tag, walltime)
        values = []
        for key, value in tag_scalar_dict.items():
            tag = f"{main_tag}/{validate.check_tag(key, f'key of {main_tag}')}"
            value = validate.as_scalar(tag, value)
            step = None if global_step is None else validate.as_step(tag, global_step)
            values.append((tag, value, step))
        self._store.add_scalars(main_tag, values, walltime)

    def add_summary(self, summary, global_step=None, walltime=None):
        """Log every value of a summary: an engine Summary, (tag, value) pairs or a dict, or
        TensorBoard's: a ``Summary`` protobuf (torch's ``summary.scalar(...)``, TF's
        ``tf.compat.v1.Summary``) or its serialized bytes (TF1's ``sess.run`` of a summary op),
        which need the tensorboard extra.

        A protobuf value liteboard does not store (audio, ...) raises UnsupportedError naming
        its tag and kind, once the summary's other values are logged."""
        if self._closed:
            self._raise_closed("add_summary")
        if isinstance(summary, (bytes, bytearray, memoryview)) or _is_summary_protobuf(summary):
            self._add_summary_protobuf(summary, global_step, walltime)
            return
        if isinstance(summary, Mapping):
            pairs = list(summary.items())
        elif isinstance(summary, str):
            raise TypeError("add_summary expects a Summary, (tag, value) pairs or a dict, got a "
                            "str (a serialized Summary is bytes)")
        else:
            try:
                pairs = [tuple(pair) for pair in summary]
            except TypeError:
                raise TypeError("add_summary expects (tag, value) pairs or a dict, got "
                                f"{type(summary).__name__}") from None
        for pair in pairs:
            if len(pair) != 2:
                raise ValueError(f"add_summary expects (tag, value) pairs, got {pair!r}")
        walltime = time.time() if walltime is None else validate.as_walltime("summary", walltime)
        for tag, value in pairs:
            kind = value.get("kind") if isinstance(value, Mapping) else None
            if kind == "histogram":
                self.add_histogram(tag, value["values"], global_step, walltime=walltime)
            elif kind == "histo":
                self.add_histogram_raw(tag, **tb_values.histo_args(value["histo"]),
                                       global_step=global_step, walltime=walltime)
            elif kind == "image":
                self.add_image(tag, value["image"], global_step, walltime, dataformats="HWC")
            elif kind == "encoded_image":
                self.add_image(tag, image.decode_image(value["image"].encoded_image_string, tag),
                               global_step, walltime, dataformats="HWC")
            elif kind == "text":
                self.add_text(tag, validate.text_of(tag, value["text"]), global_step, walltime)
            else:
                self.add_scalar(tag, value, global_step, walltime)

    def _add_summary_protobuf(self, summary, global_step, walltime):
        from .interop import tb_summary  # the tensorboard extra, imported on first use

        proto = tb_summary.parse_summary(summary)
        walltime = time.time() if walltime is None else validate.as_walltime("summary", walltime)
        not_stored = []
        for value in proto.value:
            plugin = tb_summary.plugin_of(value, self._plugins)
            try:
                tb_summary.add_value(self, value, plugin, global_step, walltime)
            except tb_summary.NotStored as exc:
                not_stored.append(f"'{value.tag}' ({exc.kind})")
        if not_stored:
            raise UnsupportedError(
                f"add_summary: liteboard does not store {', '.join(not_stored)} yet; the "
                "summary's other values are logged and the writer keeps working")

    # -- texts, figures, graphs, hparams ---------------------------------------------

    def add_text(self, tag, text_string, global_step=None, walltime=None):
        """Log a text (markdown, as TensorBoard shows it) at a step."""
        self._add_item("add_text", "text", tag, validate.as_text, text_string, global_step, walltime)

    def add_figure(self, tag, figure, global_step=None, close=True, walltime=None):
        """Log a figure at a step: a matplotlib Figure (or a list of them, of one size) as
        an image, rendered to PNG and closed unless ``close`` is False, as PyTorch does; a
        plotly figure (a Figure or its dict) as its JSON."""
        figures = figure if isinstance(figure, (list, tuple)) else [figure]
        if figures and all(image.is_matplotlib_figure(f) for f in figures):
            self._add_item("add_figure", "image", tag, lambda tag, figures: image.image_columns(
                tag, image.render_figures(tag, figures, close), "NHWC", batch=True),
                figures, global_step, walltime)
        elif isinstance(figure, (list, tuple)):
            raise TypeError(f"figure for tag '{tag}': a list of figures must hold matplotlib "
                            "Figures only, got "
                            f"{', '.join(sorted({type(f).__name__ for f in figures})) or 'none'}")
        else:
            self._add_item("add_figure", "figure", tag, validate.figure_json, figure,
                           global_step, walltime)

    # -- histograms and images -----------------------------------------------------------

    def add_histogram(self, tag, values, global_step=None, bins="tensorflow", walltime=None,
                      max_bins=None):
        """Log a histogram of ``values`` (an array, a sequence or a tensor) at a step.

        ``bins``, as in PyTorch: "tensorflow" (TF's exponential buckets), a numpy bin rule
        ("auto", "fd", ...), a number of buckets, or the edges. NaN and +-Inf are counted
        beside the buckets, which hold the finite values; at most ``max_bins`` buckets.
        """
        self._add_item("add_histogram", "histogram", tag, lambda tag, values:
                       histogram.histogram_columns(tag, values, bins, max_bins), values,
                       global_step, walltime)

    def add_histogram_raw(self, tag, min, max, num, sum, sum_squares, bucket_limits,
                          bucket_counts, global_step=None, walltime=None):
        """Log a histogram already counted: TensorBoard's fields, ``bucket_limits`` the
        buckets' right edges."""
        self._add_item("add_histogram_raw", "histogram", tag, lambda tag, limits:
                       histogram.raw_columns(tag, min, max, num, sum, sum_squares, limits,
                                             bucket_counts), bucket_limits, global_step, walltime)

    def add_image(self, tag, img_tensor, global_step=None, walltime=None, dataformats="CHW"):
        """Log an image: its axes named by ``dataformats`` ("CHW", "HWC", "HW"), uint8 as it
        is, floats in [0, 1] (scaled by 255, clipped), stored as PNG."""
        self._add_item("add_image", "image", tag, lambda tag, img: image.image_columns(
            tag, img, dataformats), img_tensor, global_step, walltime)

    def add_images(self, tag, img_tensor, global_step=None, walltime=None, dataformats="NCHW"):
        """Log a batch of images ("NCHW", "NHWC", "NHW") as one PNG, tiled 8 to a row."""
        self._add_item("add_images", "image", tag, lambda tag, img: image.image_columns(
            tag, img, dataformats, batch=True), img_tensor, global_step, walltime)

    def _add_item(self, method, kind, tag, convert, payload, global_step, walltime):
        if self._closed:
            self._raise_closed(method)
        validate.check_tag(tag)
        step = None if global_step is None else validate.as_step(tag, global_step)
        walltime = time.time() if walltime is None else validate.as_walltime(tag, walltime)
        payload = convert(tag, payload)
        columns = payload if isinstance(payload, tuple) else (payload,)
        self._store.add_item(kind, tag, step, walltime, *columns)

    def add_graph(self, model, input_to_model=None, verbose=False, use_strict_trace=True, *,
                  walltime=None):
        """Log a graph definition: any object with ``as_graph_def()`` (an engine Graph), or such
        a dict, at ``walltime`` (liteboard's own, keyword only; default now). A torch module
        (PyTorch's use of this method, traced with ``input_to_model``) is not supported yet and
        raises UnsupportedError."""
        if self._closed:
            self._raise_closed("add_graph")
        if not hasattr(model, "as_graph_def") and callable(getattr(model, "forward", None)):
            _unsupported("add_graph of a torch.nn.Module",
                         "pass an object with as_graph_def() or a graph definition dict")
        graph = validate.graph_json(model)
        walltime = time.time() if walltime is None else validate.as_walltime("graph", walltime)
        self._store.add_graph(walltime, graph)

    # -- tensors and PR curves ---------------------------------------------------------

    def add_tensor(self, tag, tensor, global_step=None, walltime=None):
        """Log a tensor (any shape of numbers or bools) as it is: its dtype, shape and values."""
        self._add_item("add_tensor", "tensor", tag, arrays.tensor_columns, tensor, global_step,
                       walltime)

    def add_pr_curve(self, tag, labels, predictions, global_step=None, num_thresholds=127,
                     weights=None, walltime=None):
        """Log a precision-recall curve of binary ``labels`` against ``predictions`` in [0, 1]
        at ``num_thresholds`` (at most 127, as PyTorch) thresholds, optionally weighted."""
        self._add_item("add_pr_curve", "pr_curve", tag, lambda tag, labels: pr_curve.curve_columns(
            tag, labels, predictions, num_thresholds, weights), labels, global_step, walltime)

    def add_pr_curve_raw(self, tag, true_positive_counts, false_positive_counts,
                         true_negative_counts, false_negative_counts, precision, recall,
                         global_step=None, num_thresholds=127, weights=None, walltime=None):
        """Log a precision-recall curve already counted: six 1-D arrays of one length, one
        element per threshold (``weights`` is accepted for PyTorch's signature, unused as in it)."""
        counts = (true_positive_counts, false_positive_counts, true_negative_counts,
                  false_negative_counts, precision, recall)
        self._add_item("add_pr_curve_raw", "pr_curve", tag, lambda tag, counts:
                       pr_curve.raw_columns(tag, counts, num_thresholds), counts, global_step,
                       walltime)

    def add_image_with_boxes(self, tag, img_tensor, box_tensor, global_step=None, walltime=None,
                             rescale=1, dataformats="CHW", labels=None):
        """Log an image with boxes (N x 4: x1, y1, x2, y2) drawn on it, each with its label."""
        self._add_item("add_image_with_boxes", "image", tag, lambda tag, img: image.boxes_columns(
            tag, img, box_tensor, rescale, dataformats, labels), img_tensor, global_step, walltime)

    # -- custom scalars: charts of several tags ------------------------------------------

    def add_custom_scalars(self, layout):
        """Lay out charts of several tags (of every run) on the Scalars page:
        ``{category: {title: ["Multiline", [tags]] or ["Margin", [value, lower, upper]]}}``.
        Called again, it replaces the charts it names and keeps the others."""
        if self._closed:
            self._raise_closed("add_custom_scalars")
        self._store.add_charts(chart_rows(layout))

    def add_custom_scalars_multilinechart(self, tags, category="default", title="untitled"):
        """One chart of ``tags`` on one set of axes: add_custom_scalars of one chart."""
        self.add_custom_scalars({category: {title: ["Multiline", tags]}})

    def add_custom_scalars_marginchart(self, tags, category="default", title="untitled"):
        """One chart of a value and its lower and upper bound (three tags) drawn as a band."""
        self.add_custom_scalars({category: {title: ["Margin", tags]}})

    # -- what liteboard does not store yet ---------------------------------------------

    def add_video(self, tag, vid_tensor, global_step=None, fps=4, walltime=None):
        """Not supported yet: raises UnsupportedError (the writer keeps working)."""
        _unsupported("add_video", "log frames with add_images (N, C, H, W)")

    def add_audio(self, tag, snd_tensor, global_step=None, sample_rate=44100, walltime=None):
        """Not supported yet: raises UnsupportedError (the writer keeps working)."""
        _unsupported("add_audio", "log the waveform with add_tensor, or its spectrogram with add_image")

    def add_embedding(self, mat, metadata=None, label_img=None, global_step=None, tag="default",
                      metadata_header=None):
        """Not supported yet: raises UnsupportedError (the writer keeps working)."""
        _unsupported("add_embedding", "log the matrix with add_tensor, or a 2-D projection of "
                     "it as a plotly scatter with add_figure")

    def add_mesh(self, tag, vertices, colors=None, faces=None, config_dict=None, global_step=None,
                 walltime=None):
        """Not supported yet: raises UnsupportedError (the writer keeps working)."""
        _unsupported("add_mesh", "log the vertices with add_tensor, or a plotly 3-D figure with add_figure")

    def add_onnx_graph(self, prototxt):
        """Not supported yet: raises UnsupportedError (the writer keeps working)."""
        _unsupported("add_onnx_graph", "pass a graph definition dict to add_graph")

    def add_hparams(self, hparam_dict, metric_dict, hparam_domain_discrete=None,
                    run_name=None, global_step=None):
        """Record the run's hyperparameters and their metrics, in the run itself.

        Called again, it updates the names it is given and keeps the others. PyTorch's
        ``hparam_domain_discrete`` and ``run_name`` are accepted so its calls work unchanged,
        and have no effect: there is no sub-run to name (PyTorch's ``run_name=...`` writes
        one), the dashboard finds each hparam's values across runs, and a run has one set of
        hparams.

        Each metric is also logged as a scalar of its name, as TensorBoard's hparams plugin
        reads metrics, so it shows on the Scalars page: one point at ``global_step`` (else 0,
        or the step an earlier call used, which it replaces). A name the run already holds
        as a tag of its own (a curve the script logs) is left to that tag.
        """
        if self._closed:
            self._raise_closed("add_hparams")
        metric_dict = {} if metric_dict is None else metric_dict
        for what, given in (("hparam_dict", hparam_dict), ("metric_dict", metric_dict)):
            if not isinstance(given, Mapping):
                raise TypeError(f"{what} must be a dict, got {type(given).__name__}")
        hparams = {name: validate.hparam_json(name, value) for name, value in hparam_dict.items()}
        metrics = {name: validate.metric_json(name, value) for name, value in metric_dict.items()}
        step = None if global_step is None else validate.as_step(
            None, global_step, what="global_step of add_hparams")
        self._store.add_hparams(hparams, metrics)
        for name, value in metric_dict.items():
            if name in self._metric_steps or not self._store.has_tag(name):
                at = self._metric_steps.get(name, 0) if step is None else step
                self._metric_steps[name] = at
                self.add_scalar(name, value, at)

    # -- the rest of the API -----------------------------------------------------------

    def get_logdir(self):
        """The run's directory."""
        return str(self._log_dir)

    @property
    def file_writer(self):
        """torch's event-file writer, which scripts reach through (`writer.file_writer.add_summary`,
        `.flush()`, `.get_logdir()`): a liteboard run has one writer, this one."""
        return self

    @property
    def all_writers(self):
        """torch's writers by directory: here the one run."""
        return {self.log_dir: self}

    def flush(self):
        """Commit everything logged so far (a no-op once closed)."""
        if not self._closed:
            self._store.flush()

    def close(self):
        """Commit everything and mark the run finished; later add_* calls raise."""
        if not self._closed:
            self._closed = True
            self._finalizer()

    def _raise_closed(self, method):
        raise WriterClosedError(f"cannot {method}: the writer for '{self._log_dir}' is closed")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()


def _column(tag, what, column, kinds):
    """``column`` as a 1-D numpy array of a dtype kind in ``kinds`` ("iu", "iuf"...), for
    _add_scalar_rows; errors name ``what`` ("global_step", "value") and the tag."""
    array = np.asarray(column)
    if array.ndim != 1:
        raise ValueError(f"{what} for tag '{tag}' must be a 1-D array, got shape {array.shape}")
    if array.dtype.kind not in kinds and len(array):
        raise TypeError(f"{what} for tag '{tag}' must be an array of "
                        f"{'integers' if kinds == 'iu' else 'numbers'}, got dtype {array.dtype}")
    return array if len(array) else array.astype(np.float64 if "f" in kinds else np.int64)


def _is_summary_protobuf(summary):
    """Whether ``summary`` is a Summary message of tensorboard's or TF's protos (told without
    importing protobuf)."""
    name = getattr(getattr(summary, "DESCRIPTOR", None), "full_name", None)
    return name in ("tensorboard.Summary", "tensorflow.Summary")


def _unsupported(method, instead):
    raise UnsupportedError(f"{method} is not supported by liteboard yet: {instead}. Nothing "
                           "logged is lost and the writer keeps working.")


# -- one store per run in a process --------------------------------------------------------
# A notebook cell that makes SummaryWriter("runs/x") again while the first writer is still
# open (PyTorch allows it: each writes its own events file) shares that writer's store, so
# both keep working; the run is released when the last of them closes. Another process on
# the run still gets RunInUseError from the store's claim.

_stores = {}  # resolved run directory, or URL -> [store, number of writers using it]
_stores_lock = threading.Lock()


def _store_key(log_dir):
    """A run's key in _stores: its URL, or its resolved directory."""
    return log_dir if object_storage.is_url(log_dir) else os.path.realpath(log_dir)


def _shared_store(log_dir, max_queue, flush_secs, purge_step, dated_by_values, journal_mode):
    key = _store_key(log_dir)
    with _stores_lock:
        entry = _stores.get(key)
        if entry is None:
            # the one seam: a URL's run is a RunStore in a local cache, uploaded in the background
            store_class = remote.RemoteRunStore if object_storage.is_url(log_dir) else RunStore
            store = store_class(log_dir, max_queue=max_queue, flush_secs=flush_secs,
                                purge_step=purge_step, dated_by_values=dated_by_values,
                                journal_mode=journal_mode)
            _stores[key] = [store, 1]
            return store
        entry[1] += 1
        store = entry[0]
    if purge_step is not None:
        store.flush()
        store.purge(purge_step)
    return store


def _release_store(key, store):
    with _stores_lock:
        entry = _stores.get(key)
        if entry is not None and entry[0] is store:
            entry[1] -= 1
            if entry[1] > 0:
                store.flush()
                return
            del _stores[key]
    store.close()


class FileWriter(SummaryWriter):
    """TF1's ``tf.summary.FileWriter``, with its parameters in its order: writes the graph when
    given one. ``max_queue`` and ``flush_secs`` keep liteboard's defaults (see SummaryWriter);
    ``session`` (TF2's) is refused."""

    def __init__(self, logdir, graph=None, max_queue=DEFAULT_MAX_QUEUE,
                 flush_secs=DEFAULT_FLUSH_SECS, graph_def=None, filename_suffix=None,
                 session=None):
        if session is not None:
            raise ValueError("FileWriter(session=...) is TF2's and not supported: pass the "
                             "logdir and graph")
        super().__init__(logdir, max_queue=max_queue, flush_secs=flush_secs,
                         filename_suffix=filename_suffix or "")
        self._options = (max_queue, flush_secs)
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    def add_graph(self, graph, global_step=None, graph_def=None):
        """Log a graph (TF1 signature; ``global_step`` is not recorded for graphs)."""
        super().add_graph(graph if graph is not None else graph_def)

    def add_session_log(self, session_log, global_step=None):
        """Accepted, as TF1 code calls it; a run's start and end are the run's own (run table)."""
        if self._closed:
            self._raise_closed("add_session_log")

    def add_run_metadata(self, run_metadata, tag, global_step=None):
        """Accepted, as TF1 code calls it with ``Session.run``'s metadata; nothing is stored
        (the engine records no step stats)."""
        if self._closed:
            self._raise_closed("add_run_metadata")
        validate.check_tag(tag)

    def reopen(self):
        """Open the run again after close(), appending to it (TF1's FileWriter.reopen)."""
        if self._closed:
            self._open(None, *self._options)
