"""Engine speed as ratios to hand-written numpy doing the same work, measured in the same run.

    python benchmarks/engine.py            # all figures
    python benchmarks/engine.py --quick    # fewer repeats

1. Linear regression, one training step (loss, both gradients, both updates) with N points fed
   through placeholders, for N = 100 and N = 1,000,000; the numpy baseline is the loop one
   writes by hand in float32. Targets: within 2.5x at N=100, within 1.25x at N=1e6, for each
   of the ways people write that loss (`w*X + b - Y`, `Y - (w*X + b)`, `tf.losses`, `tf.pow`,
   `tf.matmul` with X of shape [N, 1]), all against the same hand-written step.
2. The MNIST tutorial's CNN training step (batch 64 of 28x28x1; conv 5x5x32 SAME, relu, 2x2
   max-pool, conv 5x5x64, relu, max-pool, dense 1024 relu, dense 10, softmax cross entropy,
   Adam) against the same step by hand in numpy (im2col with one matmul per convolution).
   Target: within 1.3x.
3. One Session.run of (5*3)+(5+3) against its three operations done directly on numpy values
   of the same dtype. Target: within 10x.
3. train.Saver's save and restore of 10 million float32 parameters in 100 variables, against
   np.save / np.load of the same arrays (one .npy file each) into the same kind of temporary
   directory. Target: within 1.5x.

Rounds alternate (engine, numpy, engine, ...); the times printed are each side's best round
and the ratio is the median of the rounds' engine/numpy ratios, so both sides of a ratio saw
the same machine load.
"""

import argparse
import os
import statistics
import sys
import tempfile
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


def _mse(Y, pred):
    return tf.losses.mean_squared_error(Y, pred)


LOSSES = {  # how people write the loss: (X, Y, w, b) -> loss, and whether X is [N, 1]
    "w*X + b - Y": (lambda X, Y, w, b: tf.reduce_mean(tf.square(w * X + b - Y)), False),
    "Y - (w*X + b)": (lambda X, Y, w, b: tf.reduce_mean(tf.square(Y - (w * X + b))), False),
    "tf.losses.mean_squared_error": (lambda X, Y, w, b: _mse(Y, w * X + b), False),
    "tf.pow(pred - Y, 2)": (lambda X, Y, w, b: tf.reduce_mean(tf.pow(w * X + b - Y, 2)), False),
    "tf.matmul(X, W) + b, X [N,1]": (lambda X, Y, W, b: tf.reduce_mean(tf.square(tf.matmul(X, W) + b - Y)), True),
}


def training_step(graph, init, fetches, feed):
    """One initialised session on `graph`, and the call that runs a training step in it."""
    sess = tf.Session(graph=graph)
    sess.run(init)
    return lambda: sess.run(fetches, feed)


def engine_regression(x_data, y_data, loss_name="w*X + b - Y"):
    """The engine's training step, as a TF1 user writes it: one run of [train_op, loss]."""
    build, column = LOSSES[loss_name]
    if column:
        x_data, y_data = x_data.reshape(-1, 1), y_data.reshape(-1, 1)
    graph = tf.Graph()
    with graph.as_default():
        X = tf.placeholder(tf.float32, [None, 1] if column else [None], name="X")
        Y = tf.placeholder(tf.float32, [None, 1] if column else [None], name="Y")
        w = tf.Variable(tf.zeros([1, 1]) if column else 0.0, name="w")
        b = tf.Variable(0.0, name="b")
        loss = build(X, Y, w, b)
        train = tf.train.GradientDescentOptimizer(LEARNING_RATE).minimize(loss)
        init = tf.global_variables_initializer()
    return training_step(graph, init, [train, loss], {X: x_data, Y: y_data})


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
    for name in LOSSES:
        eng, ref = engine_regression(x, y, name), numpy_regression(x, y)
        for _ in range(steps):
            (_, loss_e), loss_n = eng(), ref()
        assert abs(loss_e - loss_n) <= 1e-4 * abs(loss_n), (name, loss_e, loss_n)


# -- the MNIST tutorial's CNN -------------------------------------------------------------

BATCH, CNN_LR = 64, 1e-4


