"""The (5*3)+(5+3) graph over an input vector of any length, with running totals kept in variables.

    python -m examples.running_totals --inputs "5,3" "8" "3,1,2"

Each input vector flows through `transformation/prod` and `transformation/sum`, whose sum is the
output; variables under `update` keep the running total of outputs and the number of runs, whose
quotient is the average, and `summaries` logs the output, the total and the average at every step.
"""

import argparse

import numpy as np

import engine as tf
from tracker import FileWriter


def build_graph():
    graph = tf.Graph()
    with graph.as_default():
        with tf.name_scope("transformation"):
            a = tf.placeholder(tf.float32, shape=[None], name="input")
            prod = tf.reduce_prod(a, name="prod")
            total = tf.reduce_sum(a, name="sum")
            output = tf.add(prod, total, name="output")
        with tf.name_scope("update"):
            steps = tf.Variable(0, dtype=tf.int32, trainable=False, name="steps")
            total_output = tf.Variable(0.0, dtype=tf.float32, trainable=False, name="total_output")
            update_total = total_output.assign_add(output)
            increment_step = steps.assign_add(1)
            average = tf.divide(update_total, tf.cast(increment_step, tf.float32), name="average")
        with tf.name_scope("summaries"):
            tf.summary.scalar("output", output)
            tf.summary.scalar("total", update_total)
            tf.summary.scalar("average", average)
        with tf.name_scope("global_ops"):
            init = tf.global_variables_initializer()
            summaries = tf.summary.merge_all()
    return graph, dict(input=a, output=output, total=update_total, average=average,
                       step=increment_step, summaries=summaries, init=init)


def random_inputs(count, seed):
    """A stream of input vectors of varying length, small integers like the seed article's."""
    rng = np.random.default_rng(seed)
    return [rng.integers(1, 6, size=rng.integers(1, 5)).astype(np.float32) for _ in range(count)]


def parse_vector(text):
    try:
        return np.array([float(v) for v in text.split(",")], dtype=np.float32)
    except ValueError:
        raise argparse.ArgumentTypeError(f"input {text!r} is not a comma-separated list of numbers")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--inputs", nargs="+", type=parse_vector,
                   help='input vectors, e.g. "5,3" "8" (default: a random stream)')
    p.add_argument("--steps", type=int, default=50, help="length of the random stream (default 50)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--logdir", default="runs")
    p.add_argument("--run", default="running_totals")
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)

    inputs = args.inputs or random_inputs(args.steps, args.seed)
    graph, m = build_graph()
    logdir = f"{args.logdir}/{args.run}"
    with tf.Session(graph=graph) as sess, FileWriter(logdir, graph=graph) as writer:
        sess.run(m["init"])
        for vector in inputs:
            step, output, total, average, summary = sess.run(
                [m["step"], m["output"], m["total"], m["average"], m["summaries"]],
                feed_dict={m["input"]: vector})
            writer.add_summary(summary, int(step))
            if not args.quiet:
                print(f"step {step:>3}  input {vector.tolist()}  output {output:g}  "
                      f"total {total:g}  average {average:.4g}")
    print(f"{len(inputs)} inputs  total = {float(total):g}  average = {float(average):.4g}  -> {logdir}")
    return {"total": float(total), "average": float(average), "steps": int(step), "logdir": logdir}


if __name__ == "__main__":
    main()
