"""``liteboard import``: TensorBoard event files into liteboard runs, through the tracker's writer.

Each directory of the TensorBoard logdir that holds event files is a run, and
becomes the run of the same relative path under the liteboard logdir. Scalars
(``simple_value`` and TF2 scalar tensors), texts, the hparams plugin's session
data and graphs are mapped, each at its event's step and wall time; other kinds
are counted as skipped. Each imported run keeps, beside its events file, how far
each event file was read (IMPORT_STATE), so importing again reads only what is
new. A damaged record is reported with its file and byte offset, and the rest of
the file still imports.
"""

import gc
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .optional import require

require("tensorboard", "tensorboard", "importing TensorBoard logdirs")
require("google_crc32c", "tensorboard", "importing TensorBoard logdirs")

from google.protobuf.message import DecodeError  # noqa: E402
from tensorboard.compat.proto.event_pb2 import Event  # noqa: E402

from .. import object_storage, remote, schema  # noqa: E402
from ..errors import LogDirError, TrackerError  # noqa: E402
from ..reader import Run  # noqa: E402
from ..writer import SummaryWriter  # noqa: E402
from . import tb_columns, tb_graph, tb_summary  # noqa: E402
from .tb_files import is_events_file  # noqa: E402
from .tfrecords import BadRecord, Records  # noqa: E402

#: The file beside an imported run's events file recording what was imported.
IMPORT_STATE = "tensorboard-import.json"
#: Values buffered per commit, and seconds between timed commits, while importing.
IMPORT_BATCH = 100_000
IMPORT_FLUSH_SECS = 30.0


@dataclass
class ImportReport:
    """What one import did: values imported and skipped by kind, and each problem met."""

    runs: list = field(default_factory=list)  # names of the runs that got new values
    imported: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    problems: list = field(default_factory=list)  # one line each, naming the file (and offset)

    def summary(self):
        """One line: runs, what was imported and what was skipped, by kind."""
        done = ", ".join(f"{n:,} {kind}" for kind, n in sorted(self.imported.items())) or "nothing new"
        line = f"imported {done} into {len(self.runs)} run{'s' * (len(self.runs) != 1)}"
        if self.skipped:
            line += "; skipped " + ", ".join(f"{n:,} ({kind})" for kind, n in sorted(self.skipped.items()))
        if self.problems:
            line += f"; {len(self.problems)} problem{'s' * (len(self.problems) != 1)} reported"
        return line


def find_runs(tb_logdir):
    """``(run name, directory, event file names)`` of each directory holding event files, by name."""
    root = Path(tb_logdir)
    found = []
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        events = sorted(name for name in files if is_events_file(name))
        if events:
            name = Path(directory).relative_to(root).as_posix()
            found.append((name, Path(directory), events))
    return found


def import_logdir(tb_logdir, logdir):
    """Import every run of ``tb_logdir`` into ``logdir`` (a directory, or a URL such as
    ``s3://bucket/prefix``: each run is then written and uploaded as SummaryWriter does);
    returns an ImportReport."""
    if not Path(tb_logdir).is_dir():
        raise FileNotFoundError(f"TensorBoard logdir '{tb_logdir}' is not a directory")
    if object_storage.is_url(logdir):
        try:
            logdir = object_storage.normalize(logdir)
        except ValueError as exc:
            raise LogDirError(str(exc)) from None
    report = ImportReport()
    # Millions of buffered rows are made and freed in bulk: the cyclic garbage collector
    # would walk the buffers again and again for nothing (a sixth of the import's time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        _import_runs(tb_logdir, logdir, report)
    finally:
        if collecting:
            gc.enable()
    return report


def _import_runs(tb_logdir, logdir, report):
    for name, directory, files in find_runs(tb_logdir):
        if object_storage.is_url(logdir):
            target = object_storage.normalize(logdir if name == "." else f"{logdir.rstrip('/')}/{name}")
        else:
            target = Path(logdir) / name
        try:
            _RunImport(name, directory, target, report).run(files)
        except TrackerError as exc:  # this run is in use or cannot be written: the others go on
            report.problems.append(f"run '{name}' was not imported: {exc}")


