"""RMSProp, Adagrad, Adadelta and FTRL against TF1's update rules in numpy and against numbers from
TensorFlow; slots and `variables()` on every optimizer; clipping; ExponentialMovingAverage."""

import numpy as np
import pytest

import engine as tf

W0 = np.array([1.0, -2.0, 0.5], np.float32)
TARGET = np.array([0.5, 0.5, 0.5], np.float32)


def quadratic():
    """loss = sum((w - target)^2): gradient 2 (w - target); w[2] is already at the target."""
    w = tf.Variable(W0, name="w")
    return w, tf.reduce_sum(tf.square(w - TARGET))


def rmsprop(lr, decay=0.9, momentum=0.0, epsilon=1e-10, centered=False):
    def update(w, g, state):
        ms = state["rms"] = state.get("rms", 1.0) + (g * g - state.get("rms", 1.0)) * (1 - decay)
        denominator = ms + epsilon
        if centered:
            mg = state["mg"] = state.get("mg", 0.0) + (g - state.get("mg", 0.0)) * (1 - decay)
            denominator = ms - mg * mg + epsilon
        mom = state["momentum"] = momentum * state.get("momentum", 0.0) + lr * g / np.sqrt(denominator)
        return w - mom
    return update


def adagrad(lr, initial=0.1):
    def update(w, g, state):
        accum = state["accumulator"] = state.get("accumulator", initial) + g * g
        return w - lr * g / np.sqrt(accum)
    return update


def adadelta(lr=0.001, rho=0.95, epsilon=1e-8):
    def update(w, g, state):
        accum = state["accum"] = rho * state.get("accum", 0.0) + (1 - rho) * g * g
        step = np.sqrt(state.get("accum_update", 0.0) + epsilon) / np.sqrt(accum + epsilon) * g
        state["accum_update"] = rho * state.get("accum_update", 0.0) + (1 - rho) * step * step
        return w - lr * step
    return update


def ftrl(lr, power=-0.5, initial=0.1, l1=0.0, l2=0.0, shrinkage=0.0, beta=0.0):
    """FTRL-Proximal as TF1's ApplyFtrl(V2) kernels compute it."""
    l2 = l2 + beta / (2 * lr)

    def update(w, g, state):
        accum = state.get("accum", np.full_like(w, initial))
        new_accum = state["accum"] = accum + g * g
        sigma = (new_accum ** -power - accum ** -power) / lr
        linear = state["linear"] = state.get("linear", 0.0) + g + 2 * shrinkage * w - sigma * w
        quadratic = new_accum ** -power / lr + 2 * l2
        return np.where(np.abs(linear) > l1, (np.sign(linear) * l1 - linear) / quadratic, 0.0)
    return update


def numpy_steps(update, steps):
    w, state = W0.astype(np.float64), {}
    for _ in range(steps):
        w = update(w, 2 * (w - TARGET), state)
    return w, state


