"""Reading a logdir on object storage (``s3://bucket/prefix``): one listing finds its runs, and a
run's file is fetched into a bounded local cache only when its version changed.

A run at ``<url>/<run>`` is the one object ``<url>/<run>/events.sqlite``, a whole, self-contained
snapshot replaced at each upload (remote.py writes it), so what a listing says of the object (its
ETag and size) is the run's version: a run whose version is cached is read without a request.
Each version is cached as a file of its own, downloaded under a temporary name and moved into
place, so a reader never sees part of one. The cache holds at most ``cache_bytes``; past that, the
runs used least recently go first (a run is used when it is fetched or opened).

This sits in the tracker, beside the writer's half (remote.py; both reach storage through object_storage.py),
because it is about run files and their storage, not pages: the dashboard's run index and pages
read a URL logdir through it, with the tracker's read-only reader, as a script may.
"""

import hashlib
import math
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from . import object_storage, schema
from .errors import RemoteStorageError, RunNotFoundError
from .reader import Run

#: The cache's default bound: a few thousand runs of 50,000 steps of 4 tags.
DEFAULT_CACHE_BYTES = 4 * 10**9
#: Seconds a listing's versions are trusted when a run is opened; an older one is checked with
#: one request for that object.
FRESH_SECS = 5.0
FEATURE = "serving {scheme}:// logdirs"
_RUNS = "runs"
_PART = ".part"


@dataclass(frozen=True)
class RemoteObject:
    """A run's events object as a listing saw it: its URL and its version (ETag and size)."""

    url: str
    version: str


def cache_root(url):
    """The folder a served URL's runs are cached in: one per URL, under the user's cache dir (apart
    from the writer's folders: this one may be emptied at any time)."""
    import platformdirs

    scheme, _, rest = object_storage.normalize(url).partition("://")
    return platformdirs.user_cache_path("liteboard").joinpath("served", scheme.lower(), *rest.split("/"))


def _digest(text, length):
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


