"""tf.split and tf.unstack as TF1 builds them: one Split, SplitV or Unpack op with an output
per piece (`split:0`, `split:1`...), TF1's static shapes and error texts, values against
numpy, and gradients (first and second order) against central differences, also when only
some pieces are used."""

import numpy as np
import pytest
from test_engine_gradients import check_gradients

import engine as tf

A = np.arange(24, dtype=np.float32).reshape(6, 4)


def run(tensors, feed=None):
    with tf.Session() as sess:
        return sess.run(tensors, feed)


VALUES = {
    "split in three": (lambda a: tf.split(a, 3), np.split(A, 3)),
    "split along axis 1": (lambda a: tf.split(a, 2, axis=1), np.split(A, 2, axis=1)),
    "split along axis -1": (lambda a: tf.split(a, 4, axis=-1), np.split(A, 4, axis=1)),
    "split in one": (lambda a: tf.split(a, 1), [A]),
    "split sizes": (lambda a: tf.split(a, [1, 3, 2]), np.split(A, [1, 4])),
    "split sizes with -1": (lambda a: tf.split(a, [1, -1, 2], axis=1), np.split(A, [1, 2], axis=1)),
    "split sizes with a zero": (lambda a: tf.split(a, [0, 4], axis=1), np.split(A, [0], axis=1)),
    "split sizes as a tensor": (lambda a: tf.split(a, tf.constant([5, 1])), np.split(A, [5])),
    "unstack": (lambda a: tf.unstack(a), list(A)),
    "unstack axis 1": (lambda a: tf.unstack(a, axis=1), list(A.T)),
    "unstack axis -1 with num": (lambda a: tf.unstack(a, num=4, axis=-1), list(A.T)),
}


@pytest.mark.parametrize("case", VALUES.values(), ids=VALUES.keys())
def test_values_match_numpy(case):
    build, expected = case
    a = tf.placeholder(tf.float32, [6, 4])
    got = run(build(a), {a: A})
    assert len(got) == len(expected)
    for value, want in zip(got, expected):
        np.testing.assert_array_equal(value, want)


def test_one_op_per_call_named_as_in_tf1():
    x = tf.placeholder(tf.float32, [6, 4], name="x")
    pieces = tf.split(x, 3)
    sized = tf.split(x, [1, -1, 2], axis=1)
    rows = tf.unstack(x, axis=1)
    named = tf.split(x, 2, name="pieces")
    assert [t.name for t in pieces] == ["split:0", "split:1", "split:2"]
    assert [t.name for t in sized] == ["split_1:0", "split_1:1", "split_1:2"]
    assert [t.name for t in rows] == ["unstack:0", "unstack:1", "unstack:2", "unstack:3"]
    assert [t.name for t in named] == ["pieces:0", "pieces:1"]
    ops = tf.get_default_graph().get_operations()
    assert [(op.name, op.type) for op in ops] == [("x", "Placeholder"), ("split", "Split"), ("split_1", "SplitV"),
                                                  ("unstack", "Unpack"), ("pieces", "Split")]
    assert all(t.op is pieces[0].op for t in pieces)
    nodes = {n["name"]: n for n in tf.get_default_graph().as_graph_def()["nodes"]}
    assert nodes["split"]["op"] == "Split" and nodes["unstack"]["op"] == "Unpack"


def shapes(tensors):
    return [None if t.shape.dims is None else t.shape.as_list() for t in tensors]


def test_static_shapes_as_tf1_infers_them():
    x = tf.placeholder(tf.float32, [6, 4])
    u = tf.placeholder(tf.float32, [None, 6])
    r = tf.placeholder(tf.float32)
    assert shapes(tf.split(x, [1, -1, 2], axis=1)) == [[6, 1], [6, 1], [6, 2]]
    assert shapes(tf.split(u, 3, axis=1)) == [[None, 2]] * 3
    assert shapes(tf.split(u, 2)) == [[None, 6]] * 2
    assert shapes(tf.split(u, [2, -1])) == [[2, 6], [None, 6]]
    assert shapes(tf.unstack(u, axis=1)) == [[None]] * 6
    assert shapes(tf.unstack(u, num=4)) == [[6]] * 4
    assert shapes(tf.split(r, 2, axis=1)) == [None, None]
    assert shapes(tf.unstack(r, num=3, axis=1)) == [None] * 3
    assert shapes(tf.split(tf.zeros([0, 3]), 2)) == [[0, 3]] * 2
    assert tf.unstack(tf.zeros([0, 3])) == []
    assert all(t.dtype == tf.int32 for t in tf.split(tf.zeros([4], tf.int32), 2))


