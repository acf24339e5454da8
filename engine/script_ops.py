"""`py_func` and `numpy_function`: a Python callable on numpy values, run as an op.

The callable is kept in a registry under a token (the op's attr), as TF1 keeps it, so the
graph definition stays data. It has no gradient, as in TF1.
"""

import numpy as np

from .array_ops import convert_to_tensor
from .dtypes import as_dtype
from .errors import InvalidArgumentError
from .graph import get_default_graph
from .ops import defop

_functions = {}  # token -> the Python callable of a PyFunc op


def py_func(func, inp, Tout, stateful=True, name=None):
    """An op computing `func(*values of inp)`, which returns arrays of the dtypes `Tout` (one
    dtype: one tensor; a list: a list of tensors)."""
    if not callable(func):
        raise TypeError(f"py_func: func must be callable, got {func!r}")
    inputs = [convert_to_tensor(x) for x in (inp if isinstance(inp, (list, tuple)) else [inp])]
    single = not isinstance(Tout, (list, tuple))
    dtypes = [as_dtype(t) for t in ([Tout] if single else Tout)]
    token = f"pyfunc_{len(_functions)}"
    _functions[token] = func
    graph = inputs[0].graph if inputs else get_default_graph()
    op = graph.create_op("PyFunc" if stateful else "PyFuncStateless", inputs,
                         {"token": token, "Tout": tuple(dtypes)}, name or "PyFunc",
                         [(d, None) for d in dtypes])
    return op.outputs[0] if single else list(op.outputs)


def numpy_function(func, inp, Tout, name=None):
    """`py_func` under its later name."""
    return py_func(func, inp, Tout, stateful=True, name=name)


def _compile(op, state):
    token, dtypes = op.attrs["token"], op.attrs["Tout"]
    func = _functions.get(token)
    if func is None:
        raise InvalidArgumentError(f"The Python function of '{op.name}' ({token}) is not registered "
                                   "in this process (a py_func does not travel in a graph file)")
    single = len(op.outputs) == 1

    def run(*values):
        result = func(*values)
        results = list(result) if isinstance(result, (list, tuple)) and not single else [result]
        if len(results) != len(dtypes):
            raise InvalidArgumentError(f"{token} returns {len(results)} values, but expects to see "
                                       f"{len(dtypes)} values.")
        arrays = [_as_array(v, d, k, token) for k, (v, d) in enumerate(zip(results, dtypes))]
        return arrays[0] if single else arrays
    return run


def _as_array(value, dtype, index, token):
    wanted = dtype.numpy_dtype
    if isinstance(value, (np.ndarray, np.generic)):
        if value.dtype != wanted:
            raise InvalidArgumentError(f"{index}-th value returned by {token} is {value.dtype}, "
                                       f"but expects {dtype.name}")
        return np.asarray(value)
    return np.asarray(value, dtype=wanted)  # a Python number or list takes the declared dtype


defop("PyFunc", compile=_compile)
defop("PyFuncStateless", compile=_compile)
