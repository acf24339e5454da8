"""Every engine test starts on a fresh default graph with numpy seeded."""

import numpy as np
import pytest

import engine as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield tf.get_default_graph()
    tf.reset_default_graph()


@pytest.fixture(autouse=True)
def seed():
    np.random.seed(0)
    return np.random.default_rng(0)
