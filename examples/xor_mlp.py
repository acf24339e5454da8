"""A two-layer network learning XOR, under several name scopes so the graph view has depth.

Besides loss and accuracy it logs a histogram of each weight and bias and of its gradient every
epoch, every SURFACE_EVERY epochs the network's output over the unit square as a grey image (white
where it says 1), so the Histograms, Distributions and Images pages show learning happen, and at
the end its four answers as a markdown table for the Text page.

    python -m examples.xor_mlp --hidden 8 --lr 0.1 --optimizer adam
"""

import numpy as np

import engine as tf
from examples import common
from tracker import SummaryWriter

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=np.float32)
SURFACE_SIZE = 32
SURFACE_EVERY = 50
#: The unit square's grid points, row by row from (0, 0): the decision surface's pixels.
SURFACE_X = np.stack(np.meshgrid(np.linspace(0, 1, SURFACE_SIZE), np.linspace(0, 1, SURFACE_SIZE)),
                     axis=-1).reshape(-1, 2).astype(np.float32)


def dense(x, n_in, n_out, rng, name, activation=None):
    """A fully connected layer in its own scope: weights, biases, then x @ W + b."""
    with tf.name_scope(name):
        W = tf.Variable(rng.normal(0.0, 1.0 / np.sqrt(n_in), (n_in, n_out)).astype(np.float32),
                        name="weights")
        b = tf.Variable(np.zeros(n_out, dtype=np.float32), name="biases")
        z = tf.add(tf.matmul(x, W), b, name="preactivation")
        return activation(z, name="activation") if activation else z


def build_graph(hidden, optimizer, lr, seed):
    rng = np.random.default_rng(seed)
    graph = tf.Graph()
    with graph.as_default():
        with tf.name_scope("input"):
            X = tf.placeholder(tf.float32, shape=[None, 2], name="X")
            Y = tf.placeholder(tf.float32, shape=[None, 1], name="Y")
        with tf.name_scope("network"):
            h = dense(X, 2, hidden, rng, "hidden", activation=tf.tanh)
            logits = dense(h, hidden, 1, rng, "output")
        with tf.name_scope("loss"):
            loss = tf.reduce_mean(
                tf.nn.sigmoid_cross_entropy_with_logits(labels=Y, logits=logits), name="loss")
        with tf.name_scope("train"):
            global_step = tf.train.get_or_create_global_step()
            train_op = common.optimizer(optimizer, lr).minimize(loss, global_step=global_step)
        with tf.name_scope("metrics"):
            probability = tf.sigmoid(logits, name="probability")
            predicted = tf.cast(tf.greater(probability, 0.5), tf.float32, name="predicted")
            accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), tf.float32), name="accuracy")
        with tf.name_scope("summaries"):
            tf.summary.scalar("loss", loss)
            tf.summary.scalar("accuracy", accuracy)
            variables = tf.trainable_variables()
            for variable, gradient in zip(variables, tf.gradients(loss, variables)):
                tf.summary.histogram(variable.op.name, variable)
                tf.summary.histogram(f"gradients/{variable.op.name}", gradient)
            summaries = tf.summary.merge_all()
        init = tf.global_variables_initializer()
    return graph, dict(X=X, Y=Y, loss=loss, accuracy=accuracy, train_op=train_op,
                       summaries=summaries, init=init, probability=probability)


def predictions_table(probabilities):
    """The four XOR inputs, their targets and the network's answers, as a markdown table."""
    rows = [f"| {int(a)} | {int(b)} | {int(y)} | {p:.3f} |"
            for (a, b), (y,), p in zip(XOR_X, XOR_Y, probabilities)]
    return "\n".join(["| x1 | x2 | target | **p(1)** |", "|---|---|---|---|", *rows])


def main(argv=None):
    p = common.parser(__doc__.splitlines()[0], lr=0.1, epochs=400, optimizer="adam")
    p.add_argument("--hidden", type=int, default=8, help="hidden units (default 8)")
    args = p.parse_args(argv)

    graph, m = build_graph(args.hidden, args.optimizer, args.lr, args.seed)
    logdir = common.run_dir(p, args, "xor")
    progress = common.Progress(args.epochs, args.quiet)
    feed = {m["X"]: XOR_X, m["Y"]: XOR_Y}
    with tf.Session(graph=graph) as sess, SummaryWriter(logdir) as writer:
        writer.add_graph(graph)
        sess.run(m["init"])
        for epoch in range(1, args.epochs + 1):
            _, summary, loss, accuracy = sess.run(
                [m["train_op"], m["summaries"], m["loss"], m["accuracy"]], feed_dict=feed)
            writer.add_summary(summary, epoch)
            if epoch % SURFACE_EVERY == 0 or epoch == args.epochs:
                surface = sess.run(m["probability"], {m["X"]: SURFACE_X})
                writer.add_image("decision_surface", surface.reshape(SURFACE_SIZE, SURFACE_SIZE),
                                 epoch, dataformats="HW")
            progress(epoch, loss=loss, accuracy=accuracy)
        answers = sess.run(m["probability"], feed)[:, 0]
        writer.add_text("predictions", predictions_table(answers), args.epochs)
        writer.add_hparams(
            {"lr": args.lr, "optimizer": args.optimizer, "hidden": args.hidden,
             "epochs": args.epochs, "seed": args.seed},
            {"summaries/loss": float(loss), "summaries/accuracy": float(accuracy)})
    print(f"loss = {float(loss):.4f}  accuracy = {float(accuracy):.2f}  -> {logdir}")
    return {"loss": float(loss), "accuracy": float(accuracy), "logdir": logdir}


if __name__ == "__main__":
    main()
