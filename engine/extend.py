"""What an op author imports to add an op type (users of `engine` need none of it).

    import numpy as np
    from engine.extend import broadcast_shape, defop, make_op, unbroadcast

    defop("Hypot", forward=np.hypot,
          grads=[lambda g, ans, x, y: unbroadcast(g * x / ans, x.shape),
                 lambda g, ans, x, y: unbroadcast(g * y / ans, y.shape)],
          shape=broadcast_shape)

    def hypot(x, y, name=None):
        return make_op("Hypot", [x, y], name=name or "Hypot")

The definitions live in `engine.ops`; `defop`'s docstring says what each field means.
"""

from .ops import (NOT_DIFFERENTIABLE, READS_ALL, GraphGradient, PerInput, broadcast_shape, defop, elementwise,
                  lookup, make_op, normalize_axis, op_types, unbroadcast)

__all__ = ["NOT_DIFFERENTIABLE", "READS_ALL", "GraphGradient", "PerInput", "broadcast_shape", "defop",
           "elementwise", "lookup", "make_op", "normalize_axis", "op_types", "unbroadcast"]
