"""Checkpoints (`tf.train.Saver`): variables' values in numpy's `.npz` files, with TF1's
`checkpoint` index file beside them, written so that a crash never breaks what exists.

A checkpoint `<prefix>` is the file `<prefix>.npz`, one array per variable keyed by its
checkpoint name (the variable's op name, `model/W`, unless a `var_list` dict renames it).
docs/FORMAT.md describes both files. Each save writes a temporary file in the same directory
and renames it over the target (`os.replace`, atomic on POSIX and Windows), then the index the
same way, and only then deletes checkpoints that `max_to_keep` pushes out. So a save that
dies at any point leaves the index naming a checkpoint that restores.

Saving and restoring are ops (`save/SaveV2`, `save/RestoreV2`, as TF1 names them) run by a
Session, which is where the values live: saving reads the variables' arrays in place,
restoring stores the loaded arrays as the variables' values.
"""

import os
import time
import zipfile
from dataclasses import dataclass, field

import numpy as np

from . import dtypes
from .array_ops import placeholder
from .errors import NotFoundError
from .extend import defop, make_op
from .files import atomic_write
from .graph import format_shape, get_default_graph
from .meta_graph import export_meta_graph, import_graph, read_meta_graph, save_meta_graph
from .state_ops import Variable, global_variables

SUFFIX = ".npz"
INDEX = "checkpoint"


def _path(value):
    """A filename fed to the save and restore ops (a str, bytes, or a 0-d array of either)."""
    value = value.item() if isinstance(value, np.ndarray) else value
    return os.fsdecode(value)


def _compile_save(op, state):
    names = op.attrs["names"]

    def save(filename, *values):
        write_npz(_path(filename), dict(zip(names, values)))
    return save


def _compile_restore(op, state):
    variables, names = state.variables, op.attrs["names"]
    refs = op.inputs[1:]

    def restore(filename):
        prefix = _path(filename)
        loaded = read_checkpoint(prefix, names)
        for name, ref in zip(names, refs):
            value = loaded[name]
            if not ref.shape.is_compatible_with(value.shape):
                raise ValueError(
                    f"Restoring from checkpoint {prefix} failed: variable '{ref.op.name}' has shape "
                    f"{ref.shape} in the graph but '{name}' has shape {format_shape(value.shape)} "
                    "in the checkpoint")
            variables[ref.op] = value.astype(ref.dtype.numpy_dtype, copy=False)
    return restore


_io = {"grads": None, "shape": lambda *dims, names: None, "dtype": lambda *types, names: None}
defop("SaveV2", compile=_compile_save, **_io)
defop("RestoreV2", compile=_compile_restore, run_inputs=lambda op: op.inputs[:1], **_io)


# -- files --------------------------------------------------------------------------------

def write_npz(prefix, arrays):
    """Write `<prefix>.npz` atomically (engine.files.atomic_write). Like TF's checkpoint
    writer, make the directory `prefix` names if need be, but not its parents."""
    directory = os.path.dirname(prefix) or "."
    try:
        os.mkdir(directory)
    except FileExistsError:
        pass
    except FileNotFoundError:
        raise ValueError(f"Parent directory of {prefix} doesn't exist, can't save.") from None
    if not os.path.isdir(directory):
        raise ValueError(f"Parent directory of {prefix} doesn't exist, can't save.")
    atomic_write(prefix + SUFFIX, lambda file: _savez(file, arrays))


