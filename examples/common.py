"""What every example shares: its command-line flags, its optimizer choice and its run directory."""

import argparse
import time
from pathlib import Path

import engine as tf

OPTIMIZERS = {
    "sgd": lambda lr: tf.train.GradientDescentOptimizer(lr),
    "momentum": lambda lr: tf.train.MomentumOptimizer(lr, momentum=0.9),
    "adam": lambda lr: tf.train.AdamOptimizer(lr),
}


def parser(description, *, lr, epochs, optimizer="sgd"):
    """Flags shared by the examples, so runs of any of them can be compared in the dashboard."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--lr", type=float, default=lr, help=f"learning rate (default {lr})")
    p.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default=optimizer,
                   help=f"optimizer (default {optimizer})")
    p.add_argument("--epochs", type=int, default=epochs, help=f"training epochs (default {epochs})")
    p.add_argument("--seed", type=int, default=0, help="random seed for data and initial values")
    p.add_argument("--logdir", default="runs", help="directory holding all runs (default runs)")
    p.add_argument("--run", default=None,
                   help="run name inside the logdir (default: derived from the flags)")
    p.add_argument("--quiet", action="store_true", help="print only the final result")
    return p


def optimizer(name, lr):
    return OPTIMIZERS[name](lr)


def run_dir(parser, args, example):
    """The run's directory: --run if given, else `<example>/<optimizer>_lr=<lr>` and every other
    flag that differs from its default, so runs of one example group together and say how they differ."""
    if args.run:
        return str(Path(args.logdir) / args.run)
    name = f"{args.optimizer}_lr={args.lr}"
    for flag, value in vars(args).items():
        if flag not in ("optimizer", "lr", "logdir", "run", "quiet") and value != parser.get_default(flag):
            name += f"_{flag}={value}"
    return str(Path(args.logdir) / example / name)


class Progress:
    """One compact line per reporting epoch, with the elapsed time: `epoch  40/300  loss 0.0123  ...`."""

    def __init__(self, epochs, quiet=False, every=None):
        self.epochs, self.quiet = epochs, quiet
        self.every = every or max(1, epochs // 10)
        self.start = time.perf_counter()

    def __call__(self, epoch, **values):
        if self.quiet or (epoch % self.every and epoch != self.epochs):
            return
        width = len(str(self.epochs))
        shown = "  ".join(f"{k} {v:.5g}" for k, v in values.items())
        print(f"epoch {epoch:>{width}}/{self.epochs}  {shown}  ({time.perf_counter() - self.start:.1f}s)",
              flush=True)
