"""Checks at the writer's boundary: each turns a user's value into a plain row field or says what is wrong."""

import base64
import json
import math
import operator
from collections.abc import Mapping

import numpy as np

from .names import lone_surrogate, name_problem

_INT64 = (-(2**63), 2**63 - 1)


def check_tag(tag, what="tag"):
    """``tag`` itself, if it is a str that follows the name rule (names.py)."""
    if not isinstance(tag, str):
        raise TypeError(f"{what} must be a str, got {type(tag).__name__} {tag!r}")
    problem = name_problem(tag)
    if problem:
        if not tag:
            raise ValueError(f"{what} must not be empty")
        shown = repr(tag) if len(tag) <= 80 else f"{tag[:80]!r}..."
        raise ValueError(f"{what} {shown} {problem}")
    return tag


def as_scalar(tag, value):
    """A Python float from a number, a 0-d or one-element array, or a one-element tensor."""
    if isinstance(value, (float, int, np.floating, np.integer, np.bool_)):
        try:
            return float(value)
        except OverflowError:  # an int beyond 1.8e308
            raise ValueError(f"value for tag '{tag}' is out of the float64 range: an integer of "
                             f"{len(str(abs(value)))} digits") from None
    if isinstance(value, (str, bytes)):
        raise TypeError(f"value for tag '{tag}' must be a number, got {type(value).__name__} {value!r}")
    try:
        array = np.asarray(value)
    except Exception as exc:  # e.g. a tensor on a GPU: try its own conversion below
        array = None
        error = exc
    if array is not None and array.dtype.kind in "biuf":
        if array.size != 1:
            raise ValueError(
                f"value for tag '{tag}' must be a single number, got an array of shape {array.shape}")
        return float(array.reshape(()))
    if hasattr(value, "item") and callable(value.item):
        return as_scalar(tag, value.item())
    if array is not None and array.dtype.kind == "O" and array.size == 1 and hasattr(value, "__float__"):
        return float(value)
    detail = f" ({error})" if array is None else ""
    raise TypeError(f"value for tag '{tag}' must be a number, got {type(value).__name__}{detail}")


def as_step(tag, step, what=None, floats=True):
    """An int step within int64, as PyTorch takes one: an int, a numpy or tensor scalar, or
    (unless ``floats`` is False) a float truncated toward zero as PyTorch's ``int(step)`` does,
    so ``epoch + i / n`` is ``epoch``. Bools and strings are refused (usually a bug).

    Errors name ``what`` ("global_step for tag '<tag>'" unless given)."""
    what = f"global_step for tag '{tag}'" if what is None else what
    if isinstance(step, (bool, np.bool_, str, bytes)):
        raise TypeError(f"{what} must be an integer, got {type(step).__name__} {step!r}")
    try:
        index = operator.index(step)
    except TypeError:
        index = _truncated(what, step) if floats else None
        if index is None:
            raise TypeError(f"{what} must be an integer, got {type(step).__name__} {step!r}") from None
    step = index
    if not _INT64[0] <= step <= _INT64[1]:
        raise ValueError(f"{what} is out of the int64 range: {step}")
    return step


def _truncated(what, step):
    """int(step) of a float, a float numpy scalar or a one-element tensor; None if it is none."""
    array = step
    if not isinstance(step, (float, np.floating)):
        if callable(getattr(step, "item", None)) and np.size(step) == 1:
            array = step.item()  # a tensor or array of one element: its int or float
            if isinstance(array, (int, np.integer)) and not isinstance(array, bool):
                return int(array)
        if not isinstance(array, (float, np.floating)):
            return None
    if not math.isfinite(array):
        raise ValueError(f"{what} must be finite, got {array}")
    return int(array)


def as_walltime(tag, walltime):
    """Seconds since the epoch as a finite float."""
    try:
        walltime = float(walltime)
    except (TypeError, ValueError):
        raise TypeError(
            f"walltime for tag '{tag}' must be seconds as a number, got {type(walltime).__name__}"
        ) from None
    if not math.isfinite(walltime):
        raise ValueError(f"walltime for tag '{tag}' must be finite, got {walltime}")
    return walltime


