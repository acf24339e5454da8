"""The one rule for tag and run names: the writer checks it at each call, the dashboard's
API on each name parameter, so every name written can be asked for."""

MAX_NAME_LENGTH = 1024


def name_problem(name):
    """What makes the str ``name`` unusable as a name ("is empty", ...), or None."""
    if not name:
        return "is empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"is longer than {MAX_NAME_LENGTH} characters"
    if "\x00" in name:
        return f"contains a NUL character at position {name.index(chr(0))}"
    return lone_surrogate(name)


def lone_surrogate(text):
    """Where ``text`` holds a character UTF-8 cannot store, or None.

    Such a lone surrogate comes from bytes decoded with ``surrogateescape`` (a file name
    that is not UTF-8); SQLite could not store it, and would refuse the whole batch.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (f"holds a lone surrogate U+{ord(text[exc.start]):04X} at position {exc.start}, "
                "which UTF-8 cannot store")
    return None