class _RunImport:
    """One TensorBoard run into one liteboard run."""

    def __init__(self, name, source, target, report):
        self.name = name
        self.source = source
        # a URL's run is imported into its local cache (fetched first), and uploaded after
        self.url = target if isinstance(target, str) else None
        self.target = remote.RemoteRun(target).local_dir if self.url else target
        self.report = report
        self.state_path = self.target / IMPORT_STATE
        self.state = {"source": str(source.resolve()), "files": {}, "plugins": {}}
        self.metric_tags = set()
        self.counts = Counter()

    def run(self, files):
        if self.state_path.is_file():
            try:
                self.state.update(json.loads(self.state_path.read_text(encoding="utf-8")))
            except (OSError, ValueError) as exc:
                self.report.problems.append(
                    f"{self.state_path}: cannot be read ({exc}); run '{self.name}' is left as it is "
                    "(delete that file to import the run again)")
                return
        elif (self.target / schema.EVENTS_FILE).exists():
            self.report.problems.append(
                f"{self.target}: already holds a liteboard run that was not imported from "
                f"TensorBoard; run '{self.name}' is left as it is (import into another logdir)")
            return
        todo = [(name, self._start(name)) for name in files]
        todo = [(name, start) for name, start in todo if start is not None]
        if not todo:
            return
        # Large batches: an import has no live reader to keep current, and each commit costs.
        # Dated by its values: the Runs and Compare pages show when it trained, not the import.
        writer = SummaryWriter(self.url or self.target, max_queue=IMPORT_BATCH,
                               flush_secs=IMPORT_FLUSH_SECS, dated_by_values=True)
        try:
            self.writer = writer
            for name, start in todo:
                self.state["files"][name] = self._read_file(self.source / name, start)
            self._metrics()
        finally:
            writer.close()
        self._save_state()
        if self.url:
            remote.RemoteRun(self.url).finish()  # the import state, saved after close
        if self.counts:
            self.report.runs.append(self.name)
            self.report.imported.update(self.counts)

    def _start(self, name):
        """The offset to read ``name`` from; None when nothing was added since the last import."""
        done = self.state["files"].get(name, 0)
        size = (self.source / name).stat().st_size
        if size < done:
            self.report.problems.append(
                f"{self.source / name}: shorter than when it was imported ({size} < {done} bytes); "
                "read again from the start")
            return 0
        return done if size > done else None

    def _read_file(self, path, offset):
        """Import the records of ``path`` from ``offset``; the offset to start from next time."""
        records = Records(path, offset)
        for batch in records.batches():
            if type(batch) is BadRecord:
                self.report.problems.append(f"{path}: byte {batch.offset}: {batch.reason}")
                continue
            offsets, datas = batch
            columns = tb_columns.parse(datas)
            if columns is None:  # read event by event, each problem named by its record
                for at, data in zip(offsets, datas):
                    self._record(path, at, lambda data=data: self._event(Event.FromString(data)))
                continue
            # in file order: the plain events' scalars up to each other record, then that record
            done = 0
            slow = columns.slow_events.tolist()
            for i, upto in zip(slow, np.searchsorted(columns.event, slow).tolist()):
                self._scalars(path, offsets, columns, done, upto)
                done = upto
                self._record(path, offsets[i], lambda data=datas[i]: self._event(Event.FromString(data)))
            self._scalars(path, offsets, columns, done, len(columns.event))
        return records.offset

    def _record(self, path, offset, read):
        """Call ``read``; a value refused by the protobufs or the writer is a problem at ``offset``."""
        try:
            read()
        except (DecodeError, TypeError, ValueError) as exc:
            self.report.problems.append(f"{path}: byte {offset}: {type(exc).__name__}: {exc}; "
                                        "record skipped")

    def _event(self, event):
        values = event.summary.value
        if values:
            step, wall_time = event.step, event.wall_time
            for value in values:
                self._value(value, step, wall_time)
        else:
            self._other(event)

    def _scalars(self, path, offsets, columns, start, stop):
        """The simple_value scalars ``start:stop`` of a batch's columns, a writer call per tag; a
        tag the writer refuses goes value by value, so that each refused one is named by its record."""
        if start >= stop:
            return
        tags = columns.tag[start:stop]
        order = np.argsort(tags, kind="stable") + start if len(columns.tags) > 1 else None
        groups = [np.arange(start, stop)] if order is None else np.split(
            order, np.flatnonzero(np.diff(columns.tag[order])) + 1)
        for group in groups:
            tag = columns.tags[columns.tag[group[0]]]
            step, wall_time, value = columns.step[group], columns.wall_time[group], columns.value[group]
            try:
                self.writer._add_scalar_rows(tag, step, wall_time, value)
            except (TypeError, ValueError):
                for i, s, w, v in zip(columns.event[group].tolist(), step.tolist(),
                                      wall_time.tolist(), value.tolist()):
                    self._record(path, offsets[i], lambda s=s, w=w, v=v: self._scalar(tag, v, s, w))
            else:
                self.counts["scalars"] += len(group)

    def _scalar(self, tag, value, step, wall_time):
        self.writer.add_scalar(tag, value, step, wall_time)
        self.counts["scalars"] += 1

    def _value(self, value, step, wall_time):
        """One summary value, through the mapping add_summary shares (the simple_value scalars
        of plain events come in bulk, through _scalars)."""
        plugin = tb_summary.plugin_of(value, self.state["plugins"])
        try:
            kind = tb_summary.add_value(self.writer, value, plugin, step, wall_time)
        except tb_summary.NotStored as exc:
            self.report.skipped[exc.kind] += 1
            return
        if kind:
            self.counts[kind] += 1
        if plugin == "hparams":
            self.metric_tags.update(tb_summary.experiment_metrics(value))

    def _metrics(self):
        """The metrics an experiment names, as add_hparams' metric dict: each one's last value here."""
        if not self.metric_tags:
            return
        self.writer.flush()
        with Run(self.name, self.target / schema.EVENTS_FILE) as run:
            tags = run.info().tags
        found = {tag: tags[tag].last for tag in sorted(self.metric_tags)
                 if tag in tags and tags[tag].kind == "scalar"}
        if found:
            self.writer.add_hparams({}, found)

    def _other(self, event):
        which = event.WhichOneof("what")
        if which == "graph_def":
            self.writer.add_graph(tb_graph.from_graph_def(event.graph_def), walltime=event.wall_time)
            self.counts["graphs"] += 1
        elif which == "meta_graph_def":
            graph = tb_graph.from_meta_graph_def(event.meta_graph_def)
            if graph is not None:
                self.writer.add_graph(graph, walltime=event.wall_time)
                self.counts["graphs"] += 1
        elif which == "tagged_run_metadata":
            self.report.skipped["run metadata"] += 1
        # file_version, session_log and log_message carry no values

    def _save_state(self):
        """Write IMPORT_STATE whole, then move it into place: a crash leaves the old one."""
        tmp = self.state_path.with_name(f".{IMPORT_STATE}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.state, indent=1, sort_keys=True))
        os.replace(tmp, self.state_path)

