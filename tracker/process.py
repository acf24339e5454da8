"""Liveness of a writer process: how a reader tells a running run from a stalled or crashed one.

A writer records its host and pid and refreshes a heartbeat (``run.last_write``)
at least every ``run.heartbeat_secs``. On this host a writer is gone exactly when
its pid no longer exists: a live pid whose heartbeat is overdue is a paused
process (Ctrl-Z, a debugger, a closed laptop lid), stalled, not crashed. A writer
on another host can only be judged by its heartbeat, and is never provably gone.
"""

import os
import socket
import time

#: A heartbeat older than this many heartbeat intervals means the writer is stalled or gone.
STALE_HEARTBEATS = 6
#: ...but never call a writer quiet sooner than this, whatever the interval.
MIN_STALE_SECS = 30.0

#: writer_state's answers.
ALIVE, STALLED, GONE = "alive", "stalled", "gone"


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
    except (PermissionError, OverflowError):
        return True
    return True


def provably_gone(host, pid):
    """True only if the writer ran on this host and its pid no longer exists."""
    return host == host_name() and not pid_alive(pid)


def writer_state(host, pid, last_write, heartbeat_secs, now=None):
    """ALIVE, STALLED (its pid lives here but its heartbeat is overdue) or GONE (its pid
    is dead here, or, on another host, its heartbeat is overdue) for the writer of a
    run left "running"."""
    if provably_gone(host, pid):
        return GONE
    now = time.time() if now is None else now
    limit = max(MIN_STALE_SECS, STALE_HEARTBEATS * (heartbeat_secs or 0.0))
    if last_write is None or now - last_write <= limit:
        return ALIVE
    return STALLED if host == host_name() else GONE
