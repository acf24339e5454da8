"""Array ops: values against numpy, gradients against central differences, static shapes and
dtypes as TF1 infers them, and errors that name the op and the argument."""

import numpy as np
import pytest

import engine as tf
from test_engine_gradients import check_gradients


def normal(*shape):
    return lambda: np.random.standard_normal(shape)


# name -> (build from float64 placeholders, makers of their values); every differentiable array
# op type is built here (test_engine_gradients and test_engine_ops check that, and grad_reads)
GRADIENT_CASES = {
    "concat": (lambda a, b: tf.concat([a, b], axis=1), [normal(3, 2), normal(3, 4)]),
    "stack": (lambda a, b: tf.stack([a, b], axis=1), [normal(3, 4), normal(3, 4)]),
    "unstack": (lambda a: tf.unstack(a)[1] * tf.unstack(a, axis=1)[0][1], [normal(3, 4)]),
    "split": (lambda a: tf.split(a, [1, 3], 1)[1] * tf.split(a, 3)[2][:, :3], [normal(3, 4)]),
    "gather": (lambda a: tf.gather(a, [2, 0, 2]), [normal(3, 4)]),
    "gather axis 1": (lambda a: tf.gather(a, [[3, 1], [1, 1]], axis=1), [normal(3, 4)]),
    "gather_nd": (lambda a: tf.gather_nd(a, [[0, 1], [2, 3], [0, 1]]), [normal(3, 4)]),
    "tile": (lambda a: tf.tile(a, [2, 3]), [normal(3, 4)]),
    "pad": (lambda a: tf.pad(a, [[1, 0], [2, 2]], constant_values=1.5), [normal(3, 4)]),
    "pad reflect": (lambda a: tf.pad(a, [[1, 1], [2, 3]], "REFLECT"), [normal(3, 4)]),
    "pad symmetric": (lambda a: tf.pad(a, [[2, 1], [0, 3]], "SYMMETRIC"), [normal(3, 4)]),
    "expand_dims squeeze": (lambda a: tf.squeeze(tf.expand_dims(a, 1)) * tf.expand_dims(a, -1)[..., 0],
                            [normal(3, 4)]),
    "slice": (lambda a: tf.slice(a, [1, 1], [2, -1]), [normal(3, 4)]),
    "strided_slice": (lambda a: tf.strided_slice(a, [0, 3], [3, 0], [2, -1]), [normal(3, 4)]),
    "reverse": (lambda a: tf.reverse(a, [1]), [normal(3, 4)]),
    "fill": (lambda v: tf.fill([2, 3], v), [normal()]),
    "broadcast_to": (lambda a: tf.broadcast_to(a, [2, 3, 4]), [normal(3, 1)]),
    "where": (lambda a, b: tf.where(a > 0, a * b, b), [normal(3, 4), normal(3, 4)]),
    "where per row": (lambda a, b: tf.where(tf.constant([True, False, True]), a, b), [normal(3, 4), normal(3, 4)]),
    "boolean_mask": (lambda a: tf.boolean_mask(a, [True, False, True]), [normal(3, 4)]),
    "reshape to a shape tensor": (lambda a, b: tf.reshape(a, tf.shape(b)) * b, [normal(3, 4), normal(4, 3)]),
    "meshgrid": (lambda a, b: tf.meshgrid(a, b)[0] * tf.meshgrid(a, b)[1], [normal(3), normal(2)]),
    # vectors and scalars
    "concat vectors": (lambda a, b: tf.concat([a, b, a], 0), [normal(3), normal(2)]),
    "stack scalars": (lambda a, b: tf.stack([a, b, a * b]), [normal(), normal()]),
    "gather from a vector": (lambda a: tf.gather(a, [[4, 0], [4, 4]]), [normal(5)]),
    "gather_nd of a vector": (lambda a: tf.gather_nd(a, [[1], [1], [3]]), [normal(5)]),
    "tile a vector": (lambda a: tf.tile(a, [3]), [normal(5)]),
    "tile by a shape tensor": (lambda a, b: tf.tile(a, tf.shape(b)) * b, [normal(1, 1), normal(3, 4)]),
    "pad a vector": (lambda a: tf.pad(a, [[2, 1]], "SYMMETRIC"), [normal(5)]),
    "reverse a vector": (lambda a: tf.reverse(a, [0]), [normal(5)]),
    "fill from a scalar by a shape tensor": (lambda v, b: tf.fill(tf.shape(b), v) * b, [normal(), normal(3, 4)]),
    "broadcast a scalar": (lambda a: tf.broadcast_to(a, [2, 3]), [normal()]),
    "broadcast by a shape tensor": (lambda a, b: tf.broadcast_to(a, tf.shape(b)) * b, [normal(4), normal(3, 4)]),
    "where on vectors": (lambda a, b: tf.where(a > b, a, b), [normal(5), normal(5)]),
    "boolean_mask of a vector": (lambda a: tf.boolean_mask(a, a > 0), [normal(5)]),
    "expand a scalar": (lambda a: tf.expand_dims(a, 0), [normal()]),
}