# (engine optimizer, numpy rule, w and slots after 5 steps under TensorFlow 2.21's tf.compat.v1)
CASES = {
    "rmsprop": (lambda: tf.train.RMSPropOptimizer(0.1), rmsprop(0.1),
                [0.65209126, -1.0993776, 0.5],
                {"momentum": [0.044750363, -0.12635487, 0.0], "rms": [0.77392823, 7.4614449, 0.59048992]}),
    "rmsprop_momentum_centered": (
        lambda: tf.train.RMSPropOptimizer(0.1, momentum=0.9, centered=True),
        rmsprop(0.1, momentum=0.9, centered=True), [0.20146875, 0.61803979, 0.5],
        {"mg": [0.13082927, -1.2468001, 0.0], "momentum": [0.13066743, -0.63374639, 0.0],
         "rms": [0.73068494, 5.247766, 0.59048992]}),
    "rmsprop_all": (lambda: tf.train.RMSPropOptimizer(0.05, decay=0.8, momentum=0.5, epsilon=1e-6),
                    rmsprop(0.05, decay=0.8, momentum=0.5, epsilon=1e-6), [0.66678709, -1.3900981, 0.5],
                    {"momentum": [0.064387202, -0.11747997, 0.0], "rms": [0.66778952, 13.49189, 0.32767996]}),
    "adagrad": (lambda: tf.train.AdagradOptimizer(0.3, initial_accumulator_value=0.2), adagrad(0.3, 0.2),
                [0.51430172, -1.1091173, 0.5], {"accumulator": [1.4702156, 86.148888, 0.2]}),
    "adadelta": (lambda: tf.train.AdadeltaOptimizer(1.0, rho=0.9, epsilon=1e-6),
                 adadelta(1.0, 0.9, 1e-6), [0.98369598, -1.9835927, 0.5],
                 {"accum": [0.39795804, 10.179347, 0.0], "accum_update": [4.3773248e-06, 4.4400695e-06, 0.0]}),
    "ftrl": (lambda: tf.train.FtrlOptimizer(0.3), ftrl(0.3), [0.49680808, -0.9984962, 0.476874],
             {"accum": [1.1378069, 78.835045, 1.3328958], "linear": [-1.7664512, 29.551857, -1.8351876]}),
    "ftrl_power_l1_l2": (
        lambda: tf.train.FtrlOptimizer(0.3, learning_rate_power=-0.7, initial_accumulator_value=0.2,
                                       l1_regularization_strength=0.05, l2_regularization_strength=0.1),
        ftrl(0.3, -0.7, 0.2, 0.05, 0.1), [0.49437684, -1.4931144, 0.45016167],
        {"accum": [1.2382529, 98.830284, 1.5898722], "linear": [-2.0627055, 124.34095, -2.2159052]}),
    "ftrl_shrinkage": (  # TF1 runs ApplyFtrlV2 for this
        lambda: tf.train.FtrlOptimizer(0.3, l1_regularization_strength=0.2, l2_regularization_strength=0.1,
                                       l2_shrinkage_regularization_strength=0.3),
        ftrl(0.3, l1=0.2, l2=0.1, shrinkage=0.3), [0.37754413, -0.8106726, 0.3507956],
        {"accum": [1.8448797, 70.99907, 2.4172466], "linear": [-1.9848568, 23.131483, -2.088157]}),
    "ftrl_power_0_beta": (
        lambda: tf.train.FtrlOptimizer(0.3, learning_rate_power=0.0, l2_regularization_strength=0.1, beta=0.5),
        ftrl(0.3, power=0.0, l2=0.1, beta=0.5), [0.40071452, 0.5661903, 0.42829382],
        {"accum": [4.12225, 26.443224, 1.6764206], "linear": [-2.0837154, -2.9441895, -2.2271278]}),
}


def train(make, steps):
    w, loss = quadratic()
    optimizer = make()
    op = optimizer.minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for _ in range(steps):
        sess.run(op)
    return sess, optimizer, w


@pytest.mark.parametrize("make, rule, tf_w, tf_slots", CASES.values(), ids=CASES.keys())
def test_update_matches_tf1s_rule_and_tensorflows_numbers(make, rule, tf_w, tf_slots):
    sess, optimizer, w = train(make, 5)
    with sess:
        np.testing.assert_allclose(sess.run(w), tf_w, rtol=1e-5, atol=1e-7)
        assert optimizer.get_slot_names() == sorted(tf_slots)
        for name, value in tf_slots.items():
            np.testing.assert_allclose(sess.run(optimizer.get_slot(w, name)), value, rtol=1e-5, atol=1e-10)
        expected_w, state = numpy_steps(rule, 5)
        np.testing.assert_allclose(sess.run(w), expected_w, rtol=2e-5, atol=1e-6)
        for name, value in state.items():
            np.testing.assert_allclose(sess.run(optimizer.get_slot(w, name)), np.broadcast_to(value, (3,)),
                                       rtol=2e-5, atol=1e-9)


@pytest.mark.parametrize("make, rule", [c[:2] for c in CASES.values()], ids=CASES.keys())
def test_many_steps_follow_the_rule(make, rule):
    sess, _, w = train(make, 30)
    with sess:
        np.testing.assert_allclose(sess.run(w), numpy_steps(rule, 30)[0], rtol=5e-5, atol=1e-5)