def cnn_data():
    rng = np.random.default_rng(0)
    images = rng.random((BATCH, 28, 28, 1), dtype=np.float32)
    labels = np.eye(10, dtype=np.float32)[rng.integers(0, 10, BATCH)]
    return images, labels


def cnn_weights():
    rng = np.random.default_rng(1)
    shapes = [(5, 5, 1, 32), (32,), (5, 5, 32, 64), (64,), (7 * 7 * 64, 1024), (1024,), (1024, 10), (10,)]
    return [(0.1 * rng.standard_normal(s) if len(s) > 1 else np.full(s, 0.1)).astype(np.float32) for s in shapes]


def engine_cnn(images, labels):
    """The "Deep MNIST for experts" step as a TF1 user writes it."""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        y_ = tf.placeholder(tf.float32, [None, 10])
        W1, b1, W2, b2, W3, b3, W4, b4 = (tf.Variable(v) for v in cnn_weights())
        h1 = tf.nn.relu(tf.nn.conv2d(x, W1, strides=[1, 1, 1, 1], padding="SAME") + b1)
        p1 = tf.nn.max_pool(h1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
        h2 = tf.nn.relu(tf.nn.conv2d(p1, W2, strides=[1, 1, 1, 1], padding="SAME") + b2)
        p2 = tf.nn.max_pool(h2, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
        h3 = tf.nn.relu(tf.matmul(tf.reshape(p2, [-1, 7 * 7 * 64]), W3) + b3)
        logits = tf.matmul(h3, W4) + b4
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))
        train = tf.train.AdamOptimizer(CNN_LR).minimize(loss)
        init = tf.global_variables_initializer()
    return training_step(graph, init, [train, loss], {x: images, y_: labels})


def _im2col(x, k):
    """[n*h*w, k*k*c] windows of a SAME-padded (stride 1) NHWC batch: the one copy."""
    n, h, w, c = x.shape
    pad = k // 2
    padded = np.zeros((n, h + k - 1, w + k - 1, c), x.dtype)
    padded[:, pad:pad + h, pad:pad + w] = x
    s = padded.strides
    windows = np.lib.stride_tricks.as_strided(padded, (n, h, w, k, k, c), (s[0], s[1], s[2], s[1], s[2], s[3]))
    return windows.reshape(n * h * w, k * k * c)


def _col2im(rows, shape, k):
    n, h, w, c = shape
    pad = k // 2
    rows = rows.reshape(n, h, w, k, k, c)
    padded = np.zeros((n, h + k - 1, w + k - 1, c), rows.dtype)
    for i in range(k):
        for j in range(k):
            padded[:, i:i + h, j:j + w] += rows[:, :, :, i, j]
    return padded[:, pad:pad + h, pad:pad + w]