def test_sizes_known_only_when_the_graph_runs():
    x = tf.placeholder(tf.float32, [6, 4])
    sizes, three = tf.placeholder(tf.int32, [None]), tf.placeholder(tf.int32, [3])
    pieces, columns = tf.split(x, sizes, num=2), tf.split(x, three, axis=1)
    assert shapes(pieces) == [[None, 4]] * 2 and shapes(columns) == [[6, None]] * 3
    assert [t.name for t in pieces[0].op.inputs] == [x.name, sizes.name]
    got = run([pieces, columns], {x: A, sizes: [5, 1], three: [1, -1, 2]})
    for values, want in zip(got, [np.split(A, [5]), np.split(A, [1, 2], axis=1)]):
        for value, expected in zip(values, want):
            np.testing.assert_array_equal(value, expected)
    (g,) = tf.gradients(pieces[1] * 2.0, x)
    np.testing.assert_array_equal(run(g, {x: A, sizes: [4, 2]}), np.repeat([0.0, 2.0], [4, 2])[:, None] * np.ones(4))


def test_unknown_dims_are_split_when_the_graph_runs():
    u = tf.placeholder(tf.float32, [None, 6])
    r = tf.placeholder(tf.float32)
    value = A.reshape(4, 6)
    got = run([tf.split(u, 2), tf.split(u, [1, -1]), tf.unstack(r, num=6, axis=1)], {u: value, r: value})
    for pieces, want in zip(got, [np.split(value, 2), np.split(value, [1]), list(value.T)]):
        for piece, expected in zip(pieces, want):
            np.testing.assert_array_equal(piece, expected)


GRADIENTS = {  # only some pieces used: the others get zeros
    "one piece of a split": lambda a: tf.split(a, 3)[1],
    "two pieces of a split along axis 1": lambda a: tf.split(a, 2, axis=1)[0] * tf.split(a, 2, axis=1)[1],
    "sized pieces with -1": lambda a: tf.square(tf.split(a, [1, -1, 1], axis=1)[2]),
    "the last of a split in one": lambda a: tf.split(a, 1, axis=1)[0] ** 2,
    "one row of an unstack": lambda a: tf.unstack(a)[4],
    "two columns of an unstack": lambda a: tf.unstack(a, axis=1)[0] * tf.unstack(a, axis=1)[3],
    "every piece": lambda a: tf.add_n(tf.split(a, 3)) * tf.unstack(a, axis=1)[1][:2, None],
}


@pytest.mark.parametrize("build", GRADIENTS.values(), ids=GRADIENTS.keys())
def test_gradients_against_central_differences(build):
    check_gradients(build, np.random.standard_normal((6, 4)))


def test_gradient_is_a_concat_or_stack_of_the_pieces_gradients():
    x = tf.placeholder(tf.float32, [6, 4])
    (g,) = tf.gradients(tf.split(x, 3)[1], x)
    (h,) = tf.gradients(tf.unstack(x, axis=1)[2], x)
    assert g.name == "gradients/split_grad/concat:0" and h.name == "gradients_1/unstack_grad/stack:0"
    assert g.op.type == "ConcatV2" and h.op.type == "Pack"
    np.testing.assert_array_equal(run(g, {x: A}), np.repeat([0.0, 1.0, 0.0], 2)[:, None] * np.ones((6, 4)))
    np.testing.assert_array_equal(run(h, {x: A}), np.tile([0.0, 0.0, 1.0, 0.0], (6, 1)))


