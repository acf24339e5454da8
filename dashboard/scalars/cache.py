"""Recently served series, kept as their JSON text until their run file changes.

Charts ask for the same downsampled series again and again (reloads, other
tabs, a second chart page); answering from memory turns the tracker's bucket
queries and the JSON encoding into a dictionary look-up. An entry's key holds
the size and modification time of the run's file and its write-ahead log
(tracker.file_state), so
any write makes a new key and the stale entry ages out. Bounded by bytes, least
recently used first out. Nothing is read ahead: only what a client asked for.
"""

from dashboard.web.lru import LRU


class SeriesCache(LRU):
    """Series JSON texts, bounded by their total size in bytes (characters)."""

    def __init__(self, max_bytes):
        super().__init__(max_bytes, weigh=len)

    @property
    def bytes(self):
        return self.weight
