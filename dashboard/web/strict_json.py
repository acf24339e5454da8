"""Standard JSON only: browsers' JSON.parse rejects the NaN and Infinity tokens Python writes.

Non-finite floats anywhere in an answer (a tag's last value, an hparam metric)
become the strings "NaN", "Infinity" and "-Infinity", as the scalar series do;
JavaScript's Number() reads them back.
"""

import json
import math

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