def as_text(tag, text):
    if not isinstance(text, str):
        raise TypeError(f"text for tag '{tag}' must be a str, got {type(text).__name__}")
    problem = lone_surrogate(text)
    if problem:
        raise ValueError(f"text for tag '{tag}' {problem}")
    return text


def figure_json(tag, figure):
    """JSON of a plotly figure (a plotly Figure, or its dict form)."""
    if hasattr(figure, "to_plotly_json"):
        data = figure.to_plotly_json()
    elif isinstance(figure, Mapping):
        data = dict(figure)
    else:
        raise TypeError(f"figure for tag '{tag}' must be a plotly Figure or a dict, "
                        f"got {type(figure).__name__}")
    from plotly.utils import PlotlyJSONEncoder  # numpy arrays, dates and NaN inside figures

    try:
        return json.dumps(_plain_arrays(data), cls=PlotlyJSONEncoder)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"figure for tag '{tag}' cannot be stored as JSON: {exc}") from exc


def _plain_arrays(obj):
    """``obj`` with plotly's base64 typed arrays ({"dtype", "bdata", "shape"}) as plain lists.

    Plain lists read the same in any plotly.js and in the sqlite3 shell.
    """
    if isinstance(obj, Mapping):
        if "bdata" in obj and "dtype" in obj and set(obj) <= {"bdata", "dtype", "shape"}:
            array = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
            shape = obj.get("shape")
            if shape:
                dims = shape.split(",") if isinstance(shape, str) else shape
                array = array.reshape([int(d) for d in dims])
            return array.tolist()
        return {key: _plain_arrays(value) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain_arrays(value) for value in obj]
    return obj


def graph_json(graph):
    """JSON of a graph definition: ``graph.as_graph_def()``, or such a dict itself."""
    if hasattr(graph, "as_graph_def"):
        graph_def = graph.as_graph_def()
    elif isinstance(graph, Mapping):
        graph_def = graph
    else:
        raise TypeError("add_graph expects an object with as_graph_def() or a graph definition "
                        f"dict, got {type(graph).__name__}")
    if not isinstance(graph_def, Mapping):
        raise TypeError(f"as_graph_def() returned {type(graph_def).__name__}, not a dict")
    try:
        return json.dumps(graph_def, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"graph definition cannot be stored as JSON: {exc}") from exc


def hparam_json(name, value):
    """JSON of one hyperparameter value: a bool, number, str or None."""
    check_tag(name, "hparam name")
    if isinstance(value, np.generic):
        value = value.item()
    if value is not None and not isinstance(value, (bool, int, float, str)):
        raise TypeError(f"hparam '{name}' must be a bool, number, str or None, "
                        f"got {type(value).__name__}")
    return json.dumps(value)


def metric_json(name, value):
    """JSON of one metric value (a number; non-finite ones as their JavaScript names)."""
    check_tag(name, "metric name")
    return json.dumps(as_scalar(name, value))


def text_of(tag, text):
    """Markdown of a text summary's value: a str, or an array of them (bytes as UTF-8); a
    1-D or 2-D array becomes a table, one cell per item, as TensorBoard shows it."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if isinstance(text, str):
        return as_text(tag, text)
    array = np.asarray(text, dtype=object)
    if array.ndim == 0:
        return text_of(tag, array.item())
    cells = [_cell(tag, item) for item in array.reshape(-1)]
    if array.ndim > 2 or not cells:
        raise ValueError(f"text for tag '{tag}' must be a str or a non-empty 1-D or 2-D array "
                         f"of them, got shape {array.shape}")
    width = 1 if array.ndim == 1 else array.shape[1]
    rows = [cells[i:i + width] for i in range(0, len(cells), width)]
    lines = ["|" + " |" * width, "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(tag, item):
    if isinstance(item, bytes):
        item = item.decode("utf-8", errors="replace")
    return as_text(tag, item).replace("|", "\\|").replace("\n", " ")
