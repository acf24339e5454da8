"""Errors raised while running a graph (TF1's `tf.errors`); each message names the op or tensor."""


class OpError(Exception):
    """A Session.run failed because of one op or tensor, named in the message."""

    @property
    def message(self):
        """The error's text, as TF1's `e.message` gives it to an `except` clause."""
        return str(self)


class InvalidArgumentError(OpError, ValueError):
    """A run's arguments are wrong: an unfed placeholder, a fed value of the wrong shape or dtype."""


class FailedPreconditionError(OpError, RuntimeError):
    """The graph's state is not ready: a variable read before it was initialized."""


class NotFoundError(OpError, LookupError):
    """Something a run needs does not exist: a variable missing from a checkpoint."""
