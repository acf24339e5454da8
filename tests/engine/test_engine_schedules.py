"""Learning-rate schedules: TensorFlow's numbers at several steps, TF1's formulas, errors."""

import math

import numpy as np
import pytest

import engine as tf

STEPS = [0, 1, 2, 3, 5, 7, 8, 10, 13]

# name: (schedule of a step tensor, TensorFlow 2.21 tf.compat.v1's values at STEPS, the formula)
SCHEDULES = {
    "exponential": (lambda s: tf.train.exponential_decay(0.5, s, 3, 0.5),
                    [0.5, 0.39685026, 0.31498027, 0.25, 0.15749012, 0.099212557, 0.07874506, 0.049606279,
                     0.024803139], lambda n: 0.5 * 0.5 ** (n / 3)),
    "exponential staircase": (lambda s: tf.train.exponential_decay(0.5, s, 3, 0.5, staircase=True),
                              [0.5, 0.5, 0.5, 0.25, 0.25, 0.125, 0.125, 0.0625, 0.03125],
                              lambda n: 0.5 * 0.5 ** (n // 3)),
    "piecewise": (lambda s: tf.train.piecewise_constant(s, [3, 6], [0.1, 0.05, 0.01]),
                  [0.1, 0.1, 0.1, 0.1, 0.05, 0.01, 0.01, 0.01, 0.01],
                  lambda n: 0.1 if n <= 3 else 0.05 if n <= 6 else 0.01),
    "polynomial": (lambda s: tf.train.polynomial_decay(0.1, s, 8, 0.01, power=2.0),
                   [0.1, 0.078906253, 0.060625002, 0.045156248, 0.022656251, 0.01140625, 0.01, 0.01, 0.01],
                   lambda n: (0.1 - 0.01) * (1 - min(n, 8) / 8) ** 2 + 0.01),
    "polynomial cycle": (lambda s: tf.train.polynomial_decay(0.1, s, 4, 0.01, power=0.5, cycle=True),
                         [0.1, 0.087942287, 0.073639609, 0.055, 0.065113522, 0.041819803, 0.01, 0.04674235,
                          0.048971146],
                         lambda n: (0.1 - 0.01) * (1 - n / (4 * max(math.ceil(n / 4), 1))) ** 0.5 + 0.01),
    "inverse time": (lambda s: tf.train.inverse_time_decay(0.1, s, 2, 0.5),
                     [0.1, 0.08, 0.06666667, 0.057142857, 0.044444446, 0.036363635, 0.033333335, 0.028571429,
                      0.023529412], lambda n: 0.1 / (1 + 0.5 * n / 2)),
    "inverse time staircase": (lambda s: tf.train.inverse_time_decay(0.1, s, 2, 0.5, staircase=True),
                               [0.1, 0.1, 0.06666667, 0.06666667, 0.05, 0.04, 0.033333335, 0.028571429, 0.025],
                               lambda n: 0.1 / (1 + 0.5 * (n // 2))),
    "natural exp": (lambda s: tf.train.natural_exp_decay(0.1, s, 2, 0.5),
                    [0.1, 0.077880077, 0.060653068, 0.047236659, 0.028650481, 0.017377395, 0.01353353,
                     0.0082085012, 0.0038774211], lambda n: 0.1 * math.exp(-0.5 * n / 2)),
    "natural exp staircase": (lambda s: tf.train.natural_exp_decay(0.1, s, 2, 0.5, staircase=True),
                              [0.1, 0.1, 0.060653068, 0.060653068, 0.036787946, 0.022313017, 0.01353353,
                               0.0082085012, 0.0049787071], lambda n: 0.1 * math.exp(-0.5 * (n // 2))),
    "cosine": (lambda s: tf.train.cosine_decay(0.1, s, 8, alpha=0.1),
               [0.1, 0.096574582, 0.086819813, 0.072220758, 0.037779242, 0.013425417, 0.01, 0.01, 0.01],
               lambda n: 0.1 * (0.9 * 0.5 * (1 + math.cos(math.pi * min(n, 8) / 8)) + 0.1)),
}


@pytest.mark.parametrize("build, tf_values, formula", SCHEDULES.values(), ids=SCHEDULES.keys())
@pytest.mark.parametrize("dtype", [tf.int64, tf.int32])
def test_schedule_gives_tensorflows_numbers(build, tf_values, formula, dtype):
    step = tf.placeholder(dtype, [])
    rate = build(step)
    assert rate.dtype == tf.float32 and rate.shape.as_list() == []
    with tf.Session() as sess:
        got = [sess.run(rate, {step: n}) for n in STEPS]
    np.testing.assert_allclose(got, tf_values, rtol=1e-6)
    np.testing.assert_allclose(got, [formula(n) for n in STEPS], rtol=1e-6)


def test_schedules_are_named_as_tf1_names_them():
    step = tf.train.get_or_create_global_step()
    assert tf.train.exponential_decay(0.1, step, 10, 0.5).name == "ExponentialDecay:0"
    assert tf.train.polynomial_decay(0.1, step, 10).name == "PolynomialDecay:0"
    assert tf.train.inverse_time_decay(0.1, step, 10, 0.5).name == "InverseTimeDecay:0"
    assert tf.train.exponential_decay(0.1, step, 10, 0.5, name="lr").name == "lr:0"


def test_a_schedule_follows_the_global_step_of_training():
    w = tf.Variable(0.0, name="w")
    step = tf.Variable(0, trainable=False, name="global_step")
    rate = tf.train.exponential_decay(1.0, step, 1, 0.5, staircase=True)
    train = tf.train.GradientDescentOptimizer(rate).minimize(-w, global_step=step)  # gradient -1
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(4):
            sess.run(train)
        assert sess.run(w) == pytest.approx(1 + 0.5 + 0.25 + 0.125)
        assert sess.run(rate) == pytest.approx(0.0625)


def test_schedule_errors_name_what_is_wrong():
    with pytest.raises(ValueError, match="global_step is required for exponential_decay."):
        tf.train.exponential_decay(0.1, None, 10, 0.5)
    with pytest.raises(ValueError, match="global_step is required for cosine_decay."):
        tf.train.cosine_decay(0.1, None, 10)
    with pytest.raises(ValueError, match="The length of boundaries should be 1 less than the length of values"):
        tf.train.piecewise_constant(tf.constant(1), [1, 2], [0.1])
    with pytest.raises(ValueError, match="values must have one dtype; got float32 and int32"):
        tf.train.piecewise_constant(tf.constant(1), [1], [0.1, 2])