SLOTS = {  # TF1's slot variable names for a variable `w`
    "GradientDescent": (lambda: tf.train.GradientDescentOptimizer(0.1), {}, []),
    "Momentum": (lambda: tf.train.MomentumOptimizer(0.1, 0.9), {"momentum": "w/Momentum:0"}, []),
    "Adam": (lambda: tf.train.AdamOptimizer(0.1), {"m": "w/Adam:0", "v": "w/Adam_1:0"},
             ["beta1_power:0", "beta2_power:0"]),
    "RMSProp": (lambda: tf.train.RMSPropOptimizer(0.1), {"rms": "w/RMSProp:0", "momentum": "w/RMSProp_1:0"}, []),
    "RMSProp centered": (lambda: tf.train.RMSPropOptimizer(0.1, centered=True),
                         {"rms": "w/RMSProp:0", "mg": "w/RMSProp_1:0", "momentum": "w/RMSProp_2:0"}, []),
    "Adagrad": (lambda: tf.train.AdagradOptimizer(0.1), {"accumulator": "w/Adagrad:0"}, []),
    "Adadelta": (lambda: tf.train.AdadeltaOptimizer(0.1), {"accum": "w/Adadelta:0", "accum_update": "w/Adadelta_1:0"}, []),
    "Ftrl": (lambda: tf.train.FtrlOptimizer(0.1), {"accum": "w/Ftrl:0", "linear": "w/Ftrl_1:0"}, []),
    "Ftrl renamed": (lambda: tf.train.FtrlOptimizer(0.1, accum_name="acc", linear_name="lin"),
                     {"accum": "w/acc:0", "linear": "w/lin:0"}, []),
}


@pytest.mark.parametrize("make, slots, others", SLOTS.values(), ids=SLOTS.keys())
def test_slots_and_variables_are_named_as_tf1_names_them(make, slots, others):
    w, loss = quadratic()
    optimizer = make()
    optimizer.minimize(loss)
    assert optimizer.get_slot_names() == sorted(slots)
    assert {name: optimizer.get_slot(w, name).name for name in slots} == slots
    assert [v.name for v in optimizer.variables()] == sorted([*slots.values(), *others])
    assert all(not v.trainable for v in optimizer.variables())
    assert optimizer.get_slot(w, "no such slot") is None
    other = tf.Variable(1.0, name="other")
    assert all(optimizer.get_slot(other, name) is None for name in slots)


def test_a_second_minimize_reuses_the_slots():
    w, loss = quadratic()
    optimizer = tf.train.RMSPropOptimizer(0.1)
    optimizer.minimize(loss)
    optimizer.minimize(loss * 2.0)
    assert [v.name for v in optimizer.variables()] == ["w/RMSProp:0", "w/RMSProp_1:0"]


STEPPED = {k: c for k, c in CASES.items() if not k.startswith("ftrl")}  # FTRL divides by the rate


@pytest.mark.parametrize("make", [c[0] for c in STEPPED.values()], ids=STEPPED.keys())
def test_learning_rate_may_be_a_tensor(make):
    w, loss = quadratic()
    lr = tf.placeholder(tf.float32, [], name="lr")
    optimizer = make()
    optimizer._learning_rate = lr
    op = optimizer.minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(op, {lr: 0.0})
        np.testing.assert_array_equal(sess.run(w), W0)
        sess.run(op, {lr: 0.1})
        assert not np.allclose(sess.run(w), W0)


