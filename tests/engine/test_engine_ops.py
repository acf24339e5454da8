"""Op definitions keep their promises. The one memory claim an op author makes, `grad_reads`
(which values its gradient reads), is checked here for every op that makes it: a Session may
overwrite what the gradient says it does not read, so a false claim would give wrong gradients."""

import numpy as np
import pytest
from test_engine_check_ops import build_check_ops
from test_engine_nn import build_nn_ops
from test_engine_second_order import build_gradient_ops

import engine as tf
from engine.extend import NOT_DIFFERENTIABLE, READS_ALL, defop, lookup, op_types


def build_every_differentiable_op(x, y):
    """One op of each differentiable type, on x (positive) and y (away from zero), both [3, 4]."""
    for fn in (tf.add, tf.subtract, tf.multiply, tf.divide, tf.pow, tf.maximum, tf.minimum,
               tf.squared_difference):
        fn(x, y)
    for fn in (tf.negative, tf.square, tf.sqrt, tf.exp, tf.log, tf.log1p, tf.abs, tf.sigmoid,
               tf.tanh, tf.nn.relu, tf.identity, tf.transpose, tf.nn.softmax, tf.reduce_sum,
               tf.reduce_mean, tf.reduce_prod, tf.reduce_max, tf.reduce_min):
        fn(x)
    tf.reshape(x, [-1])
    tf.reduce_sum(x, axis=1, keepdims=True)
    tf.cast(x, tf.float32)
    tf.matmul(x, y, transpose_b=True)
    tf.nn.sigmoid_cross_entropy_with_logits(labels=x / 3, logits=y)
    tf.nn.softmax_cross_entropy_with_logits_v2(labels=x / 3, logits=y)
    x[1:, 0]
    build_nn_ops(x, y)
    build_gradient_ops(x, y)
    build_check_ops(x)


def garbage_like(value):
    """A value of the same shape and dtype whose contents are nonsense."""
    array = np.asarray(value)
    filler = np.nan if array.dtype.kind == "f" else 7
    return np.full(array.shape, filler, dtype=array.dtype)


def claims():
    """(op, opdef) for every op built above whose gradient claims to read less than everything."""
    x = tf.placeholder(tf.float64, [3, 4], name="x")
    y = tf.placeholder(tf.float64, [3, 4], name="y")
    build_every_differentiable_op(x, y)
    rng = np.random.default_rng(0)
    feed = {x: rng.uniform(0.5, 2.0, (3, 4)),
            y: rng.choice([-1, 1], (3, 4)) * rng.uniform(0.3, 2.0, (3, 4))}
    from test_engine_gradients import family_gradient_cases
    for build, makers in family_gradient_cases():  # the op families' own cases
        values = [make() for make in makers]
        inputs = [tf.placeholder(tf.float64, np.shape(v)) for v in values]
        build(*inputs)
        feed.update(zip(inputs, values))
    found = []
    for op in tf.get_default_graph().get_operations():
        opdef = lookup(op.type)
        if isinstance(opdef.grads, list) and tuple(opdef.grad_reads) != READS_ALL:
            found.append((op, opdef))
    return found, feed


def test_every_op_that_claims_to_read_less_is_checked():
    found, _ = claims()
    checked = {op.type for op, _ in found}
    claiming = {t for t in op_types() if isinstance(lookup(t).grads, list)
                and tuple(lookup(t).grad_reads) != READS_ALL}
    assert claiming - checked == set(), "add an op of these types to build_every_differentiable_op"


def test_gradients_do_not_read_what_they_claim_not_to_read():
    found, feed = claims()
    assert found
    with tf.Session() as sess:
        for op, opdef in found:
            *inputs, ans = sess.run([*op.inputs, op.outputs[0]], feed)
            g = np.random.default_rng(1).standard_normal(np.shape(ans))
            told_inputs = inputs if "inputs" in opdef.grad_reads else [garbage_like(v) for v in inputs]
            told_ans = ans if "output" in opdef.grad_reads else garbage_like(ans)
            for i, vjp in enumerate(opdef.grads):
                if vjp is None:
                    continue
                expected = vjp(g, ans, *inputs, **op.attrs)
                got = vjp(g, told_ans, *told_inputs, **op.attrs)
                message = f"{op.type} (grad_reads={opdef.grad_reads}), input {i}"
                if expected is None:
                    assert got is None, message
                else:
                    np.testing.assert_array_equal(got, expected, err_msg=message)


def test_grad_reads_names_only_inputs_and_output():
    with pytest.raises(ValueError, match=r"op type 'Typo': grad_reads names \['input'\]"):
        defop("Typo", forward=np.abs, grads=[lambda g, ans, x: g], grad_reads=("input",))
    with pytest.raises(TypeError, match="no op type 'Typo' is registered"):
        lookup("Typo")


def test_an_op_is_forward_gradient_and_shape():
    """The fields an op author must fill in; everything about memory has a safe default."""
    opdef = lookup("Sqrt")
    assert opdef.forward is np.sqrt and len(opdef.grads) == 1
    assert lookup("Equal").grads is NOT_DIFFERENTIABLE
    assert lookup("NoOp").grads is None
    assert type(opdef).__dataclass_fields__["grad_reads"].default == READS_ALL
