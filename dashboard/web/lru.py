"""A thread-safe least-recently-used map, bounded by a total weight (a count, or bytes)."""

import threading
from collections import OrderedDict


class LRU:
    """Keeps the most recently used entries whose weights add up to at most `capacity`.

    `weigh(value)` is an entry's weight (default 1, so `capacity` counts entries); an entry
    heavier than the whole capacity is not kept.
    """

    def __init__(self, capacity, weigh=None):
        self.capacity = capacity
        self.weigh = weigh or (lambda value: 1)
        self.weight = 0
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key, value):
        """Store `value` (evicting the least recently used as needed) and return it."""
        weight = self.weigh(value)
        if weight > self.capacity:
            return value
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.weight -= self.weigh(old)
            self.entries[key] = value
            self.weight += weight
            while self.weight > self.capacity:
                _, dropped = self.entries.popitem(last=False)
                self.weight -= self.weigh(dropped)
        return value

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.weight = 0
