"""Learning-rate schedules (`tf.train.exponential_decay`...): tensors computed from the global
step each run, with TF1's formulas, so an optimizer given one decays as the step advances.

Each schedule casts the step to the learning rate's dtype (float32 for a Python number).
"""

import contextlib
import math

import numpy as np

from .array_ops import cast, convert_to_tensor, is_tensor_like
from .extend import NOT_DIFFERENTIABLE, defop, make_op
from .graph import graph_of, name_scope
from .math_ops import add, add_n, divide, exp, greater, less_equal, maximum, minimum, multiply, pow


@contextlib.contextmanager
def _schedule(schedule, default_name, name, learning_rate, global_step, decay_steps):
    """Enter the schedule's graph and name scope; yield the scope, and the learning rate, the
    step and decay_steps as tensors of the learning rate's dtype."""
    if global_step is None:
        raise ValueError(f"global_step is required for {schedule}.")
    with graph_of((learning_rate, global_step)).as_default(), name_scope(name, default_name) as scope:
        lr = convert_to_tensor(learning_rate, name="learning_rate")
        yield scope, lr, cast(global_step, lr.dtype), cast(convert_to_tensor(decay_steps), lr.dtype)


def _as(value, dtype):
    return cast(convert_to_tensor(value), dtype)


def _floor(x):
    """floor(x) for the non-negative ratios of steps a schedule takes (a cast truncates)."""
    return cast(cast(x, "int64"), x.dtype)


def _ceil(x):
    whole = _floor(x)
    return whole + cast(greater(x, whole), x.dtype)


def _progress(step, decay_steps, staircase):
    p = step / decay_steps
    return _floor(p) if staircase else p


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """learning_rate * decay_rate ** (global_step / decay_steps), the exponent floored if `staircase`."""
    with _schedule("exponential_decay", "ExponentialDecay", name, learning_rate, global_step,
                   decay_steps) as (scope, lr, step, decay_steps):
        p = _progress(step, decay_steps, staircase)
        return multiply(lr, pow(_as(decay_rate, lr.dtype), p), name=scope)


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """learning_rate / (1 + decay_rate * global_step / decay_steps)."""
    with _schedule("inverse_time_decay", "InverseTimeDecay", name, learning_rate, global_step,
                   decay_steps) as (scope, lr, step, decay_steps):
        p = _progress(step, decay_steps, staircase)
        return divide(lr, 1 + _as(decay_rate, lr.dtype) * p, name=scope)


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """learning_rate * exp(-decay_rate * global_step / decay_steps)."""
    with _schedule("natural_exp_decay", "NaturalExpDecay", name, learning_rate, global_step,
                   decay_steps) as (scope, lr, step, decay_steps):
        p = _progress(step, decay_steps, staircase)
        return multiply(lr, exp(-_as(decay_rate, lr.dtype) * p), name=scope)


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001, power=1.0,
                     cycle=False, name=None):
    """(lr - end) * (1 - step / decay_steps) ** power + end, the step held at decay_steps, or
    with `cycle` decay_steps stretched to the next multiple past the step."""
    with _schedule("polynomial_decay", "PolynomialDecay", name, learning_rate, global_step,
                   decay_steps) as (scope, lr, step, decay_steps):
        end, power = _as(end_learning_rate, lr.dtype), _as(power, lr.dtype)
        if cycle:
            decay_steps = decay_steps * maximum(_ceil(step / decay_steps), 1.0)
        else:
            step = minimum(step, decay_steps)
        return add(multiply(lr - end, pow(1 - step / decay_steps, power)), end, name=scope)


def _cosine_factor(fraction, alpha):
    return ((1 - alpha) * 0.5 * (1 + np.cos(math.pi * fraction)) + alpha).astype(fraction.dtype)


defop("CosineDecayFactor", forward=_cosine_factor, grads=NOT_DIFFERENTIABLE,
      shape=lambda fraction, alpha: fraction)


def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """learning_rate * ((1 - alpha) * (1 + cos(pi * min(step, decay_steps) / decay_steps)) / 2 + alpha)."""
    with _schedule("cosine_decay", "CosineDecay", name, learning_rate, global_step,
                   decay_steps) as (scope, lr, step, decay_steps):
        fraction = minimum(step, decay_steps) / decay_steps
        alpha = _as(alpha, lr.dtype)
        return multiply(lr, make_op("CosineDecayFactor", [fraction, alpha]), name=scope)


def piecewise_constant(x, boundaries, values, name=None):
    """values[0] while x <= boundaries[0], values[i] while boundaries[i-1] < x <= boundaries[i],
    values[-1] after the last boundary."""
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    with graph_of((x,)).as_default(), name_scope(name, "PiecewiseConstant") as scope:
        x = convert_to_tensor(x)
        bounds = [convert_to_tensor(b) if is_tensor_like(b) else convert_to_tensor(b, dtype=x.dtype)
                  for b in boundaries]
        values = [convert_to_tensor(v) for v in values]
        dtype = values[0].dtype
        for v in values[1:]:
            if v.dtype != dtype:
                raise ValueError(f"piecewise_constant: values must have one dtype; got {dtype.name} "
                                 f"and {v.dtype.name}")
        lows, highs = [None] + bounds, bounds + [None]
        terms = []
        for low, high, value in zip(lows, highs, values):
            inside = [cast(greater(x, low), dtype)] if low is not None else []
            inside += [cast(less_equal(x, high), dtype)] if high is not None else []
            mask = inside[0] if len(inside) == 1 else inside[0] * inside[1]
            terms.append(mask * value)
        return add_n(terms, name=scope)
