"""Reading query parameters: bounded, typed, and rejected with a message that names them."""

import math

import re2

from dashboard.web.errors import BadParameter
from tracker.names import MAX_NAME_LENGTH, name_problem


def name(key, value):
    """A run or tag name from a URL, checked by the rule the writer checks names by."""
    problem = name_problem(value)
    if problem:
        raise BadParameter(f"parameter '{key}' {problem}")
    return value


def names(args, key, required=True):
    """All values of a repeated parameter (`?run=a&run=b`), duplicates dropped, order kept."""
    values = [name(key, value) for value in dict.fromkeys(args.getlist(key))]
    if required and not values:
        raise BadParameter(f"parameter '{key}' is required")
    return values


def converted(args, key, convert, kind):
    """Parameter `key` read by `convert` (int, float); None when it is absent or empty."""
    raw = args.get(key)
    if raw is None or raw == "":
        return None
    try:
        return convert(raw)
    except ValueError:
        raise BadParameter(f"parameter '{key}' must be {kind}, got {raw[:40]!r}") from None


def integer(args, key, default=None, minimum=None, maximum=None):
    value = converted(args, key, int, "an integer")
    if value is None:
        return default
    if minimum is not None and value < minimum:
        raise BadParameter(f"parameter '{key}' must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise BadParameter(f"parameter '{key}' must be at most {maximum}, got {value}")
    return value


def step_bound(args, key):
    """A step range bound; floats from a zoomed axis are accepted and rounded outward."""
    value = converted(args, key, float, "a number")
    if value is None:
        return None
    if not math.isfinite(value):
        raise BadParameter(f"parameter '{key}' must be finite, got {args.get(key)[:40]!r}")
    value = math.floor(value) if key == "start" else math.ceil(value)
    return max(min(value, 2**63 - 1), -(2**63))


def choice(args, key, choices, default):
    value = args.get(key, default)
    if value not in choices:
        raise BadParameter(f"parameter '{key}' must be one of {', '.join(choices)}, got {value[:40]!r}")
    return value


def regex(args, key, required=False, max_length=MAX_NAME_LENGTH, case_sensitive=False):
    """Parameter `key` compiled as a regular expression; None when it is absent and not required.

    Patterns come from a URL, so they are compiled by RE2, whose matching takes time linear in the
    text: (a+)+$ cannot freeze the server. Case-insensitive unless asked, as TensorBoard's filters are.
    """
    pattern = args.get(key, "")
    if not pattern:
        if required:
            raise BadParameter(f"parameter '{key}' is required")
        return None
    if len(pattern) > max_length:
        raise BadParameter(f"parameter '{key}' is longer than {max_length} characters")
    try:
        return compile_regex(pattern, case_sensitive)
    except ValueError as exc:
        raise BadParameter(f"parameter '{key}' is not a valid regular expression: {exc}") from None


def compile_regex(pattern, case_sensitive=False):
    """``pattern`` compiled by RE2 (matching in time linear in the text); ValueError with RE2's reason."""
    options = re2.Options()
    options.case_sensitive = case_sensitive
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):  # the binding passes RE2's message on undecoded
            reason = reason.decode("utf-8", "replace")
        raise ValueError(str(reason)) from None