def _pool(x):
    n, h, w, c = x.shape
    blocks = x.reshape(n, h // 2, 2, w // 2, 2, c)
    out = blocks.max(axis=(2, 4))
    return out, blocks == out[:, :, None, :, None]


def _unpool(g, mask):
    return (mask * g[:, :, None, :, None]).reshape(mask.shape[0], mask.shape[1] * 2, mask.shape[3] * 2, -1)


def numpy_cnn(images, labels):
    """The same step by hand: forward, backward, Adam, keeping what backward needs."""
    params = cnn_weights()
    slots = [[np.zeros_like(p), np.zeros_like(p)] for p in params]
    t = [0]
    beta1, beta2, eps = 0.9, 0.999, 1e-8

    def step():
        W1, b1, W2, b2, W3, b3, W4, b4 = params
        n = images.shape[0]
        cols1 = _im2col(images, 5)
        h1 = np.maximum((cols1 @ W1.reshape(-1, 32)).reshape(n, 28, 28, 32) + b1, 0)
        p1, m1 = _pool(h1)
        cols2 = _im2col(p1, 5)
        h2 = np.maximum((cols2 @ W2.reshape(-1, 64)).reshape(n, 14, 14, 64) + b2, 0)
        p2, m2 = _pool(h2)
        flat = p2.reshape(n, -1)
        h3 = np.maximum(flat @ W3 + b3, 0)
        logits = h3 @ W4 + b4
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -np.mean(np.sum(labels * log_probs, axis=1))
        g_logits = (np.exp(log_probs) - labels) / n
        g_W4, g_b4 = h3.T @ g_logits, g_logits.sum(0)
        g_h3 = (g_logits @ W4.T) * (h3 > 0)
        g_W3, g_b3 = flat.T @ g_h3, g_h3.sum(0)
        g_h2 = _unpool((g_h3 @ W3.T).reshape(p2.shape), m2) * (h2 > 0)
        g2 = g_h2.reshape(-1, 64)
        g_W2, g_b2 = (cols2.T @ g2).reshape(W2.shape), g2.sum(0)
        g_p1 = _col2im(g2 @ W2.reshape(-1, 64).T, p1.shape, 5)
        g_h1 = _unpool(g_p1, m1) * (h1 > 0)
        g1 = g_h1.reshape(-1, 32)
        g_W1, g_b1 = (cols1.T @ g1).reshape(W1.shape), g1.sum(0)
        t[0] += 1
        lr = CNN_LR * np.sqrt(1 - beta2 ** t[0]) / (1 - beta1 ** t[0])
        for p, (m, v), g in zip(params, slots, (g_W1, g_b1, g_W2, g_b2, g_W3, g_b3, g_W4, g_b4)):
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * np.square(g)
            p -= np.float32(lr) * m / (np.sqrt(v) + eps)
        return loss
    return step


def check_same_cnn(steps=3):
    images, labels = cnn_data()
    eng, ref = engine_cnn(images, labels), numpy_cnn(images, labels)
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


def checkpoint_pairs(directory, n_variables=100, size=100_000):
    """(engine save, numpy save), (engine restore, numpy load) of the same arrays. The
    variables start from a random initializer, as in a training script, so the graph that
    each save also writes (`.meta`) is small."""
    graph = tf.Graph()
    with graph.as_default():
        variables = [tf.get_variable(f"layer{i}/w", [size], initializer=tf.random_normal_initializer(seed=i))
                     for i in range(n_variables)]
        saver = tf.train.Saver(max_to_keep=None)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=graph)
    sess.run(init)
    arrays = sess.run(variables)
    prefix = os.path.join(directory, "model.ckpt")
    paths = [os.path.join(directory, f"{i}.npy") for i in range(n_variables)]
    saver.save(sess, prefix)
    sess.run(init)
    saver.restore(sess, prefix)
    assert np.array_equal(sess.run(variables[7]), arrays[7])

    def numpy_save():
        for path, array in zip(paths, arrays):
            np.save(path, array)

    def numpy_load():
        return [np.load(path) for path in paths]
    numpy_save()
    return ((lambda: saver.save(sess, prefix), numpy_save),
            (lambda: saver.restore(sess, prefix), numpy_load))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (noisier)")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 11
    check_same_result()
    check_same_cnn()

    rows = []
    x, y = noisy_line(100)
    rows.append(("linear regression step, N=100",
                 *compare(engine_regression(x, y), numpy_regression(x, y), 2000, repeat), 2.5))
    x, y = noisy_line(1_000_000)
    for name in LOSSES:
        rows.append((f"N=1,000,000: {name}",
                     *compare(engine_regression(x, y, name), numpy_regression(x, y), 10, repeat), 1.25))
    images, labels = cnn_data()
    rows.append(("MNIST CNN training step, batch 64",
                 *compare(engine_cnn(images, labels), numpy_cnn(images, labels), 1, repeat), 1.3))
    rows.append(("Session.run of (5*3)+(5+3)", *compare(tiny_graph(), numpy_tiny(), 20000, repeat), 10.0))
    with tempfile.TemporaryDirectory() as directory:
        save, restore = checkpoint_pairs(directory)
        rows.append(("Saver.save, 10M float32 in 100 vars", *compare(*save, 1, repeat), 1.5))
        rows.append(("Saver.restore, 10M float32 in 100 vars", *compare(*restore, 1, repeat), 1.5))

    print(f"{'figure':38} {'engine':>11} {'numpy':>11} {'ratio':>7}  target   (times: best round; "
          "ratio: median of per-round ratios)")
    for label, engine_t, numpy_t, ratio, target in rows:
        verdict = "ok" if ratio <= target else "MISSED"
        print(f"{label:38} {engine_t * 1e6:9.1f}us {numpy_t * 1e6:9.1f}us {ratio:6.2f}x  <= {target}x {verdict}")


if __name__ == "__main__":
    main()
