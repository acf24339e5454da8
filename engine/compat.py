"""`tf.compat.v1`: the engine itself, which is TF1's API, so `tf = tf.compat.v1` (as TF1 code
written for TF2 begins) and `tf.compat.v1.placeholder` both work."""

import sys

v1 = sys.modules[__package__]
