"""Variables: values that live in a Session between runs, and the ops that read and assign them.

A Variable is a `VariableV2` op (its storage, keyed in the Session by the op), an `Assign` op
that initializes it, and a `read` Identity that other ops consume, named as TF1 names them:
`scope/w`, `scope/w/initial_value`, `scope/w/Assign`, `scope/w/read`.
"""

import numpy as np

from . import dtypes
from .array_ops import cast, convert_to_tensor, is_tensor_like, reshape
from .control_flow_ops import group
from .errors import FailedPreconditionError
from .extend import defop, make_op
from .graph import GraphKeys, get_default_graph, get_default_session
from .math_ops import OPERATORS


def _read_variable(op, state):
    variables = state.variables

    def read():
        try:
            return variables[op]
        except KeyError:
            raise FailedPreconditionError(
                f"Attempting to use uninitialized value {op.name}: run its initializer "
                "(e.g. global_variables_initializer()) first") from None
    return read


def _assigner(update):
    """The compile hook of an assign op: store update(read, value) as the variable's new value.

    `read()` gives the value stored when the op runs (not when the run started), so two
    assign_adds in one run both count, as in TF1."""
    def compile_assign(op, state):
        variables, key = state.variables, op.inputs[0].op
        dtype = op.inputs[0].dtype.numpy_dtype
        read = _read_variable(key, state)

        def assign(value):
            new = np.array(update(read, value), dtype=dtype)  # a copy: no run shares a variable's memory
            variables[key] = new
            return new
        return assign
    return compile_assign


_variable_dtype = {"dtype": lambda *, shape, dtype: dtype, "shape": lambda *, shape, dtype: shape}
defop("VariableV2", compile=_read_variable, grads=None, **_variable_dtype)
_assign = {"run_inputs": lambda op: op.inputs[1:]}  # the value; the variable is read when it runs
defop("Assign", compile=_assigner(lambda read, value: value), shape=lambda ref, value: value, **_assign)
defop("AssignAdd", compile=_assigner(lambda read, value: read() + value), **_assign)
defop("AssignSub", compile=_assigner(lambda read, value: read() - value), **_assign)
# read_value(): the variable's value when this op runs (after its control inputs), not when the
# variable's own op ran earlier in the run
defop("ReadValue", compile=lambda op, state: _read_variable(op.inputs[0].op, state),
      run_inputs=lambda op: [], grads=None)


def _initialized_or(op, state):
    variables, key = state.variables, op.inputs[0].op
    return lambda initial: variables.get(key, initial)


def _is_initialized(op, state):
    variables, keys = state.variables, [t.op for t in op.inputs]
    return lambda: np.array([key in variables for key in keys])


defop("VariableOrInitialValue", compile=_initialized_or, grads=None,
      run_inputs=lambda op: op.inputs[1:], shape=lambda ref, initial: ref)
# whether each input variable has a value, as a bool vector (scalar in is_variable_initialized)
defop("IsVariableInitialized", compile=_is_initialized, grads=None, run_inputs=lambda op: (),
      shape=lambda *refs: (len(refs),), dtype=lambda *refs: dtypes.bool)
defop("ListUninitializedVariables", grads=None, run_inputs=lambda op: op.inputs[:1],
      compile=lambda op, state: lambda initialized: np.array(
          [v.encode() for v, ok in zip(op.attrs["names"], initialized) if not ok], dtype=object),
      shape=lambda flags, *refs, names: (None,), dtype=lambda *dtypes_, names: dtypes.string)


def _assign_op(op_type, ref, value, name):
    with ref.graph.as_default():
        value = convert_to_tensor(value, dtype=ref.dtype)
    if not ref.shape.is_compatible_with(value.shape):
        raise ValueError(f"cannot assign a value of shape {value.shape} to variable '{ref.op.name}' "
                         f"of shape {ref.shape}")
    return make_op(op_type, [ref, value], name=name or op_type)