def test_a_schedule_drives_rmsprop():
    w, loss = quadratic()
    step = tf.train.get_or_create_global_step()
    lr = tf.train.exponential_decay(0.1, step, 1, 0.5)
    op = tf.train.RMSPropOptimizer(lr).minimize(loss, global_step=step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(op)
        rates = iter([0.1, 0.05, 0.025])
        expected, _ = numpy_steps(lambda w, g, s: rmsprop(next(rates))(w, g, s), 3)
        np.testing.assert_allclose(sess.run(w), expected, rtol=2e-5)
        assert sess.run(step) == 3


def test_compute_gradients_takes_grad_loss_and_gives_pairs_for_apply_gradients():
    w, loss = quadratic()
    optimizer = tf.train.AdagradOptimizer(0.1)
    pairs = optimizer.compute_gradients(loss, grad_loss=tf.constant(2.0))
    assert [v for _, v in pairs] == [w]
    op = optimizer.apply_gradients(iter(pairs))  # any iterable, as TF1 takes zip(...)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(pairs[0][0]), 4 * (W0 - TARGET))
        sess.run(op)
        expected, _ = numpy_steps(lambda w, g, s: adagrad(0.1)(w, 2 * g, s), 1)
        np.testing.assert_allclose(sess.run(w), expected, rtol=1e-6)


# -- errors that name the thing at fault ---------------------------------------------------

def test_minimize_of_a_loss_no_variable_reaches_says_so_as_tf1():
    tf.Variable(1.0)
    loss = tf.constant(2.0) * 3.0
    with pytest.raises(ValueError) as error:
        tf.train.RMSPropOptimizer(0.1).minimize(loss)
    assert str(error.value) == (
        "No gradients provided for any variable, check your graph for ops that do not support "
        "gradients, between variables [\"<tf.Variable 'Variable:0' shape=() dtype=float32_ref>\"] "
        "and loss Tensor(\"mul:0\", shape=(), dtype=float32).")


def test_apply_gradients_without_any_gradient_names_the_variables():
    w, _ = quadratic()
    with pytest.raises(ValueError, match=r"No gradients provided for any variable: \[\"<tf.Variable 'w:0'"):
        tf.train.AdagradOptimizer(0.1).apply_gradients([(None, w)])
    with pytest.raises(ValueError, match="No variables provided"):
        tf.train.AdagradOptimizer(0.1).apply_gradients([])


def test_var_list_with_something_that_is_not_a_variable_is_named():
    w, loss = quadratic()
    with pytest.raises(TypeError, match=r"var_list holds 'w', which is neither a Variable nor a Tensor"):
        tf.train.AdadeltaOptimizer().minimize(loss, var_list=[w, "w"])
    with pytest.raises(TypeError, match=r"apply_gradients updates variables; Tensor\(\"Const"):
        tf.train.AdadeltaOptimizer().apply_gradients([(tf.constant(1.0), tf.constant(2.0))])


def test_adagrad_needs_a_positive_initial_accumulator():
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive: 0.0"):
        tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0)


def test_ftrl_takes_a_tensor_learning_rate():
    w, loss = quadratic()
    lr = tf.placeholder(tf.float32, [], name="lr")
    op = tf.train.FtrlOptimizer(lr, l2_regularization_strength=0.1, beta=0.5, learning_rate_power=0.0).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(op, {lr: 0.3})
        np.testing.assert_allclose(sess.run(w), CASES["ftrl_power_0_beta"][2], rtol=1e-5)


def test_ftrl_runs_tf1s_ops():
    w, loss = quadratic()
    tf.train.FtrlOptimizer(0.1).minimize(loss)
    tf.train.FtrlOptimizer(0.1, l2_shrinkage_regularization_strength=0.1, name="Shrunk").minimize(loss)
    assert [op.type for op in tf.get_default_graph().get_operations() if op.type.startswith("ApplyFtrl")] == [
        "ApplyFtrl", "ApplyFtrlV2"]


@pytest.mark.parametrize("argument, value, message", [
    ("learning_rate_power", 0.5, "learning_rate_power 0.500000 needs to be negative or zero"),
    ("initial_accumulator_value", -1.0, "initial_accumulator_value -1.000000 needs to be positive or zero"),
    ("l1_regularization_strength", -1.0, "l1_regularization_strength -1.000000 needs to be positive or zero"),
    ("l2_regularization_strength", -1.0, "l2_regularization_strength -1.000000 needs to be positive or zero"),
    ("l2_shrinkage_regularization_strength", -1.0,
     "l2_shrinkage_regularization_strength -1.000000 needs to be positive or zero"),
])
def test_ftrl_refuses_bad_strengths_as_tf1(argument, value, message):
    with pytest.raises(ValueError, match=message):
        tf.train.FtrlOptimizer(0.1, **{argument: value})


