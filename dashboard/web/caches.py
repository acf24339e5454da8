"""Where a page family keeps its caches: on the app, so each app (one per logdir) has its own.

A family asks for its cache by name wherever it needs it; the cache is made on first
use from the app's config. The caches themselves are LRUs (dashboard.web.lru).
"""

import threading

from flask import current_app

_making = threading.Lock()


def app_cache(name, make):
    """The current app's cache `name`, made by `make(config)` the first time it is asked for
    (once, however many requests ask at the same moment)."""
    caches = current_app.extensions.setdefault("liteboard_caches", {})
    cache = caches.get(name)
    if cache is None:
        with _making:
            cache = caches.get(name)
            if cache is None:
                cache = caches[name] = make(current_app.config)
    return cache
