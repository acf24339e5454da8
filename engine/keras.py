"""`tf.keras`, as far as the engine has it: the initializers and regularizers namespaces that
TF1 code passes to `get_variable` and `tf.layers`."""

from . import initializers, regularizers  # noqa: F401

__all__ = ["initializers", "regularizers"]