def _savez(file, arrays):
    """What `np.savez` writes (an uncompressed zip of .npy members), without its copy of each
    array: the values go from the array's memory to the file (zipfile adds their CRC)."""
    with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, value in arrays.items():
            array = np.asarray(value, order="C")
            if array.dtype.hasobject:
                raise TypeError(f"cannot save variable '{name}': a {array.dtype} array is not numeric data")
            with archive.open(name + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array_header_1_0(member, np.lib.format.header_data_from_array_1_0(array))
                if array.size:
                    member.write(memoryview(array.reshape(-1)).cast("B"))


def checkpoint_exists(prefix):
    return os.path.isfile(os.fspath(prefix) + SUFFIX)


def _check_exists(prefix):
    if not checkpoint_exists(prefix):
        raise ValueError(f"The passed save_path is not a valid checkpoint: {prefix}")


def _members(file):
    """{name: (offset of its .npy data, dtype, shape)} of an .npz opened as `file`.

    numpy's own `np.load` reads a member through zipfile in small chunks, with a CRC pass and
    copies, several times slower than `np.load` of an .npy file. np.savez stores members
    uncompressed, so each array's bytes lie at a fixed offset: read its header with numpy's
    reader and the values straight into their array, as np.load does for an .npy file."""
    members = {}
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile as error:
        raise ValueError(f"{file.name} is not a readable checkpoint: {error}") from None
    with archive:
        for info in archive.infolist():
            if info.compress_type != zipfile.ZIP_STORED or not info.filename.endswith(".npy"):
                raise ValueError(f"{file.name}: member {info.filename} is not an uncompressed .npy array")
            file.seek(info.header_offset)
            local = file.read(30)  # the local header: its name and extra field lengths at 26..30
            start = info.header_offset + 30 + int.from_bytes(local[26:28], "little") + int.from_bytes(
                local[28:30], "little")
            file.seek(start)
            try:
                version = np.lib.format.read_magic(file)
                reader = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                          else np.lib.format.read_array_header_2_0)
                shape, fortran, dtype = reader(file)
            except ValueError as error:
                raise ValueError(f"{file.name} is not a readable checkpoint: member "
                                 f"{info.filename}: {error}") from None
            if fortran or dtype.hasobject:
                raise ValueError(f"{file.name}: member {info.filename} is not a C-ordered numeric array")
            members[info.filename[:-4]] = (file.tell(), dtype, shape)
    return members


def read_checkpoint(prefix, names=None):
    """{name: array} of a checkpoint (all of it, or `names`; a missing one is NotFoundError)."""
    _check_exists(prefix)
    with open(os.fspath(prefix) + SUFFIX, "rb") as file:
        members = _members(file)
        names = list(members) if names is None else names
        missing = [n for n in names if n not in members]
        if missing:
            raise NotFoundError(
                "Restoring from checkpoint failed. This is most likely due to a Variable name or "
                "other graph key that is missing from the checkpoint. Please ensure that you have "
                "not altered the graph expected based on the checkpoint. Original error:\n\n"
                f"Key {missing[0]} not found in checkpoint {prefix}")
        arrays = {}
        for name in names:
            offset, dtype, shape = members[name]
            file.seek(offset)
            array = np.empty(shape, dtype)
            if file.readinto(memoryview(array.reshape(-1)).cast("B")) != array.nbytes:
                raise ValueError(f"checkpoint {prefix} is truncated: {name} is cut short")
            arrays[name] = array
        return arrays


def _prefix_of(ckpt_dir_or_file):
    """A checkpoint prefix from a directory (its latest checkpoint) or a prefix."""
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}")
        return latest
    return path


def list_variables(ckpt_dir_or_file):
    """[(name, shape)] of every variable in a checkpoint, sorted by name."""
    prefix = _prefix_of(ckpt_dir_or_file)
    _check_exists(prefix)
    with open(os.fspath(prefix) + SUFFIX, "rb") as file:
        return sorted((name, list(shape)) for name, (_, _, shape) in _members(file).items())


def load_variable(ckpt_dir_or_file, name):
    """One variable's value from a checkpoint (a trailing ':0' is dropped, as TF1 does)."""
    name = name[:-2] if name.endswith(":0") else name
    prefix = _prefix_of(ckpt_dir_or_file)
    return read_checkpoint(prefix, [name])[name]


# -- the index file -----------------------------------------------------------------------

@dataclass
class CheckpointState:
    """TF1's CheckpointState: the latest checkpoint and all those kept, oldest first."""

    model_checkpoint_path: str
    all_model_checkpoint_paths: list = field(default_factory=list)
    all_model_checkpoint_timestamps: list = field(default_factory=list)
    last_preserved_timestamp: float = 0.0


def _quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unquote(text):
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"not a quoted string: {text}")
    out, chars = [], iter(text[1:-1])
    for c in chars:
        out.append(next(chars, "") if c == "\\" else c)
    return "".join(out)


