"""`tf.train.ExponentialMovingAverage`: a shadow variable per variable, moved toward it by
`apply`'s op, shadow -= (1 - decay) * (shadow - variable), as TF1 keeps averaged weights."""

from . import dtypes
from .array_ops import cast, convert_to_tensor
from .control_flow_ops import group
from .graph import GraphKeys, get_default_graph
from .math_ops import minimum
from .state_ops import Variable, assign_sub, global_variables, trainable_variables


def assign_moving_average(variable, value, decay, name=None):
    """The op variable -= (variable - value) * (1 - decay) (TF1's zero_debias=False form)."""
    graph = variable.graph
    with graph.as_default(), graph.name_scope(name or "AssignMovingAvg") as scope:
        complement = 1.0 - convert_to_tensor(decay)
        complement = cast(complement, variable.dtype)
        # both read here, so they see what the enclosing control dependencies ran first
        current = variable.read_value()
        value = value.read_value() if isinstance(value, Variable) else value
        return assign_sub(variable, (current - value) * complement, name=scope)


class ExponentialMovingAverage:
    """Shadow copies of variables that follow them: `apply(var_list)` makes the shadows (one
    per variable, named `<var>/<name>`, starting at the variable's initial value) and returns
    the op that updates them; `average(var)` is a variable's shadow.

    With `num_updates` (a step counter), the decay is min(decay, (1 + n) / (10 + n)), so
    averages move fast early on."""

    def __init__(self, decay, num_updates=None, zero_debias=False, name="ExponentialMovingAverage"):
        if zero_debias:
            raise NotImplementedError("ExponentialMovingAverage(zero_debias=True) is not supported; "
                                      "the default (False) is what TF1 uses for variables")
        self._decay, self._num_updates, self._name = decay, num_updates, name
        self._averages = {}

    name = property(lambda self: self._name)

    def apply(self, var_list=None):
        """Make shadows for `var_list` (default: the trainable variables) and return the op that
        moves them toward the variables."""
        var_list = trainable_variables() if var_list is None else list(var_list)
        for var in var_list:
            if not isinstance(var, Variable):
                raise TypeError(f"ExponentialMovingAverage.apply takes variables; got {var!r}")
            if not var.dtype.is_floating:
                raise TypeError(f"The variables must be half, float, or double: {var.name} is "
                                f"{var.dtype.name}")
            if var in self._averages:
                raise ValueError(f"Moving average already computed for: {var.name}")
        graph = var_list[0].graph if var_list else get_default_graph()
        for var in var_list:
            with graph.as_default(), graph.name_scope(var.op.name + "/"):
                self._averages[var] = Variable(var.initial_value, trainable=False, name=self._name)
            graph.add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
        with graph.as_default(), graph.name_scope(self._name) as scope:
            decay = convert_to_tensor(self._decay, name="decay")
            if self._num_updates is not None:
                steps = self._num_updates
                steps = steps.read_value() if isinstance(steps, Variable) else steps
                n = cast(steps, dtypes.float32, name="num_updates")
                decay = minimum(decay, (1.0 + n) / (10.0 + n))
            updates = [assign_moving_average(self._averages[var], var, decay) for var in var_list]
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