@pytest.mark.parametrize("case", GRADIENT_CASES.values(), ids=GRADIENT_CASES.keys())
def test_gradients(case):
    build, makers = case
    check_gradients(build, *(make() for make in makers))


def run(tensor, feed=None):
    with tf.Session() as sess:
        return sess.run(tensor, feed)


A = np.arange(12, dtype=np.float32).reshape(3, 4)

VALUES = {
    "concat": (lambda a: tf.concat([a, a], 0), np.concatenate([A, A], 0)),
    "stack": (lambda a: tf.stack([a, a], axis=2), np.stack([A, A], 2)),
    "unstack": (lambda a: tf.unstack(a, axis=1)[2], A[:, 2]),
    "split": (lambda a: tf.split(a, 2, axis=1)[1], A[:, 2:]),
    "split with -1": (lambda a: tf.split(a, [1, -1], axis=1)[1], A[:, 1:]),
    "gather": (lambda a: tf.gather(a, [2, 0]), A[[2, 0]]),
    "gather_nd": (lambda a: tf.gather_nd(a, [[0, 1], [2, 3]]), A[[0, 2], [1, 3]]),
    "gather_nd rows": (lambda a: tf.gather_nd(a, [[2], [0]]), A[[2, 0]]),
    "tile": (lambda a: tf.tile(a, [1, 2]), np.tile(A, [1, 2])),
    "pad reflect": (lambda a: tf.pad(a, [[1, 1], [2, 2]], "REFLECT"), np.pad(A, [[1, 1], [2, 2]], "reflect")),
    "reverse": (lambda a: tf.reverse(a, [0, 1]), A[::-1, ::-1]),
    "where indices": (lambda a: tf.where(a > 8), np.argwhere(A > 8)),
    "boolean_mask 2d": (lambda a: tf.boolean_mask(a, a > 5), A[A > 5]),
    "one_hot": (lambda a: tf.one_hot([0, 2, -1], 3), np.array([[1, 0, 0], [0, 0, 1], [0, 0, 0]], np.float32)),
    "one_hot axis 0": (lambda a: tf.one_hot([1, 0], 3, axis=0), np.eye(3, dtype=np.float32)[[1, 0]].T),
    "sequence_mask": (lambda a: tf.sequence_mask([1, 3]), np.array([[True, False, False], [True, True, True]])),
    "range": (lambda a: tf.range(3, 18, 4), np.arange(3, 18, 4, dtype=np.int32)),
    "range of floats": (lambda a: tf.range(0.0, 1.0, 0.25), np.arange(0, 1, 0.25, dtype=np.float32)),
    "linspace": (lambda a: tf.linspace(0.0, 1.0, 5), np.linspace(0, 1, 5, dtype=np.float32)),
    "meshgrid ij": (lambda a: tf.meshgrid([1, 2, 3], [4, 5], indexing="ij")[1], np.meshgrid(np.int32([1, 2, 3]), np.int32([4, 5]), indexing="ij")[1]),
    "size": (lambda a: tf.size(a), np.int32(12)),
    "rank": (lambda a: tf.rank(a), np.int32(2)),
    "slicing newaxis, ellipsis, negative step": (lambda a: a[tf.newaxis, ..., ::-2], A[None, ..., ::-2]),
}