def update_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                            latest_filename=None, all_model_checkpoint_timestamps=None,
                            last_preserved_timestamp=None):
    """Write the `checkpoint` index file (TF1's text format), atomically."""
    paths = list(all_model_checkpoint_paths or [])
    if model_checkpoint_path not in paths:
        paths.append(model_checkpoint_path)
    lines = [f"model_checkpoint_path: {_quote(model_checkpoint_path)}"]
    lines += [f"all_model_checkpoint_paths: {_quote(p)}" for p in paths]
    lines += [f"all_model_checkpoint_timestamps: {t!r}" for t in all_model_checkpoint_timestamps or ()]
    if last_preserved_timestamp is not None:
        lines.append(f"last_preserved_timestamp: {last_preserved_timestamp!r}")
    text = ("\n".join(lines) + "\n").encode("utf-8")
    atomic_write(os.path.join(save_dir, latest_filename or INDEX), lambda file: file.write(text))


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The CheckpointState read from `checkpoint_dir`'s index file, or None when there is none.
    Relative paths in it are taken relative to the directory."""
    path = os.path.join(os.fspath(checkpoint_dir), latest_filename or INDEX)
    if not os.path.isfile(path):
        return None
    state = CheckpointState("")
    with open(path, encoding="utf-8") as file:
        for number, line in enumerate(file, 1):
            if not line.strip():
                continue
            key, _, value = line.partition(":")
            try:
                if key == "model_checkpoint_path":
                    state.model_checkpoint_path = _unquote(value)
                elif key == "all_model_checkpoint_paths":
                    state.all_model_checkpoint_paths.append(_unquote(value))
                elif key == "all_model_checkpoint_timestamps":
                    state.all_model_checkpoint_timestamps.append(float(value))
                elif key == "last_preserved_timestamp":
                    state.last_preserved_timestamp = float(value)
            except ValueError as error:
                raise ValueError(f"{path}, line {number}: {error}") from None
    if not state.model_checkpoint_path:
        raise ValueError(f"Invalid checkpoint state loaded from {path}: no model_checkpoint_path")
    absolute = lambda p: p if os.path.isabs(p) else os.path.join(checkpoint_dir, p)  # noqa: E731
    state.model_checkpoint_path = absolute(state.model_checkpoint_path)
    state.all_model_checkpoint_paths = [absolute(p) for p in state.all_model_checkpoint_paths]
    return state


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the newest checkpoint the index names, if its file exists; else None."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state and checkpoint_exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    return None


# -- the Saver ----------------------------------------------------------------------------

def _names_to_variables(var_list):
    """{checkpoint name: Variable} from None (all global variables), a list, or a dict."""
    if var_list is None:
        var_list = global_variables()
    if isinstance(var_list, dict):
        items = list(var_list.items())
    else:
        items = [(v.op.name, v) for v in var_list]
    result = {}
    for name, variable in items:
        if not isinstance(variable, Variable):
            raise TypeError(f"Saver var_list items must be Variables, got {variable!r} for '{name}'")
        if name in result:
            raise ValueError(f"At least two variables have the same name: {name}")
        result[name] = variable
    return result


class Saver:
    """Saves and restores variables: `save(sess, prefix, global_step=)`, `restore(sess, prefix)`.

    `var_list`: None (all global variables), a list (saved under their names) or a dict
    {checkpoint name: variable}. `max_to_keep` newest checkpoints are kept (None or 0: all);
    one every `keep_checkpoint_every_n_hours` is kept besides."""

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
                 saver_def=None, builder=None, defer_build=False, allow_empty=False,
                 write_version=2, pad_step_number=False, save_relative_paths=False, filename=None):
        variables = _names_to_variables(var_list)
        if not variables and not allow_empty:
            raise ValueError("No variables to save")
        self._names = list(variables)
        self._variables = list(variables.values())
        self._max_to_keep = max_to_keep
        self._keep_every = keep_checkpoint_every_n_hours * 3600
        self._next_kept_time = time.time() + self._keep_every
        self._relative = save_relative_paths
        self._pad = pad_step_number
        self._last = []  # (prefix, time saved), oldest first
        graph = self._variables[0].graph if self._variables else get_default_graph()
        with graph.as_default(), graph.name_scope(name or "save"), graph.control_dependencies(None):
            self._filename = placeholder(dtypes.string, [], name="Const")
            refs = [v._ref for v in self._variables]
            attrs = {"names": self._names}
            self._save_op = make_op("SaveV2", [self._filename, *refs], attrs, name="SaveV2")
            self._restore_op = make_op("RestoreV2", [self._filename, *refs], attrs, name="RestoreV2")
        self.graph = graph

    @property
    def last_checkpoints(self):
        """The prefixes of the checkpoints this Saver keeps, oldest first."""
        return [prefix for prefix, _ in self._last]

    def save(self, sess, save_path, global_step=None, latest_filename=None, meta_graph_suffix="meta",
             write_meta_graph=True, write_state=True, strip_default_attrs=False, save_debug_info=False):
        """Write the variables' values in `sess` to `save_path[-step].npz`, record it in the
        directory's index file and prune old checkpoints; returns the prefix written."""
        if global_step is not None:
            step = global_step if isinstance(global_step, int) else int(sess.run(global_step))
            prefix = f"{save_path}-{step:08d}" if self._pad else f"{save_path}-{step}"
        else:
            prefix = os.fspath(save_path)
        if self._variables:
            sess.run(self._save_op, {self._filename: prefix})
        if write_meta_graph:
            save_meta_graph(f"{prefix}.{meta_graph_suffix}", self.graph, self._saver_def())
        if write_state:
            self._record(prefix, latest_filename)
        return prefix

    def _record(self, prefix, latest_filename):
        now = time.time()
        self._last = [(p, t) for p, t in self._last if p != prefix] + [(prefix, now)]
        pruned = []
        if self._max_to_keep:
            while len(self._last) > self._max_to_keep:
                pruned.append(self._last.pop(0))
        directory = os.path.dirname(prefix) or "."
        shown = (lambda p: os.path.relpath(p, directory)) if self._relative else (lambda p: p)
        update_checkpoint_state(directory, shown(prefix), [shown(p) for p in self.last_checkpoints],
                                latest_filename, [t for _, t in self._last])
        for old, saved_at in pruned:  # only once the index no longer names them
            if saved_at > self._next_kept_time:  # one every n hours stays
                self._next_kept_time += self._keep_every
                continue
            for path in (old + SUFFIX, old + ".meta"):
                if os.path.isfile(path):
                    os.remove(path)

    def restore(self, sess, save_path):
        """Set the variables in `sess` to their values in checkpoint `save_path`."""
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        _check_exists(save_path)
        if self._variables:
            sess.run(self._restore_op, {self._filename: os.fspath(save_path)})

    def export_meta_graph(self, filename=None, collection_list=None, **unused):
        """This Saver's graph as a file that `import_meta_graph` rebuilds, this Saver included."""
        return export_meta_graph(filename, self.graph, collection_list, saver_def=self._saver_def())

    def _saver_def(self):
        return {"filename": self._filename.name, "save": self._save_op.name,
                "restore": self._restore_op.name, "max_to_keep": self._max_to_keep,
                "keep_checkpoint_every_n_hours": self._keep_every / 3600}

    @classmethod
    def _from_def(cls, graph, saver_def):
        """The Saver that `saver_def` describes, over ops already in `graph`."""
        saver = cls.__new__(cls)
        saver.graph = graph
        saver._filename = graph.get_tensor_by_name(saver_def["filename"])
        saver._save_op = graph.get_operation_by_name(saver_def["save"])
        saver._restore_op = graph.get_operation_by_name(saver_def["restore"])
        saver._names = list(saver._save_op.attrs["names"])
        saver._variables = [Variable.from_graph(graph, t.op.name) for t in saver._save_op.inputs[1:]]
        saver._max_to_keep = saver_def["max_to_keep"]
        saver._keep_every = saver_def["keep_checkpoint_every_n_hours"] * 3600
        saver._next_kept_time = time.time() + saver._keep_every
        saver._relative, saver._pad, saver._last = False, False, []
        return saver

    def recover_last_checkpoints(self, checkpoint_paths):
        """Take over checkpoints an earlier Saver made (so max_to_keep prunes them too)."""
        self._last = [(p, time.time()) for p in checkpoint_paths if checkpoint_exists(p)]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time):
        self._last = list(last_checkpoints_with_time)


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **unused):
    """Rebuild a saved graph (a `.meta` file `Saver.save` wrote, or what `export_meta_graph`
    returned) in the default graph, without the code that built it. Returns its Saver (None
    when it was exported without one); restore the values with it."""
    meta = meta_graph_or_file
    if not isinstance(meta, dict):
        meta = read_meta_graph(os.fspath(meta_graph_or_file))
    graph = get_default_graph()
    import_graph(meta, graph, import_scope)
    saver_def = meta.get("saver_def")
    if saver_def is None:
        return None
    if import_scope:
        saver_def = {**saver_def, **{k: f"{import_scope}/{saver_def[k]}" for k in ("filename", "save", "restore")}}
    return Saver._from_def(graph, saver_def)