class RemoteLogdir:
    """The runs under ``url``, listed and fetched into a cache of at most ``cache_bytes`` bytes
    (in ``cache_dir``, by default cache_root(url)). Safe to share between threads."""

    def __init__(self, url, cache_bytes=DEFAULT_CACHE_BYTES, cache_dir=None, fresh_secs=FRESH_SECS):
        if not (isinstance(cache_bytes, int) and cache_bytes >= 0):
            raise ValueError(f"cache_bytes must be a number of bytes, 0 or more, got {cache_bytes!r}")
        self.url = object_storage.normalize(url)
        self.fs, self.root = object_storage.filesystem(self.url, FEATURE)
        self.bucket = self.root.split("/")[0]
        self.cache_dir = Path(cache_dir) if cache_dir is not None else cache_root(self.url)
        self.cache_bytes = cache_bytes
        self.fresh_secs = fresh_secs
        self.fetches = 0            # objects downloaded since made (what a test or benchmark counts)
        self.problem = None         # why the last listing failed, or None
        self.notices = []           # lines its owner shows users (a page's notices): the problem, while it lasts
        self._listed = {}           # {run: RemoteObject} of the last listing
        self._listed_at = -math.inf
        self._lock = threading.Lock()   # the LRU and the per-run locks
        self._run_locks = {}
        self._lru = OrderedDict()       # {cached file: size}, least recently used first
        self._load_cache()

    def __repr__(self):
        return f"RemoteLogdir({self.url!r})"

    def check(self):
        """Raise RemoteStorageError naming the bucket if it cannot be used (missing, refused)."""
        object_storage.check_bucket(self.fs, self.bucket, f"logdir '{self.url}'")

    # -- listing ---------------------------------------------------------------------------------

    def runs(self):
        """{run name: RemoteObject} of every run under the URL, from one listing (a name is its
        folder's path relative to the URL, "." for the URL itself). RemoteStorageError naming
        the bucket if it cannot be listed (gone, refused, unreachable); ``problem`` and
        ``notices`` say so until a listing succeeds again."""
        try:
            runs = self._list()
        except RemoteStorageError as exc:
            self._listed = {}  # a run is then opened only once its object answers
            self._set_problem(f"{exc}; its runs are not shown until it can be listed again")
            raise
        self._set_problem(None)
        return runs

    def _set_problem(self, problem):
        if self.problem in self.notices:
            self.notices.remove(self.problem)
        self.problem = problem
        if problem is not None:
            self.notices.append(problem)

    def _list(self):
        self.fs.invalidate_cache(self.root)  # fsspec keeps listings; a poll wants the storage's own
        started = time.monotonic()
        try:
            found = self.fs.find(self.root, detail=True)
        except FileNotFoundError:
            found = None
        except Exception as exc:  # the storage library's own errors: credentials, network, ...
            raise RemoteStorageError(f"logdir '{self.url}' cannot be listed in bucket '{self.bucket}': "
                                     f"{type(exc).__name__}: {exc}") from exc
        if found is None or (not found and not self.fs.exists(self.bucket)):
            raise RemoteStorageError(f"logdir '{self.url}' cannot be listed: bucket '{self.bucket}' "
                                     "does not exist (any more)")
        runs = {}
        for path, info in found.items():
            folder, _, file = path.rpartition("/")
            if file != schema.EVENTS_FILE or info.get("type") == "directory":
                continue
            if folder == self.root:
                name = "."
            elif folder.startswith(self.root + "/"):
                name = folder[len(self.root) + 1:]
            else:
                continue
            if _usable(name):
                runs[name] = RemoteObject(f"{self.url}/{_relative_key(name)}",
                                          f"{object_storage.etag(info)}:{info.get('size')}")
        self._listed, self._listed_at = runs, started
        return runs

    def _current(self, name):
        """The run's object as it is now: from a listing younger than fresh_secs, else asked for."""
        if time.monotonic() - self._listed_at < self.fresh_secs and name in self._listed:
            return self._listed[name]
        url = f"{self.url}/{_relative_key(name)}"
        key = self.fs._strip_protocol(url)
        self.fs.invalidate_cache(key)  # else fsspec answers from the last listing
        try:
            info = self.fs.info(key)
        except FileNotFoundError:
            raise RunNotFoundError(f"run {name!r} does not exist in {self.url}") from None
        except Exception as exc:
            raise RemoteStorageError(f"run {name!r} of logdir '{self.url}' cannot be looked up in bucket "
                                     f"'{self.bucket}': {type(exc).__name__}: {exc}") from exc
        return RemoteObject(url, f"{object_storage.etag(info)}:{info.get('size')}")

    # -- the cache -------------------------------------------------------------------------------

    def _load_cache(self):
        """The LRU order of what an earlier server left in the cache (by modification time, which
        every use sets), and what a download cut short left behind, deleted."""
        cached = []
        for path in (self.cache_dir / _RUNS).glob("*/*"):
            try:
                if path.name.endswith(_PART):
                    path.unlink()
                elif path.suffix == ".sqlite":
                    stat = path.stat()
                    cached.append((stat.st_mtime_ns, str(path), stat.st_size))
            except OSError:
                continue
        for _, path, size in sorted(cached):
            self._lru[path] = size

    def _path(self, name, version):
        return self.cache_dir / _RUNS / _digest(name, 32) / f"{_digest(version, 16)}.sqlite"

    def cached_bytes(self):
        with self._lock:
            return sum(self._lru.values())

    def local_copy(self, name, version=None):
        """The path of run ``name``'s events file in the cache, at ``version`` (None: the
        object's version now), fetched first when the cache does not hold it."""
        if not _usable(name):
            raise RunNotFoundError(f"run {name!r} does not exist in {self.url}")
        obj = self._current(name) if version is None else RemoteObject(
            f"{self.url}/{_relative_key(name)}", version)
        path = self._path(name, obj.version)
        with self._lock:
            lock = self._run_locks.setdefault(name, threading.Lock())
        with lock:  # one download of a run at a time; the others wait for it and use it
            if path.exists():
                self._used(path, path.stat().st_size, touch=True)
                return path
            size = self._download(name, obj, path)
        self._used(path, size)
        return path

    def _download(self, name, obj, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}{_PART}")
        try:
            self.fs.get_file(self.fs._strip_protocol(obj.url), str(part))
            with self._lock:
                self.fetches += 1
            os.replace(part, path)
        except FileNotFoundError:
            raise RunNotFoundError(f"run {name!r} does not exist in {self.url} (any more)") from None
        except Exception as exc:
            raise RemoteStorageError(f"run {name!r} cannot be fetched from bucket '{self.bucket}' "
                                     f"({obj.url}): {type(exc).__name__}: {exc}") from exc
        finally:
            part.unlink(missing_ok=True)
        for old in path.parent.glob("*.sqlite"):  # the run's older versions: never read again
            if old != path:
                self._forget(old)
        return path.stat().st_size

    def _used(self, path, size, touch=False):
        """``path`` was just used: last in the LRU order; then the cache is brought within its
        bound, the least recently used first (never ``path`` itself)."""
        if touch:
            try:
                os.utime(path)  # the order a later server starts from
            except OSError:
                pass
        with self._lock:
            self._lru.pop(str(path), None)
            self._lru[str(path)] = size
            total = sum(self._lru.values())
            evicted = []
            while total > self.cache_bytes and len(self._lru) > 1:
                oldest, oldest_size = self._lru.popitem(last=False)
                total -= oldest_size
                evicted.append(oldest)
        for oldest in evicted:
            self._forget(Path(oldest))

    def _forget(self, path):
        """Delete a cached file (a reader that has it open reads on: the file lives while open)."""
        with self._lock:
            self._lru.pop(str(path), None)
        path.unlink(missing_ok=True)
        try:
            path.parent.rmdir()
        except OSError:
            pass  # another version is there, or being fetched

    # -- reading ---------------------------------------------------------------------------------

    def open_run(self, name):
        """Run ``name``, open for reading from its cached copy (fetched when missing or changed);
        RunNotFoundError naming it, RemoteStorageError when the storage cannot be read."""
        return CachedRun(name, self.local_copy(name), f"{self.url}/{_relative_key(name)}")


class CachedRun(Run):
    """A Run read from the cached copy at ``path`` of the object at ``url``, which its info names."""

    def __init__(self, name, path, url):
        super().__init__(name, path)
        self.url = url

    def info(self):
        info = super().info()
        info.path = self.url
        return info


def _usable(name):
    """True for a run name that is a clean relative path (an object key may hold anything)."""
    if name == ".":
        return True
    return (isinstance(name, str) and 0 < len(name) <= 1024 and "\x00" not in name
            and all(part not in ("", ".", "..") for part in name.split("/")))


def _relative_key(name):
    return schema.EVENTS_FILE if name == "." else f"{name}/{schema.EVENTS_FILE}"