class Variable:
    """A value kept in each Session across runs: `Variable(initial_value, name=None, trainable=True)`."""

    __array_priority__ = 100  # `array * v` is a tensor, as for a Tensor

    def __init__(self, initial_value=None, trainable=True, collections=None, validate_shape=True,
                 name=None, dtype=None):
        if initial_value is None:
            raise ValueError("a Variable needs an initial_value")
        if callable(initial_value):
            initial_value = initial_value()
        given = is_tensor_like(initial_value)
        graph = convert_to_tensor(initial_value).graph if given else get_default_graph()
        with graph.control_dependencies(None), graph.name_scope(name or "Variable") as scope:
            if given:
                self._initial_value = convert_to_tensor(initial_value)
                self._initial_value = cast(self._initial_value, dtype) if dtype else self._initial_value
            else:
                self._initial_value = convert_to_tensor(initial_value, dtype=dtype, name="initial_value")
            shape = self._initial_value._dims if validate_shape else None
            self._ref = make_op("VariableV2", attrs={"shape": shape, "dtype": self._initial_value.dtype},
                                name=scope)
            self._initializer = make_op("Assign", [self._ref, self._initial_value], name="Assign").op
            self._read = make_op("Identity", [self._ref], name="read")
        self.trainable = trainable
        keys = [GraphKeys.GLOBAL_VARIABLES] if collections is None else list(collections)
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in keys:
            keys.append(GraphKeys.TRAINABLE_VARIABLES)
        for key in keys:
            graph.add_to_collection(key, self)

    @classmethod
    def from_graph(cls, graph, name, trainable=True):
        """The Variable whose ops `name`, `name/Assign` and `name/read` are in `graph` already
        (an imported graph's); it joins no collection."""
        variable = cls.__new__(cls)
        variable._ref = graph.get_operation_by_name(name).outputs[0]
        variable._initializer = graph.get_operation_by_name(name + "/Assign")
        variable._initial_value = variable._initializer.inputs[1]
        variable._read = graph.get_operation_by_name(name + "/read").outputs[0]
        variable.trainable = trainable
        return variable

    name = property(lambda self: self._ref.name)
    op = property(lambda self: self._ref.op)
    dtype = property(lambda self: self._ref.dtype)
    shape = property(lambda self: self._ref.shape)
    graph = property(lambda self: self._ref.graph)
    initializer = property(lambda self: self._initializer)
    initial_value = property(lambda self: self._initial_value)

    def get_shape(self):
        return self.shape

    def value(self):
        """The tensor other ops read: `name/read:0`."""
        return self._read

    def read_value(self):
        """A new read of the variable, made here: it obeys the enclosing control dependencies,
        and sees what the ops they name assigned."""
        return make_op("ReadValue", [self._ref], name="read")

    def _as_tensor(self):
        return self._read

    def assign(self, value, use_locking=False, name=None, read_value=True):
        return _assign_op("Assign", self._ref, value, name)

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        return _assign_op("AssignAdd", self._ref, delta, name)

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        return _assign_op("AssignSub", self._ref, delta, name)

    def eval(self, session=None):
        return self._read.eval(session=session)

    def load(self, value, session=None):
        """Set the variable's value in `session` (default: the default session) without adding
        an op: the initializer runs with its initial value fed."""
        session = session or get_default_session()
        if session is None:
            raise ValueError(f"Variable.load of '{self.op.name}' needs a session: pass session= "
                             "or use it inside `with Session():`")
        session.run(self._initializer, {self._initial_value: value})

    def initialized_value(self):
        """The variable's value once it is initialized, else its initial value: for initial
        values made from other variables, whatever order the initializers run in."""
        with self.graph.as_default(), self.graph.control_dependencies(None):
            return make_op("VariableOrInitialValue", [self._ref, self._initial_value],
                           name=self.op.name + "/initialized_value")

    def __repr__(self):
        return f"<Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"


def _delegate(dunder):
    return lambda self, *args: OPERATORS[dunder](self._read, *args)


for _dunder in OPERATORS:
    setattr(Variable, _dunder, _delegate(_dunder))


def _ref_of(ref):
    return ref._ref if isinstance(ref, Variable) else ref


def assign(ref, value, name=None):
    return _assign_op("Assign", _ref_of(ref), value, name)


def assign_add(ref, value, name=None):
    return _assign_op("AssignAdd", _ref_of(ref), value, name)


def assign_sub(ref, value, name=None):
    return _assign_op("AssignSub", _ref_of(ref), value, name)


def is_variable_initialized(variable):
    """A bool tensor: has `variable` a value in the Session that runs it?"""
    flags = make_op("IsVariableInitialized", [_ref_of(variable)], name="IsVariableInitialized")
    return reshape(flags, (), name="IsVariableInitialized")


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A 1-D string tensor of the names of the variables in `var_list` (default: global and
    local) that have no value yet."""
    if var_list is None:
        var_list = global_variables() + local_variables()
    graph = get_default_graph()
    with graph.name_scope(name):
        refs = [_ref_of(v) for v in var_list]
        flags = make_op("IsVariableInitialized", refs)
        return make_op("ListUninitializedVariables", [flags, *refs],
                       {"names": [r.op.name for r in refs]}, name="names")


def global_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def local_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.MODEL_VARIABLES, scope)


def trainable_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    """One op that runs the initializers of `var_list`."""
    return group(*[v.initializer for v in var_list], name=name)


def global_variables_initializer():
    return variables_initializer(global_variables())


def local_variables_initializer():
    return variables_initializer(local_variables(), name="init")
