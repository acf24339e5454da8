"""Liveness of a writer process: how a reader tells a running run from a crashed one.

A writer records its host and pid and refreshes a heartbeat (``run.last_write``)
at least every ``run.heartbeat_secs``. It is gone without close() when, on this
host, its pid no longer exists, or, from anywhere, its heartbeat is long overdue.
"""

import os
import socket
import time

#: A heartbeat older than this many heartbeat intervals means the writer is gone.
STALE_HEARTBEATS = 6
#: ...but never call a run crashed sooner than this, whatever the interval.
MIN_STALE_SECS = 30.0


def host_name():
    """The name recorded as a run's host and compared against by readers."""
    return socket.gethostname()


def pid_alive(pid):
    """True if a process with this pid exists on this host (conservatively True if unknown)."""
    if not pid or pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def writer_gone(host, pid, last_write, heartbeat_secs, now=None):
    """True if the writer that left a run "running" has died without closing it."""
    now = time.time() if now is None else now
    if host == host_name() and not pid_alive(pid):
        return True
    if last_write is None:
        return False
    limit = max(MIN_STALE_SECS, STALE_HEARTBEATS * (heartbeat_secs or 0.0))
    return now - last_write > limit
