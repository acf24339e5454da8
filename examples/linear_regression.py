"""Linear regression the TF1 way: fit y = w*x + b to a noisy synthetic line by gradient descent.

    python -m examples.linear_regression --lr 0.1 --optimizer sgd --epochs 300

Logs loss, w and b every epoch through merged summaries, then R², the hparams, the graph and a
plotly figure of the data with the fitted line, into one run of the logdir.
"""

import numpy as np
import plotly.graph_objects as go

import engine as tf
from examples import common
from tracker import FileWriter

TRUE_W, TRUE_B = 2.0, 1.0


def make_data(n, noise, seed):
    """A noisy line: x uniform in [-1, 1], y = 2x + 1 + noise·N(0, 1), as float32 like a TF1 feed."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, n).astype(np.float32)
    y = (TRUE_W * x + TRUE_B + noise * rng.standard_normal(n)).astype(np.float32)
    return x, y


def r2_score(y, pred):
    return float(1.0 - np.sum((y - pred) ** 2) / np.sum((y - np.mean(y)) ** 2))


def fit_figure(x, y, w, b):
    line = np.array([x.min(), x.max()])
    fig = go.Figure()
    fig.add_scatter(x=x, y=y, mode="markers", name="data", marker={"size": 4, "opacity": 0.6})
    fig.add_scatter(x=line, y=w * line + b, mode="lines", name=f"fit: y = {w:.3f}x + {b:.3f}")
    fig.update_layout(title="Data and fitted line", xaxis_title="x", yaxis_title="y")
    return fig


def build_graph(optimizer, lr):
    graph = tf.Graph()
    with graph.as_default():
        with tf.name_scope("inputs"):
            X = tf.placeholder(tf.float32, shape=[None], name="X")
            Y = tf.placeholder(tf.float32, shape=[None], name="Y")
        with tf.name_scope("model"):
            w = tf.Variable(0.0, name="w")
            b = tf.Variable(0.0, name="b")
            pred = tf.add(w * X, b, name="pred")
        with tf.name_scope("train"):
            loss = tf.reduce_mean(tf.square(pred - Y), name="mse")
            global_step = tf.train.get_or_create_global_step()
            train_op = common.optimizer(optimizer, lr).minimize(loss, global_step=global_step)
            tf.summary.scalar("loss", loss)
        with tf.name_scope("params"):
            tf.summary.scalar("w", w)
            tf.summary.scalar("b", b)
        summaries = tf.summary.merge_all()
        init = tf.global_variables_initializer()
    return graph, dict(X=X, Y=Y, w=w, b=b, pred=pred, loss=loss, train_op=train_op,
                       summaries=summaries, init=init)


def main(argv=None):
    p = common.parser(__doc__.splitlines()[0], lr=0.1, epochs=300)
    p.add_argument("--points", type=int, default=200, help="number of data points (default 200)")
    p.add_argument("--noise", type=float, default=0.3, help="noise standard deviation (default 0.3)")
    args = p.parse_args(argv)

    x, y = make_data(args.points, args.noise, args.seed)
    graph, m = build_graph(args.optimizer, args.lr)
    logdir = common.run_dir(p, args, "linreg")
    progress = common.Progress(args.epochs, args.quiet)
    feed = {m["X"]: x, m["Y"]: y}
    with tf.Session(graph=graph) as sess, FileWriter(logdir, graph=graph) as writer:
        sess.run(m["init"])
        for epoch in range(1, args.epochs + 1):
            _, summary, loss, w, b = sess.run(
                [m["train_op"], m["summaries"], m["loss"], m["w"], m["b"]], feed_dict=feed)
            writer.add_summary(summary, epoch)
            progress(epoch, loss=loss, w=w, b=b)
        w, b, pred, loss = sess.run([m["w"], m["b"], m["pred"], m["loss"]], feed_dict=feed)
        r2 = r2_score(y, pred)
        writer.add_scalar("eval/r2", r2, args.epochs)
        writer.add_figure("fit", fit_figure(x, y, float(w), float(b)), args.epochs)
        writer.add_hparams(
            {"lr": args.lr, "optimizer": args.optimizer, "epochs": args.epochs,
             "noise": args.noise, "points": args.points, "seed": args.seed},
            {"final_loss": float(loss), "eval/r2": r2})
    print(f"w = {float(w):.4f}  b = {float(b):.4f}  loss = {float(loss):.5f}  R² = {r2:.4f}  -> {logdir}")
    return {"w": float(w), "b": float(b), "loss": float(loss), "r2": r2, "logdir": logdir}


if __name__ == "__main__":
    main()
