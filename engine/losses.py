"""Losses (`tf.losses`), reduced as TF1 reduces them by default: the mean over nonzero weights."""

from .array_ops import cast, convert_to_tensor, ones_like
from .graph import get_default_graph, name_scope
from .math_ops import maximum, multiply, not_equal, reduce_mean, reduce_sum, squared_difference

LOSSES = "losses"


def mean_squared_error(labels, predictions, weights=1.0, scope=None):
    """mean((predictions - labels)**2), weighted: sum(w * err**2) / (number of nonzero weights)."""
    with name_scope(scope, "mean_squared_error"):
        predictions = convert_to_tensor(predictions)
        labels = convert_to_tensor(labels, dtype=predictions.dtype)
        errors = squared_difference(predictions, labels)
        if isinstance(weights, (int, float)) and weights == 1:
            loss = reduce_mean(errors, name="value")
        else:
            weights = convert_to_tensor(weights, dtype=predictions.dtype)
            present = cast(not_equal(multiply(weights, ones_like(errors)), 0), predictions.dtype)
            loss = reduce_sum(errors * weights) / maximum(reduce_sum(present), 1)
    get_default_graph().add_to_collection(LOSSES, loss)
    return loss


def get_losses(scope=None):
    return get_default_graph().get_collection(LOSSES, scope)
