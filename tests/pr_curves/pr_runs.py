"""A logdir of two classifier runs that log PR curves at several steps (with a scalar beside)."""

import numpy as np
import pytest

import tracker


def write_pr_runs(root):
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 2, 200)
    for name, sharpness in (("cls_good", 3.0), ("cls_poor", 0.5)):
        with tracker.SummaryWriter(root / name) as writer:
            for step in (0, 5, 10):
                noise = rng.normal(0, 1, 200)
                logits = (labels * 2 - 1) * sharpness * (1 + step / 10) + noise
                writer.add_pr_curve("val/pr", labels, 1 / (1 + np.exp(-logits)), step,
                                    num_thresholds=51)
                writer.add_scalar("loss", 1.0 / (step + 1), step)
    return root


@pytest.fixture(scope="module")
def pr_logdir(tmp_path_factory):
    return write_pr_runs(tmp_path_factory.mktemp("pr_runs"))