# -- clipping: TensorFlow's numbers ---------------------------------------------------------

A = np.array([[3.0, 4.0], [1.0, -2.0]], np.float32)
B = np.array([0.5, -1.5, 2.0], np.float32)


@pytest.mark.parametrize("build, expected", [
    (lambda: tf.clip_by_norm(A, 2.0), [[1.095445, 1.4605935], [0.36514837, -0.73029673]]),
    (lambda: tf.clip_by_norm(A, 2.0, axes=[1]), [[1.2, 1.6], [0.89442718, -1.7888544]]),
    (lambda: tf.clip_by_norm(A, 100.0), A),
    (lambda: tf.clip_by_average_norm(A, 0.5), [[1.0954452, 1.4605935], [0.36514837, -0.73029673]]),
    (lambda: tf.clip_by_global_norm([A, None, B], 3.0)[0][0], [[1.4896905, 1.9862541], [0.49656352, -0.99312705]]),
    (lambda: tf.clip_by_global_norm([A, None, B], 3.0)[0][2], [0.24828176, -0.74484527, 0.99312705]),
    (lambda: tf.clip_by_global_norm([A, None, B], 3.0)[1], 6.041523),
    (lambda: tf.global_norm([A, B]), 6.041523),
    (lambda: tf.clip_by_global_norm([A], 100.0)[0][0], A),
], ids=["norm", "norm over axes", "norm unclipped", "average norm", "global norm, first",
        "global norm, last", "global norm returned", "global_norm", "global norm unclipped"])
def test_clipping_gives_tensorflows_numbers(build, expected):
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(build()), expected, rtol=1e-6)


def test_clip_by_global_norm_keeps_none_and_names():
    clipped, norm = tf.clip_by_global_norm([A, None], 1.0)
    assert clipped[1] is None and clipped[0].name == "clip_by_global_norm/_0:0"
    assert tf.clip_by_norm(A, 1.0).name == "clip_by_norm:0"


def test_clip_by_norm_has_a_gradient_at_zero():
    x = tf.placeholder(tf.float32, [3])
    (grad,) = tf.gradients(tf.reduce_sum(tf.clip_by_norm(x, 1.0)), [x])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(grad, {x: np.zeros(3, np.float32)}), np.ones(3))


def test_clip_by_global_norm_wants_a_list():
    with pytest.raises(TypeError, match="`t_list` should be a sequence of tensors"):
        tf.clip_by_global_norm(tf.constant(A), 1.0)


# -- ExponentialMovingAverage ---------------------------------------------------------------

def test_moving_average_with_num_updates_gives_tensorflows_numbers():
    v = tf.Variable(1.0, name="v")
    step = tf.Variable(0, trainable=False, name="step")
    bump = tf.group(tf.assign_add(v, 2.0), tf.assign_add(step, 1))
    ema = tf.train.ExponentialMovingAverage(0.9, num_updates=step)
    with tf.control_dependencies([bump]):
        update = ema.apply([v])
    assert update.name == "ExponentialMovingAverage"
    assert ema.average(v).name == "v/ExponentialMovingAverage:0" == ema.average_name(v) + ":0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        seen = []
        for _ in range(4):
            sess.run(update)
            seen.append(sess.run(ema.average(v)))
    np.testing.assert_allclose(seen, [2.6363635, 4.409091, 6.2027974, 8.0009995], rtol=1e-6)


