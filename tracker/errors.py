"""Named exceptions of the tracker; every message names the run, tag or file concerned."""


class TrackerError(Exception):
    """Base class of every error the tracker raises on purpose."""


class RunNotFoundError(TrackerError, LookupError):
    """No run of that name exists under the logdir (or the name escapes it)."""


class TagNotFoundError(TrackerError, LookupError):
    """The run has no tag of that name (or not of the kind asked for)."""


class UnreadableRunError(TrackerError):
    """The run's events file is corrupt, of a newer format, or not a liteboard file."""

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class WriterClosedError(TrackerError, RuntimeError):
    """A write was attempted on a SummaryWriter after close()."""


class UnsupportedError(TrackerError, NotImplementedError):
    """A PyTorch SummaryWriter method liteboard does not store yet (add_video, add_audio, ...);
    the message says what to use instead, and the writer keeps working."""


class LogDirError(TrackerError, OSError):
    """The log_dir cannot be created or written."""


class RunInUseError(TrackerError):
    """Another live writer already owns the run directory."""


class CommitError(TrackerError, OSError):
    """A commit to a run's events file failed (a full disk, an I/O error).

    Raised by flush: the values stay buffered and the next flush tries again. Raised by
    close: the run is marked finished and the values that could not be written are lost.
    """


class RemoteStorageError(TrackerError, OSError):
    """A run's bucket (or its storage) cannot be reached or used: missing, refused credentials,
    unreachable. The message names the bucket and the URL."""
