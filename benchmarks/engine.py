"""Engine speed as ratios to hand-written numpy doing the same work, measured in the same run.

    python benchmarks/engine.py            # all figures
    python benchmarks/engine.py --quick    # fewer repeats

1. Linear regression, one training step (loss, both gradients, both updates) with N points fed
   through placeholders, for N = 100 and N = 1,000,000; the numpy baseline is the loop one
   writes by hand in float32. Targets: within 2.5x at N=100, within 1.25x at N=1e6.
2. One Session.run of (5*3)+(5+3) against its three operations done directly on numpy values
   of the same dtype. Target: within 10x.

Rounds alternate (engine, numpy, engine, ...); the times printed are each side's best round
and the ratio is the median of the rounds' engine/numpy ratios, so both sides of a ratio saw
the same machine load.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import engine as tf  # noqa: E402

LEARNING_RATE = 0.01


def compare(engine_fn, numpy_fn, number, repeat):
    """Seconds per call of each (best round), and the median over rounds of engine/numpy.

    Rounds alternate engine, numpy, engine, ...; each round's ratio compares two neighbours
    in time, so load from other processes on a shared machine mostly cancels out."""
    rounds = []
    for _ in range(repeat):
        pair = []
        for fn in (engine_fn, numpy_fn):
            start = time.perf_counter()
            for _ in range(number):
                fn()
            pair.append((time.perf_counter() - start) / number)
        rounds.append(pair)
    engine_t = min(e for e, _ in rounds)
    numpy_t = min(n for _, n in rounds)
    return engine_t, numpy_t, statistics.median(e / n for e, n in rounds)


def noisy_line(n):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, n).astype(np.float32)
    return x, (2 * x + 1 + 0.1 * rng.standard_normal(n)).astype(np.float32)


def engine_regression(x_data, y_data):
    """The engine's training step, as a TF1 user writes it: one run of [train_op, loss]."""
    graph = tf.Graph()
    with graph.as_default():
        X = tf.placeholder(tf.float32, [None], name="X")
        Y = tf.placeholder(tf.float32, [None], name="Y")
        w = tf.Variable(0.0, name="w")
        b = tf.Variable(0.0, name="b")
        loss = tf.reduce_mean(tf.square(w * X + b - Y))
        train = tf.train.GradientDescentOptimizer(LEARNING_RATE).minimize(loss)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=graph)
    sess.run(init)
    fetches, feed = [train, loss], {X: x_data, Y: y_data}
    return lambda: sess.run(fetches, feed)


def numpy_regression(x, y):
    """The same step by hand: forward, loss, both gradients, both updates, in float32."""
    params = [np.float32(0.0), np.float32(0.0)]
    lr = np.float32(LEARNING_RATE)

    def step():
        w, b = params
        err = w * x + b - y
        loss = np.mean(err * err)
        grad_w = 2 * np.mean(err * x)
        grad_b = 2 * np.mean(err)
        params[0] = w - lr * grad_w
        params[1] = b - lr * grad_b
        return loss
    return step


def check_same_result(n=1000, steps=50):
    """Both steps must compute the same thing: same parameters after the same steps."""
    x, y = noisy_line(n)
    eng, ref = engine_regression(x, y), numpy_regression(x, y)
    for _ in range(steps):
        (_, loss_e), loss_n = eng(), ref()
    assert abs(loss_e - loss_n) <= 1e-4 * abs(loss_n), (loss_e, loss_n)


def tiny_graph():
    graph = tf.Graph()
    with graph.as_default():
        a = tf.constant(5.0, name="input_a")
        b = tf.constant(3.0, name="input_b")
        e = tf.add(a * b, a + b)
    sess = tf.Session(graph=graph)
    assert sess.run(e) == 23
    return lambda: sess.run(e)


def numpy_tiny():
    a, b = np.array(5.0, np.float32), np.array(3.0, np.float32)
    return lambda: np.add(np.multiply(a, b), np.add(a, b))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (noisier)")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 11
    check_same_result()

    rows = []
    for n, number, target in ((100, 2000, 2.5), (1_000_000, 10, 1.25)):
        x, y = noisy_line(n)
        rows.append((f"linear regression step, N={n:,}",
                     *compare(engine_regression(x, y), numpy_regression(x, y), number, repeat), target))
    rows.append(("Session.run of (5*3)+(5+3)", *compare(tiny_graph(), numpy_tiny(), 20000, repeat), 10.0))

    print(f"{'figure':38} {'engine':>11} {'numpy':>11} {'ratio':>7}  target   (times: best round; "
          "ratio: median of per-round ratios)")
    for label, engine_t, numpy_t, ratio, target in rows:
        verdict = "ok" if ratio <= target else "MISSED"
        print(f"{label:38} {engine_t * 1e6:9.1f}us {numpy_t * 1e6:9.1f}us {ratio:6.2f}x  <= {target}x {verdict}")


if __name__ == "__main__":
    main()
