"""What a URL of object storage is (``s3://bucket/prefix``) and how it is reached: the
names the writer (remote.py), the reader (remote_reader.py) and the dashboard share,
without the writer's storage, so that a process that only reads does not load it.
fsspec and the protocol's filesystem (s3fs) are imported only when a bucket is used.
"""

import re

from .errors import RemoteStorageError
from .interop.optional import require

#: The liteboard extra that installs each protocol's filesystem.
_EXTRAS = {"s3": ("s3fs", "s3"), "s3a": ("s3fs", "s3")}
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+)://")


def is_url(log_dir):
    """True if ``log_dir`` is a URL of a storage other than the local disk (``s3://...``)."""
    if not isinstance(log_dir, str):
        return False
    match = _URL.match(log_dir)
    return bool(match) and match.group(1).lower() != "file"


def normalize(url):
    """``url`` without a trailing slash; ValueError if its path is empty or has empty, '.' or
    '..' parts (the cache folder is made of them)."""
    scheme, _, rest = url.partition("://")
    parts = rest.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"log_dir '{url}' must name a bucket and a run path, without empty, "
                         "'.' or '..' parts")
    return f"{scheme}://{'/'.join(parts)}"


def cache_dir(url):
    """The local folder a remote run is written in: one per URL, under the user's cache dir."""
    import platformdirs

    scheme, _, rest = normalize(url).partition("://")
    return platformdirs.user_cache_path("liteboard").joinpath("remote", scheme.lower(), *rest.split("/"))


def filesystem(url, feature="writing runs to {scheme}:// URLs"):
    """(the fsspec filesystem of ``url``, its path in it without the protocol); the
    filesystem is a fresh instance, so it takes the credentials in force now. ``feature``
    names what needs it in the error of a missing extra."""
    scheme = url.partition("://")[0].lower()
    module, extra = _EXTRAS.get(scheme, ("fsspec", "s3"))
    feature = feature.format(scheme=scheme)
    require(module, extra, feature)
    fsspec = require("fsspec", extra, feature)
    fs = fsspec.filesystem(scheme, skip_instance_cache=True)
    return fs, fs._strip_protocol(url).rstrip("/")


def check_bucket(fs, bucket, of):
    """Raise RemoteStorageError naming ``bucket`` (of ``of``, such as "log_dir 's3://b/r'") and
    why, if it cannot be used: missing, credentials refused, storage unreachable."""
    try:
        fs.info(bucket)
    except Exception as exc:  # the storage library's own errors: credentials, network, ...
        why = {FileNotFoundError: "it does not exist",
               PermissionError: f"access was refused ({exc})"}.get(type(exc), f"{type(exc).__name__}: {exc}")
        raise RemoteStorageError(
            f"bucket '{bucket}' of {of} cannot be used: {why}. "
            "Credentials and the endpoint are read from the "
            "environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL), "
            "~/.aws, or the storage's own configuration") from exc


def etag(info):
    """The object's version as the storage names it (S3's ETag; else its size and time), from
    its fsspec info."""
    for key in ("ETag", "etag", "VersionId", "md5"):
        if info.get(key):
            return str(info[key])
    return f"{info.get('size')}:{info.get('LastModified') or info.get('mtime')}"
