"""`tf.initializers`: the initializers under their short names (`tf.initializers.he_normal()`)."""

from .init_ops import INITIALIZERS, get  # noqa: F401

globals().update(INITIALIZERS)
__all__ = sorted(INITIALIZERS) + ["get"]