def test_gradient_with_unknown_dims():
    u = tf.placeholder(tf.float32, [None, 6])
    (g,) = tf.gradients(tf.split(u, [2, -1], axis=1)[1] * 3.0, u)
    assert g.shape.as_list() == [None, 6]
    np.testing.assert_array_equal(run(g, {u: np.ones((2, 6))}), np.tile([0, 0, 3, 3, 3, 3], (2, 1)))


SECOND_ORDER = {
    "split": lambda a: tf.gradients(tf.reduce_sum(tf.split(a, 2)[1] ** 3), a)[0],
    "split sizes": lambda a: tf.gradients(tf.reduce_sum(tf.sin(tf.split(a, [3, -1], axis=1)[0])), a)[0],
    "unstack": lambda a: tf.gradients(tf.reduce_sum(tf.unstack(a)[2] * tf.unstack(a)[5] ** 2), a)[0],
}


@pytest.mark.parametrize("build", SECOND_ORDER.values(), ids=SECOND_ORDER.keys())
def test_second_order_against_central_differences(build):
    check_gradients(build, np.random.standard_normal((6, 4)), rtol=1e-4, atol=1e-6)


def test_hessian_through_a_split():
    x = tf.placeholder(tf.float64, [4])
    first, second = tf.split(x, 2)
    (hessian,) = tf.hessians(tf.reduce_sum(first ** 3) + tf.reduce_sum(first * second), x)
    value = np.array([1.0, 2.0, 3.0, 4.0])
    expected = np.zeros((4, 4))
    expected[[0, 1], [0, 1]] = 6 * value[:2]
    expected[[0, 1, 2, 3], [2, 3, 0, 1]] = 1.0
    np.testing.assert_allclose(run(hessian, {x: value}), expected)


BUILD_ERRORS = {  # TF1's texts, after the engine's "<type> op '<name>':"
    "uneven": (lambda x: tf.split(x, 3), ValueError,
               "Split op 'split': Dimension size must be evenly divisible by 3 but is 5"),
    "no pieces": (lambda x: tf.split(x, 0), ValueError, "Attr 'num_split' of 'Split' Op passed 0 less than minimum 1"),
    "a float count": (lambda x: tf.split(x, 2.0), ValueError,
                      "Rank-0 tensors are not supported as the num_or_size_splits argument to split"),
    "sizes that do not add up": (lambda x: tf.split(x, [2, 2]), ValueError,
                                 r"SplitV op 'split': can't split axis of size 5 into pieces of size \[2,2\]"),
    "two -1 sizes": (lambda x: tf.split(x, [2, -1, -1]), ValueError, "size_splits can only have one -1"),
    "a -1 left negative": (lambda x: tf.split(x, [6, -1]), ValueError,
                           "Split size at index 1 must be >= 0. Got: -1"),
    "a negative size": (lambda x: tf.split(x, [-2, 7]), ValueError, "Split size at index 0 must be >= 0. Got: -2"),
    "float sizes": (lambda x: tf.split(x, [2.0, 3.0]), TypeError,
                    "Value passed to parameter 'size_splits' has DataType float32 not in list of allowed values"),
    "num against sizes": (lambda x: tf.split(x, [2, 3], num=3), ValueError,
                          "Length of size_splits should be equal to num_outputs"),
    "split axis": (lambda x: tf.split(x, 2, axis=2), ValueError,
                   r"Dimension size, given by scalar input 2 must be in range \[-2, 2\)"),
    "split a scalar": (lambda x: tf.split(tf.constant(1.0), 1), ValueError,
                       r"Dimension size, given by scalar input 0 must be in range \[-0, 0\)"),
    "sizes of unknown length": (lambda x: tf.split(x, tf.placeholder(tf.int32, [None], name="sizes")), ValueError,
                                r"Cannot infer argument `num` from shape <Tensor 'sizes:0' shape=\(\?,\)"),
    "num against a sizes tensor": (lambda x: tf.split(x, tf.placeholder(tf.int32, [3]), num=2), ValueError,
                                   "Length of size_splits should be equal to num_outputs"),
    "sizes not a vector": (lambda x: tf.split(x, tf.placeholder(tf.int32, [2, 2])), ValueError,
                           r"size_splits must be a vector \(1-D\), got shape \(2, 2\)"),
    "float sizes tensor": (lambda x: tf.split(x, tf.placeholder(tf.float32, [2])), TypeError,
                           "Value passed to parameter 'size_splits' has DataType float32"),
    "unstack unknown": (lambda x: tf.unstack(tf.placeholder(tf.float32, [None, 6])), ValueError,
                        r"Cannot infer argument `num` from shape \(\?, 6\)"),
    "unstack unknown rank": (lambda x: tf.unstack(tf.placeholder(tf.float32)), ValueError,
                             "Cannot infer argument `num` from shape <unknown>"),
    "unstack axis": (lambda x: tf.unstack(x, axis=2), ValueError, r"Argument `axis` = 2 not in range \[-2, 2\)"),
    "unstack a scalar": (lambda x: tf.unstack(tf.constant(1.0)), ValueError,
                         r"Argument `axis` = 0 not in range \[-0, 0\)"),
    "unstack num": (lambda x: tf.unstack(x, num=3), ValueError, "Unpack op 'unstack': Dimension must be 3 but is 5"),
}


