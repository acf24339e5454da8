"""Recently served series, kept as their JSON text until their run file changes.

Charts ask for the same downsampled series again and again (reloads, other
tabs, a second chart page); answering from memory turns the tracker's bucket
queries and the JSON encoding into a dictionary look-up. An entry's key holds
the size and modification time of the run's file and its write-ahead log, so
any write makes a new key and the stale entry ages out. Bounded by bytes, least
recently used first out. Nothing is read ahead: only what a client asked for.
"""

import os
import threading
from collections import OrderedDict


def file_state(path):
    """What changes whenever a run's file does: (size, mtime) of the file and its WAL."""
    state = []
    for candidate in (path, f"{path}-wal"):
        try:
            stat = os.stat(candidate)
            state.append((stat.st_size, stat.st_mtime_ns))
        except FileNotFoundError:
            state.append(None)
    return tuple(state)


class SeriesCache:
    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.bytes = 0
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            text = self.entries.get(key)
            if text is not None:
                self.entries.move_to_end(key)
            return text

    def put(self, key, text):
        size = len(text)
        if size > self.max_bytes:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.bytes -= len(old)
            self.entries[key] = text
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, dropped = self.entries.popitem(last=False)
                self.bytes -= len(dropped)
