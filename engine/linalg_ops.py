"""Linear algebra on the last two axes (batched over the rest): inverse, determinant,
transpose, diagonals and the identity, and the index-notation products einsum and tensordot."""

import string

import numpy as np

from . import dtypes
from .array_ops import constant, convert_to_tensor, same_dtype, transpose
from .extend import PerInput, defop, make_op
from .graph import format_shape, name_scope
from .math_ops import check_dtype

_INVERTIBLE = "float64, float32, float16, complex64, complex128"


def _square_shape(dims, **attrs):
    if dims is None:
        return None
    if len(dims) < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {len(dims)}")
    if None not in dims[-2:] and dims[-1] != dims[-2]:
        raise ValueError(f"Dimensions must be equal, but are {dims[-2]} and {dims[-1]} "
                         f"(input shape {format_shape(dims)})")
    return dims


def _t(x):
    return np.swapaxes(x, -1, -2)


defop("MatrixInverse", forward=lambda x: np.linalg.inv(x),
      grads=[lambda g, ans, x: -_t(ans) @ g @ _t(ans)], shape=_square_shape, grad_reads=("output",))
defop("MatrixDeterminant", forward=lambda x: np.linalg.det(x).astype(np.result_type(x)),
      grads=[lambda g, ans, x: (g * ans)[..., None, None] * _t(np.linalg.inv(x))],
      shape=lambda dims: None if dims is None else _square_shape(dims)[:-2])


def matrix_inverse(input, adjoint=False, name=None):
    """The inverse of each square matrix in the last two axes."""
    x = check_dtype(convert_to_tensor(input), _INVERTIBLE, "input")
    out = make_op("MatrixInverse", [x], name=name or "MatrixInverse")
    return matrix_transpose(out) if adjoint else out


def matrix_determinant(input, name=None):
    """The determinant of each square matrix in the last two axes."""
    x = check_dtype(convert_to_tensor(input), "float16, float32, float64, complex64, complex128", "input")
    return make_op("MatrixDeterminant", [x], name=name or "MatrixDeterminant")


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """`a` with its last two axes swapped."""
    a = convert_to_tensor(a)
    if a._dims is None or len(a._dims) < 2:
        raise ValueError(f"matrix_transpose needs a tensor of rank >= 2, got shape {format_shape(a._dims)}")
    rank = len(a._dims)
    with name_scope(name):
        return transpose(a, list(range(rank - 2)) + [rank - 1, rank - 2])


# -- diagonals ----------------------------------------------------------------------------

def _diag(x):
    out = np.zeros(x.shape + x.shape, dtype=x.dtype)
    flat = out.reshape(x.size, x.size)
    flat[np.arange(x.size), np.arange(x.size)] = x.ravel()
    return out


def _diag_grad(g, ans, x):
    return np.diagonal(g.reshape(x.size, x.size)).reshape(x.shape)


defop("Diag", forward=_diag, grads=[_diag_grad], grad_reads=(),
      shape=lambda dims: None if dims is None else dims + dims)


def _matrix_diag(x):
    out = np.zeros(x.shape + x.shape[-1:], dtype=x.dtype)
    index = np.arange(x.shape[-1])
    out[..., index, index] = x
    return out


defop("MatrixDiag", forward=_matrix_diag, grads=[lambda g, ans, x: np.diagonal(g, axis1=-2, axis2=-1)],
      grad_reads=(), shape=lambda dims: None if dims is None else dims + dims[-1:])


def diag(diagonal, name=None):
    """A tensor of rank 2k with `diagonal` (of rank k) on its diagonal and zeros elsewhere."""
    return make_op("Diag", [convert_to_tensor(diagonal)], name=name or "Diag")


def matrix_diag(diagonal, name="diag", **unsupported):
    """Square matrices with the last axis of `diagonal` on their diagonals (batched)."""
    if unsupported:
        raise TypeError(f"matrix_diag: {sorted(unsupported)} are not supported")
    x = convert_to_tensor(diagonal)
    if x._dims is not None and len(x._dims) < 1:
        raise ValueError("matrix_diag needs a tensor of rank >= 1")
    return make_op("MatrixDiag", [x], name=name)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """The identity matrix (`num_rows` x `num_columns`), repeated over `batch_shape`."""
    value = np.eye(int(num_rows), None if num_columns is None else int(num_columns),
                   dtype=dtypes.as_dtype(dtype).numpy_dtype)
    if batch_shape is not None:
        value = np.broadcast_to(value, tuple(batch_shape) + value.shape)
    with name_scope(name or "eye"):
        return constant(value, name="diag")


