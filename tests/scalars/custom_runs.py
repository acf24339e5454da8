"""Two runs that log a custom-scalars layout (PyTorch's add_custom_scalars example, smaller):
a multiline chart of two tags, a regex chart, and a margin chart of a value and its bounds."""

import math

import pytest

import tracker

LAYOUT = {"Taiwan": {"twse": ["Multiline", ["twse/0050", "twse/2330"]]},
          "USA": {"dow": ["Margin", ["dow/aaa", "dow/bbb", "dow/ccc"]],
                  "all": ["Multiline", ["dow/.*"]]}}


def write_custom_runs(root):
    for name, shift in (("market_a", 0.0), ("market_b", 5.0)):
        with tracker.SummaryWriter(root / name) as writer:
            writer.add_custom_scalars(LAYOUT)
            for step in range(20):
                writer.add_scalar("twse/0050", shift + math.sin(step / 3), step)
                writer.add_scalar("twse/2330", shift + math.cos(step / 3), step)
                writer.add_scalar("dow/aaa", shift + step, step)
                writer.add_scalar("dow/bbb", shift + step - 2, step)
                writer.add_scalar("dow/ccc", shift + step + 2, step)
    return root


@pytest.fixture(scope="module")
def custom_logdir(tmp_path_factory):
    return write_custom_runs(tmp_path_factory.mktemp("custom_runs"))
