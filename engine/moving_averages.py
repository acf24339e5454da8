"""`tf.train.ExponentialMovingAverage`: a shadow variable per variable (or tensor), moved toward
it by `apply`'s op, shadow -= (1 - decay) * (shadow - value), as TF1 keeps averaged weights
and smoothed losses."""

import numpy as np

from . import dtypes
from .array_ops import cast, convert_to_tensor
from .control_flow_ops import group
from .graph import GraphKeys, Tensor, format_shape, get_default_graph
from .math_ops import minimum, pow
from .state_ops import Variable, assign, assign_add, assign_sub, global_variables, trainable_variables


def assign_moving_average(variable, value, decay, zero_debias=False, name=None):
    """The op variable -= (variable - value) * (1 - decay). With `zero_debias` (for a shadow
    that starts at zero), a `biased` average moves so instead and the variable becomes
    biased / (1 - decay^t) after t updates, counted in `local_step` (TF1's `_zero_debias`)."""
    graph = variable.graph
    with graph.as_default(), graph.name_scope(name or "AssignMovingAvg") as scope:
        decay = cast(convert_to_tensor(decay), variable.dtype)
        complement = 1.0 - decay
        value = value.read_value() if isinstance(value, Variable) else value
        if not zero_debias:
            # read here, so it sees what the enclosing control dependencies ran first
            return assign_sub(variable, (variable.read_value() - value) * complement, name=scope)
        biased, local_step = _debias_variables(variable)
        biased = assign_sub(biased, (biased.read_value() - value) * complement)
        steps = assign_add(local_step, 1.0)
        return assign(variable, biased / (1.0 - pow(1.0 - complement, steps)), name=scope)


def _debias_variables(variable):
    """`<variable>/biased` and `<variable>/local_step`, zeros, made beside the variable."""
    graph = variable.graph
    with graph.name_scope(None), graph.name_scope(variable.op.name + "/"), graph.control_dependencies(None):
        zeros = np.zeros(variable.shape.as_list(), variable.dtype.numpy_dtype)
        return (Variable(zeros, trainable=False, name="biased"),
                Variable(np.zeros((), variable.dtype.numpy_dtype), trainable=False, name="local_step"))


class ExponentialMovingAverage:
    """Shadow copies of variables and tensors that follow them: `apply(var_list)` makes the
    shadows (one each, named `<var>/<name>`; a variable's starts at its initial value, a
    tensor's at zero) and returns the op that updates them; `average(var)` is the shadow.

    With `num_updates` (a step counter), the decay is min(decay, (1 + n) / (10 + n)), so
    averages move fast early on. `zero_debias` divides out the pull toward the zero start of
    a tensor's shadow, as TF1 does (variables' shadows, which start at the value, are not)."""

    def __init__(self, decay, num_updates=None, zero_debias=False, name="ExponentialMovingAverage"):
        self._decay, self._num_updates, self._name = decay, num_updates, name
        self._zero_debias = zero_debias
        self._averages = {}

    name = property(lambda self: self._name)

    def apply(self, var_list=None):
        """Make shadows for `var_list` (default: the trainable variables) and return the op that
        moves them toward the variables."""
        var_list = trainable_variables() if var_list is None else list(var_list)
        for var in var_list:
            if not isinstance(var, (Variable, Tensor)):
                raise TypeError(f"ExponentialMovingAverage.apply takes variables and tensors; got {var!r}")
            if isinstance(var, Tensor) and not var.shape.is_fully_defined():
                raise ValueError(f"ExponentialMovingAverage.apply: the shape of {var.name} must be "
                                 f"fully defined to make its average, got {format_shape(var._dims)}")
            if not var.dtype.is_floating:
                raise TypeError(f"The variables must be half, float, or double: {var.name} is "
                                f"{var.dtype.name}")
            if var in self._averages:
                raise ValueError(f"Moving average already computed for: {var.name}")
        graph = var_list[0].graph if var_list else get_default_graph()
        debiased = set()
        for var in var_list:
            with graph.as_default(), graph.name_scope(var.op.name + "/"), graph.control_dependencies(None):
                if isinstance(var, Variable):
                    start = var.initial_value
                else:
                    start = np.zeros(var.shape.as_list(), var.dtype.numpy_dtype)
                    if self._zero_debias:
                        debiased.add(var)
                self._averages[var] = Variable(start, trainable=False, name=self._name)
            if isinstance(var, Variable):  # only variables, as TF1 files them
                graph.add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
        with graph.as_default(), graph.name_scope(self._name) as scope:
            decay = convert_to_tensor(self._decay, name="decay")
            if self._num_updates is not None:
                steps = self._num_updates
                steps = steps.read_value() if isinstance(steps, Variable) else steps
                n = cast(steps, dtypes.float32, name="num_updates")
                decay = minimum(decay, (1.0 + n) / (10.0 + n))
            updates = [assign_moving_average(self._averages[var], var, decay, zero_debias=var in debiased)
                       for var in var_list]
            return group(*updates, name=scope)

    def average(self, var):
        """The shadow variable of `var`, or None if `apply` has not been given it."""
        return self._averages.get(var)

    def average_name(self, var):
        """The name `var`'s shadow has (or would have): `<var op name>/<name>`."""
        if var in self._averages:
            return self._averages[var].op.name
        return f"{var.op.name}/{self._name}"

    def variables_to_restore(self, moving_avg_variables=None):
        """{name in a checkpoint: variable to load}: each averaged variable loads its average's
        name, every other global variable its own, as TF1 maps them for evaluation."""
        if moving_avg_variables is None:
            moving_avg_variables = (trainable_variables()
                                    + get_default_graph().get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES))
        averaged = list(dict.fromkeys(moving_avg_variables))
        name_map = {self.average_name(v): v for v in averaged}
        averaged_names = {v.name for v in averaged}
        for v in global_variables():
            if v.name not in averaged_names and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map