@pytest.mark.parametrize("case", VALUES.values(), ids=VALUES.keys())
def test_values_match_numpy(case):
    build, expected = case
    got = run(build(tf.constant(A)))
    np.testing.assert_array_equal(got, expected)
    assert np.asarray(got).dtype == np.asarray(expected).dtype


P_SHAPES = {
    "p[1:3]": (lambda p: p[1:3], [None, 6]),
    "p[:, newaxis, 2]": (lambda p: p[:, tf.newaxis, 2], [None, 1]),
    "p[::-1, ::-2]": (lambda p: p[::-1, ::-2], [None, 3]),
    "p[..., 1]": (lambda p: p[..., 1], [None]),
    "p[-1]": (lambda p: p[-1], [6]),
    "shape": (tf.shape, [2]),
    "concat": (lambda p: tf.concat([p, p], 1), [None, 12]),
    "stack": (lambda p: tf.stack([p, p]), [2, None, 6]),
    "gather": (lambda p: tf.gather(p, [[0, 1]], axis=1), [None, 1, 2]),
    "tile": (lambda p: tf.tile(p, [2, 2]), [None, 12]),
    "where": (tf.where, None),
    "where of bools": (lambda p: tf.where(p > 0), [None, 2]),
    "boolean_mask": (lambda p: tf.boolean_mask(p, p[:, 0] > 0), [None, 6]),
    "reshape to its shape": (lambda p: tf.reshape(p, tf.shape(p)), [None, 6]),
    "expand_dims": (lambda p: tf.expand_dims(p, -1), [None, 6, 1]),
    "one_hot": (lambda p: tf.one_hot(tf.cast(p, tf.int32), 4), [None, 6, 4]),
    "placeholder_with_default": (lambda p: tf.placeholder_with_default(p, [None, 6]), [None, 6]),
}


@pytest.mark.parametrize("case", P_SHAPES.values(), ids=P_SHAPES.keys())
def test_static_shapes_of_a_none_by_six_placeholder(case):
    build, expected = case
    p = tf.placeholder(tf.float32 if expected is not None else tf.bool, [None, 6])
    shape = build(p).shape
    assert (None if shape.ndims is None else shape.as_list()) == (expected or [None, 2])


def test_dynamic_shape_runs_with_the_fed_value():
    p = tf.placeholder(tf.float32, [None, 6])
    data = np.ones((4, 6), np.float32)
    shape, size, flat = run([tf.shape(p), tf.size(p), tf.reshape(p, [-1, tf.shape(p)[0]])], {p: data})
    assert shape.tolist() == [4, 6] and size == 24 and flat.shape == (6, 4)
    assert tf.shape(p).dtype == tf.int32 and tf.shape(p, out_type=tf.int64).dtype == tf.int64


def test_shape_arguments_may_be_tensors_known_only_at_run_time():
    p = tf.placeholder(tf.float32, [None, 6])
    noise = tf.random_normal(tf.shape(p), seed=3)
    zeros, filled = tf.zeros(tf.shape(p), tf.int32), tf.fill([tf.shape(p)[0], 2], 1.5)
    tiled, spread = tf.tile(p, [tf.shape(p)[0], 1]), tf.broadcast_to(tf.constant(1.0), tf.shape(p))
    flat = tf.reshape(p, [-1, tf.shape(p)[1]])
    for tensor, static in [(noise, [None, 6]), (zeros, [None, 6]), (filled, [None, 2]),
                           (tiled, [None, 6]), (spread, [None, 6]), (flat, [None, 6])]:
        assert tensor.shape.as_list() == static, tensor
    values = run([noise, zeros, filled, tiled, spread, flat], {p: np.ones((3, 6), np.float32)})
    assert [v.shape for v in values] == [(3, 6), (3, 6), (3, 2), (9, 6), (3, 6), (3, 6)]
    assert values[1].dtype == np.int32 and (values[2] == 1.5).all() and values[0].std() > 0.1


