"""Standard JSON only: browsers' JSON.parse rejects the NaN and Infinity tokens Python writes.

Non-finite floats anywhere in an answer (a tag's last value, an hparam metric)
become the strings "NaN", "Infinity" and "-Infinity", as the scalar series do;
JavaScript's Number() reads them back.
"""

import json
import math

import numpy as np
import orjson

NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def finite_only(obj):
    """A copy of JSON-able `obj` with non-finite floats replaced by their string names."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else NON_FINITE[repr(obj)]
    if isinstance(obj, dict):
        return {key: finite_only(value) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite_only(value) for value in obj]
    return obj


def dumps(obj, **kwargs):
    """json.dumps that never writes NaN or Infinity tokens."""
    try:
        # The common case costs one C-speed pass; only answers holding NaN or inf are walked.
        return json.dumps(obj, allow_nan=False, **kwargs)
    except ValueError:
        return json.dumps(finite_only(obj), allow_nan=False, **kwargs)


def dumps_arrays(obj):
    """JSON of `obj`, numpy arrays inside it included, never with NaN or Infinity tokens.

    orjson writes float arrays whole, many times faster than json's repr of each float (a
    third of a distributions answer's time); it would write a non-finite float as null, so an
    answer holding one goes the strict way instead, as its string name.
    """
    if all_finite(obj):
        return orjson.dumps(obj, option=orjson.OPT_SERIALIZE_NUMPY).decode()
    return dumps(_as_lists(obj))


def all_finite(obj):
    """True when `obj` (JSON-able data, numpy arrays allowed) holds no NaN or infinity."""
    if isinstance(obj, float):
        return math.isfinite(obj)
    if isinstance(obj, np.ndarray):
        return obj.dtype.kind != "f" or bool(np.isfinite(obj).all())
    if isinstance(obj, dict):
        return all(all_finite(value) for value in obj.values())
    if isinstance(obj, (list, tuple)):
        return all(all_finite(value) for value in obj)
    return True


def _as_lists(obj):
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, dict):
        return {key: _as_lists(value) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_as_lists(value) for value in obj]
    return obj
