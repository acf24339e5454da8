"""TensorBoard event files in a logdir, without importing tensorboard: how to tell one (the run
index's scan notes the directories that hold them) and what `liteboard serve` tells a user who
points it at a TensorBoard logdir."""

import shlex

#: How many directory names a notice lists before "and N more".
SHOWN_DIRS = 5


def is_events_file(name):
    """Whether a file name is a TensorBoard event file's (TensorBoard's own rule)."""
    return "tfevents" in name


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