# -- einsum and tensordot -----------------------------------------------------------------

def _parse(equation, count):
    equation = equation.replace(" ", "")
    if "->" in equation:
        inputs, output = equation.split("->")
    else:  # numpy's implicit form: the letters used once, in order
        inputs = equation
        letters = inputs.replace(",", "")
        output = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    terms = inputs.split(",")
    if len(terms) != count or "." in equation:
        raise ValueError(f"einsum: equation '{equation}' does not fit {count} inputs "
                         "(ellipses are not supported)")
    return terms, output


def _einsum_shape(*dims, equation):
    terms, output = _parse(equation, len(dims))
    sizes = {}
    for term, d in zip(terms, dims):
        if d is None:
            continue
        if len(term) != len(d):
            raise ValueError(f"einsum: term '{term}' does not fit an input of shape {format_shape(d)}")
        for letter, n in zip(term, d):
            known = sizes.get(letter)
            if known is not None and n is not None and known != n:
                raise ValueError(f"Dimensions must be equal, but are {known} and {n} for index "
                                 f"'{letter}' in '{equation}'")
            if known is None:
                sizes[letter] = n
    return tuple(sizes.get(letter) for letter in output)


def _einsum_grad(index, g, ans, *inputs, equation):
    """An einsum of g with the other inputs gives this input's gradient; letters only this
    input has were summed away, so the result is broadcast back along them."""
    terms, output = _parse(equation, len(inputs))
    target = terms[index]
    others = [t for k, t in enumerate(terms) if k != index]
    available = set(output).union(*others)
    kept = "".join(c for c in dict.fromkeys(target) if c in available)
    operands = [g] + [v for k, v in enumerate(inputs) if k != index]
    grad = np.einsum(",".join([output] + others) + "->" + kept, *operands)
    shape = np.shape(inputs[index])
    expanded = np.reshape(grad, [shape[target.index(c)] if c in kept else 1 for c in target])
    return np.broadcast_to(expanded, shape)


defop("Einsum", forward=lambda *inputs, equation: np.einsum(equation, *inputs),
      grads=PerInput(_einsum_grad), shape=_einsum_shape, grad_reads=("inputs",))


def einsum(equation, *inputs, **kwargs):
    """Products and sums written in index notation, as numpy's einsum (`"ij,jk->ik"` is matmul)."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"einsum got unexpected keyword arguments {sorted(kwargs)}")
    tensors = same_dtype(inputs, "Einsum", "inputs")
    terms, _ = _parse(equation, len(tensors))
    if any(len(set(t)) != len(t) for t in terms):
        raise ValueError(f"einsum: repeated indices within one input ('{equation}') are not supported")
    with name_scope(name or "einsum"):
        return make_op("Einsum", tensors, {"equation": equation.replace(" ", "")}, name="Einsum")


def tensordot(a, b, axes, name=None):
    """The sum of products of `a` and `b` over `axes`: an int n (a's last n axes with b's
    first n) or a pair of axis lists."""
    a, b = same_dtype([a, b], "Tensordot", "a")
    if a._dims is None or b._dims is None:
        raise ValueError("tensordot needs inputs of known rank")
    rank_a, rank_b = len(a._dims), len(b._dims)
    if isinstance(axes, (int, np.integer)):
        axes_a, axes_b = list(range(rank_a - axes, rank_a)), list(range(axes))
    else:
        axes_a, axes_b = ([x] if isinstance(x, (int, np.integer)) else list(x) for x in axes)
    if len(axes_a) != len(axes_b):
        raise ValueError(f"tensordot: axes {axes_a} and {axes_b} differ in length")
    letters = iter(string.ascii_letters)
    term_a = [next(letters) for _ in range(rank_a)]
    term_b = [next(letters) for _ in range(rank_b)]
    for i, j in zip(axes_a, axes_b):
        term_b[j % rank_b] = term_a[i % rank_a]
    summed = {term_a[i % rank_a] for i in axes_a}
    output = [c for c in term_a if c not in summed] + [c for c in term_b if c not in summed]
    equation = "".join(term_a) + "," + "".join(term_b) + "->" + "".join(output)
    with name_scope(name or "Tensordot"):
        return make_op("Einsum", [a, b], {"equation": equation}, name="MatMul")