def test_moving_average_follows_its_formula():
    w = tf.Variable(np.array([1.0, 2.0], np.float32), name="w")
    ema = tf.train.ExponentialMovingAverage(0.5)
    change = tf.assign(w, w * 3.0)
    with tf.control_dependencies([change]):
        update = ema.apply()
    shadow, value = np.array([1.0, 2.0]), np.array([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(update)
            value = value * 3
            shadow = shadow - (shadow - value) * 0.5
            np.testing.assert_allclose(sess.run(ema.average(w)), shadow, rtol=1e-6)
    assert ema.average(tf.Variable(0.0)) is None


@pytest.mark.parametrize("zero_debias, num_updates, loss_averages, x_average", [
    (False, False, [0.9000002, 2.0100005, 3.3090007, 4.778101], [0.9049002, 0.68780017]),
    (True, False, [9.0, 10.578947, 12.210331, 13.893864], [2.631288, 2.0]),
    (True, True, [9.0, 11.563636, 14.131952, 16.74394], [3.5583918, 2.0229216]),
])
def test_moving_average_of_tensors_gives_tensorflows_numbers(zero_debias, num_updates, loss_averages, x_average):
    x = tf.placeholder(tf.float32, [2], name="x")
    loss = tf.reduce_sum(x * 3.0, name="loss")
    step = tf.Variable(0, trainable=False, name="step")
    ema = tf.train.ExponentialMovingAverage(0.9, num_updates=step if num_updates else None, zero_debias=zero_debias)
    with tf.control_dependencies([tf.assign_add(step, 1)]):
        update = ema.apply([loss, x])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        seen = []
        for i in range(4):
            sess.run(update, {x: [1.0 + i, 2.0]})
            seen.append(sess.run(ema.average(loss)))
        np.testing.assert_allclose(seen, loss_averages, rtol=1e-6)
        np.testing.assert_allclose(sess.run(ema.average(x)), x_average, rtol=1e-6)


def test_zero_debias_names_its_variables_as_tf1_and_leaves_variables_alone():
    v = tf.Variable(1.0, name="v")
    loss = tf.reduce_sum(tf.constant([1.0, 2.0]), name="loss")
    ema = tf.train.ExponentialMovingAverage(0.9, zero_debias=True)
    with tf.control_dependencies([tf.assign_add(v, 2.0)]):
        update = ema.apply([v, loss])
    assert update.name == "ExponentialMovingAverage"
    assert ema.average(loss).name == "loss/ExponentialMovingAverage:0" == ema.average_name(loss) + ":0"
    assert [x.name for x in tf.global_variables()] == [
        "v:0", "v/ExponentialMovingAverage:0", "loss/ExponentialMovingAverage:0",
        "loss/ExponentialMovingAverage/biased:0", "loss/ExponentialMovingAverage/local_step:0"]
    assert tf.get_collection(tf.GraphKeys.MOVING_AVERAGE_VARIABLES) == [v]  # tensors are not filed
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(update)
        assert sess.run(ema.average(v)) == pytest.approx(1.2)  # a variable's shadow: no debiasing
        assert sess.run(ema.average(loss)) == pytest.approx(3.0)  # 0.3 biased, / (1 - 0.9)


def test_moving_average_of_a_tensor_needs_its_shape():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with pytest.raises(ValueError, match=r"the shape of x:0 must be fully defined .* got \(\?, 2\)"):
        tf.train.ExponentialMovingAverage(0.9).apply([x])


def test_variables_to_restore_maps_averages_and_other_variables():
    w = tf.Variable(1.0, name="w")
    step = tf.Variable(0, trainable=False, name="step")
    ema = tf.train.ExponentialMovingAverage(0.9)
    ema.apply([w])
    restore = ema.variables_to_restore()
    assert {k: v.name for k, v in restore.items()} == {"w/ExponentialMovingAverage": "w:0", "step": "step:0"}
    assert tf.get_collection(tf.GraphKeys.MOVING_AVERAGE_VARIABLES) == [w]


def test_moving_average_errors_name_the_variable():
    w = tf.Variable(1.0, name="w")
    ema = tf.train.ExponentialMovingAverage(0.9)
    ema.apply([w])
    with pytest.raises(ValueError, match="Moving average already computed for: w:0"):
        ema.apply([w])
    with pytest.raises(TypeError, match="The variables must be half, float, or double: n:0 is int32"):
        ema.apply([tf.Variable(1, name="n")])
    with pytest.raises(TypeError, match="The variables must be half, float, or double: i:0 is int32"):
        ema.apply([tf.constant(3, name="i")])
    with pytest.raises(TypeError, match="takes variables and tensors; got 'w'"):
        ema.apply(["w"])
