"""Finding TensorBoard event files under a logdir, without importing tensorboard: what
`liteboard serve` tells a user who points it at a TensorBoard logdir."""

import os
import shlex
from pathlib import Path

from .. import schema

#: How many directory names a notice lists before "and N more".
SHOWN_DIRS = 5


def is_events_file(name):
    """Whether a file name is a TensorBoard event file's (TensorBoard's own rule)."""
    return "tfevents" in name


def unimported_dirs(logdir):
    """Relative names (sorted) of the directories under ``logdir`` that hold TensorBoard event
    files and no liteboard run; none when ``logdir`` is missing."""
    root = Path(logdir)
    found = []
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        if schema.EVENTS_FILE not in files and any(map(is_events_file, files)):
            found.append(Path(directory).relative_to(root).as_posix())
    return found


def import_command(logdir):
    """The command that imports ``logdir``'s TensorBoard runs into liteboard runs beside them."""
    quoted = shlex.quote(str(logdir))
    return f"liteboard import {quoted} {quoted}"


def describe(dirs):
    """What ``dirs`` hold, as the end of a sentence that starts with the logdir."""
    shown = ", ".join(dirs[:SHOWN_DIRS])
    if len(dirs) > SHOWN_DIRS:
        shown += f" and {len(dirs) - SHOWN_DIRS} more"
    where = "1 directory" if len(dirs) == 1 else f"{len(dirs)} directories"
    return f"holds TensorBoard event files in {where} ({shown}), which liteboard does not read directly"


def notice(logdir, dirs):
    """One line for the terminal: what ``dirs`` of ``logdir`` hold, and the command that imports them."""
    return f"{logdir} {describe(dirs)}; import them with: {import_command(logdir)}"