@pytest.mark.parametrize("case", BUILD_ERRORS.values(), ids=BUILD_ERRORS.keys())
def test_build_errors(case):
    build, error, message = case
    with pytest.raises(error, match=message):
        build(tf.placeholder(tf.float32, [5, 4]))


RUN_ERRORS = {
    "uneven": (lambda u, r: tf.split(u, 2), np.zeros((5, 6)),
               r"Number of ways to split should evenly divide the split dimension, but got split_dim 0 \(size = 5\) "
               "and num_split 2"),
    "sizes": (lambda u, r: tf.split(u, [2, -1]), np.zeros((1, 6)),
              "Determined shape must either match input shape along split_dim exactly if fully specified, or be "
              "less than the size of the input along split_dim if not fully specified.  Got: 2"),
    "unstack num": (lambda u, r: tf.unstack(u, num=4), np.zeros((5, 6)),
                    r"Input shape axis 0 must equal 4, got shape \[5,6\]"),
    "unstack axis of an unknown rank": (lambda u, r: tf.unstack(r, num=3, axis=1), np.zeros(5),
                                        r"axis = 1 not in \[-1, 1\)"),
    "split axis of an unknown rank": (lambda u, r: tf.split(r, 2, axis=1), np.zeros(5),
                                      r"-input rank\(-1\) <= split_dim < input rank \(1\), but got 1"),
}


@pytest.mark.parametrize("case", RUN_ERRORS.values(), ids=RUN_ERRORS.keys())
def test_run_errors(case):
    build, value, message = case
    u, r = tf.placeholder(tf.float32, [None, 6]), tf.placeholder(tf.float32)
    pieces = build(u, r)
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        run(pieces, {u if value.ndim == 2 else r: value})


def test_split_and_unstack_survive_a_meta_graph_round_trip(tmp_path):
    x = tf.placeholder(tf.float32, [6, 4], name="x")
    tf.identity(tf.split(x, [1, -1, 2], axis=1)[2] + tf.unstack(x, axis=1)[3][:, None], name="y")
    tf.train.export_meta_graph(str(tmp_path / "model.meta"))
    tf.reset_default_graph()
    tf.train.import_meta_graph(str(tmp_path / "model.meta"))
    np.testing.assert_array_equal(run("y:0", {"x:0": A}), A[:, 2:] + A[:, 3:])


@pytest.mark.parametrize("sizes, message", [
    ([1, 2, 2], "size of the split_tensor must be 1-D and have the same elements as outputs got 1 -D and 3 elements"),
    ([-1, -1], "size_splits can only have one -1"),
    ([1, 1], "Determined shape must either match input shape along split_dim exactly"),
])
def test_run_errors_of_sizes_fed_at_run_time(sizes, message):
    x, fed = tf.placeholder(tf.float32, [6, 4]), tf.placeholder(tf.int32, [None])
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        run(tf.split(x, fed, num=2), {x: A, fed: sizes})
