"""Weight regularizers (`tf.keras.regularizers`): callables `regularizer(weights) -> scalar
loss`, which `get_variable(regularizer=)`, `variable_scope(regularizer=)` and the layers'
`kernel_regularizer=` add to GraphKeys.REGULARIZATION_LOSSES. Any callable works there; these
are the usual ones, with Keras's defaults and names."""

import numpy as np

from .math_ops import abs, multiply, reduce_sum, square


class Regularizer:
    def __call__(self, x):
        return 0.0

    def get_config(self):
        return {}

    def __repr__(self):
        args = ", ".join(f"{k}={v}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class L1L2(Regularizer):
    """l1 * sum(|x|) + l2 * sum(x ** 2)."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = float(np.float32(l1)), float(np.float32(l2))

    def __call__(self, x):
        terms = []
        if self.l1:
            terms.append(multiply(self.l1, reduce_sum(abs(x))))
        if self.l2:
            terms.append(multiply(self.l2, reduce_sum(square(x))))
        if not terms:
            return multiply(0.0, reduce_sum(x))
        return terms[0] if len(terms) == 1 else terms[0] + terms[1]

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self):
        return {"l2": self.l2}


def l1_l2(l1=0.01, l2=0.01):
    return L1L2(l1=l1, l2=l2)


l1, l2 = L1, L2
_BY_NAME = {"l1": L1, "l2": L2, "l1_l2": l1_l2}


def get(identifier):
    """A regularizer from a regularizer, any callable, a name ("l2") or None."""
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]()
    raise ValueError(f"Could not interpret regularizer identifier: {identifier!r}; "
                     f"expected one of {sorted(_BY_NAME)}, a callable or None")