def test_known_entries_of_a_shape_fold_to_constants():
    p = tf.placeholder(tf.float32, [None, 6])
    assert tf.zeros([2, tf.shape(p)[1]]).op.type == "Const"
    assert tf.reshape(p, [-1, 3, tf.shape(p)[1] // 3]).shape.as_list() == [None, 3, None]
    assert tf.reshape(tf.zeros([2, 3]), tf.shape(tf.zeros([3, 2]))).shape.as_list() == [3, 2]


def test_indices_and_bounds_may_be_tensors_fed_at_run_time():
    x = tf.placeholder(tf.float64, [None, 6])
    i, n = tf.placeholder(tf.int32, []), tf.placeholder(tf.int32, [])
    row, column = x[i], x[:n, i]
    assert row.shape.as_list() == [6] and column.shape.as_list() == [None]
    (grad,) = tf.gradients(tf.reduce_sum(column * column), [x])
    data = np.arange(24.0).reshape(4, 6)
    with tf.Session() as sess:
        got_row, got_column, got_grad = sess.run([row, column, grad], {x: data, i: 2, n: 3})
        np.testing.assert_array_equal(got_row, data[2])
        np.testing.assert_array_equal(got_column, data[:3, 2])
        expected = np.zeros_like(data)
        expected[:3, 2] = 2 * data[:3, 2]
        np.testing.assert_array_equal(got_grad, expected)
        with pytest.raises(tf.errors.InvalidArgumentError, match="StridedSlice op 'strided_slice': index"):
            sess.run(row, {x: data, i: 9})


def test_placeholder_with_default_is_fed_or_falls_back():
    x = tf.placeholder_with_default(tf.constant([1.0, 2.0]), shape=[None])
    with tf.Session() as sess:
        assert sess.run(x).tolist() == [1.0, 2.0]
        assert sess.run(x, {x: [5.0]}).tolist() == [5.0]


def test_zeros_like_and_ones_like_take_a_dtype():
    a = tf.constant(A)
    zeros, ones = tf.zeros_like(a, dtype=tf.int32), tf.ones_like(a)
    assert zeros.dtype == tf.int32 and ones.dtype == tf.float32
    z, o = run([zeros, ones])
    assert z.dtype == np.int32 and not z.any() and o.dtype == np.float32 and o.all()


def test_fill_range_and_linspace_dtypes():
    assert tf.fill([2], 9).dtype == tf.int32 and tf.fill([2], 1.5).dtype == tf.float32
    assert tf.range(5).dtype == tf.int32 and tf.range(5.0).dtype == tf.float32
    n = tf.placeholder(tf.int32, [])
    assert tf.range(n).shape.as_list() == [None]
    assert run(tf.range(n), {n: 3}).tolist() == [0, 1, 2]


ERRORS = {
    "concat dtypes": (lambda: tf.concat([tf.zeros([2]), tf.zeros([2], tf.int32)], 0), TypeError,
                      r"Tensors in list passed to 'values' of 'ConcatV2' Op have types \[float32, int32\] that don't all match"),
    "concat shapes": (lambda: tf.concat([tf.zeros([2, 3]), tf.zeros([2, 4])], 0), ValueError,
                      r"ConcatV2 op 'concat': Dimension 1 in both shapes must be equal, but are 3 and 4"),
    "stack shapes": (lambda: tf.stack([tf.zeros([2]), tf.zeros([3])]), ValueError,
                     r"Pack op 'stack': Dimension 0 in both shapes must be equal, but are 2 and 3"),
    "split uneven": (lambda: tf.split(tf.zeros([5, 2]), 2), ValueError,
                     "Dimension size must be evenly divisible by 2 but is 5"),
    "split sizes": (lambda: tf.split(tf.zeros([5, 2]), [1, 2]), ValueError,
                    r"can't split axis of size 5 into pieces of size \[1,2\]"),
    "unstack unknown": (lambda: tf.unstack(tf.placeholder(tf.float32, [None, 2])), ValueError,
                        r"Cannot infer argument `num` from shape \(\?, 2\)"),
    "squeeze": (lambda: tf.squeeze(tf.zeros([2, 3]), [0]), ValueError,
                r"Squeeze op 'Squeeze': Can not squeeze dim\[0\], expected a dimension of 1, got 2"),
    "expand_dims": (lambda: tf.expand_dims(tf.zeros([2, 3]), 4), ValueError,
                    r"ExpandDims op 'ExpandDims': dim 4 not in the interval \[-3, 2\]"),
    "tile": (lambda: tf.tile(tf.zeros([2, 3]), [2]), ValueError, "Tile op 'Tile': Shape must be rank 2 but is rank 1"),
    "pad mode": (lambda: tf.pad(tf.zeros([2]), [[1, 1]], "WRAP"), ValueError,
                 r"Value of argument `mode` expected to be one of \"CONSTANT\", \"REFLECT\", or \"SYMMETRIC\""),
    "pad pairs": (lambda: tf.pad(tf.zeros([2, 3]), [[1, 1]]), ValueError, "Pad op 'Pad': paddings must have one"),
    "gather indices": (lambda: tf.gather(tf.zeros([2]), [0.5]), TypeError,
                       "Value passed to parameter 'indices' has DataType float32 not in list of allowed values: int16, int32, int64"),
    "one_hot indices": (lambda: tf.one_hot([0.5], 3), TypeError,
                        "Value passed to parameter 'indices' has DataType float32"),
    "where condition": (lambda: tf.where(tf.constant([True, False]), tf.zeros([3]), tf.zeros([3])), ValueError,
                        "Select op 'Select'"),
    "where not bool": (lambda: tf.where(tf.zeros([3]), tf.zeros([3]), tf.zeros([3])), TypeError,
                       "Input 'condition' of 'Select' Op has type float32 that does not match expected type of bool"),
    "boolean_mask": (lambda: tf.boolean_mask(tf.zeros([3]), [True, False]), ValueError,
                     r"Shapes \(3,\) and \(2,\) are incompatible"),
    "index out of bounds": (lambda: tf.zeros([2, 3])[5], ValueError, "slice index 5 of dimension 0 out of bounds"),
    "reverse axis": (lambda: tf.reverse(tf.zeros([2, 3]), [2]), ValueError, r"'axis'\[0\] = 2 is out of valid range"),
    "broadcast_to": (lambda: tf.broadcast_to(tf.zeros([3]), [2, 2]), ValueError, "Dimensions must be equal, but are 3 and 2"),
    "fill dims": (lambda: tf.fill([2, -1], 1.0), ValueError, "Fill dimensions must be >= 0"),
    "range delta": (lambda: tf.range(0, 5, 0), ValueError, "Requires delta != 0"),
    "reshape size": (lambda: tf.reshape(tf.zeros([2, 3]), [4, 2]), ValueError, "Reshape op 'Reshape'"),
    "float tensor index": (lambda: tf.zeros([3])[tf.constant(1.0)], TypeError,
                           "a Tensor index must be a scalar int tensor; 'Const:0' has dtype float32"),
}


@pytest.mark.parametrize("case", ERRORS.values(), ids=ERRORS.keys())
def test_bad_input_names_the_op_and_argument(case):
    build, error, message = case
    with pytest.raises(error, match=message):
        build()


def test_gather_of_an_index_out_of_range_fails_at_run():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = 5 is not in \[0, 3\)"):
        run(tf.gather(tf.constant(A), [0, 5]))


def test_string_tensors_run_to_bytes():
    name = tf.placeholder(tf.string, [])
    hello, words, echoed = run([tf.constant("Hello"), tf.constant(["a", b"b"]), tf.identity(name)], {name: "Ada"})
    assert hello == b"Hello" and echoed == b"Ada" and words.tolist() == [b"a", b"b"]
