"""The first program of every TF1 tutorial, `hello = tf.constant('Hello, TensorFlow!')`, which runs
to bytes, and the string tensors around it: a list of strings, a string placeholder fed from
Python, `tf.string` dtypes and shapes, and a string passed through `identity`."""

import engine as tf
import numpy as np


def main():
    hello = tf.constant("Hello, TensorFlow!")
    raw = tf.constant(b"Hello")
    words = tf.constant(["to", "be", "or"])
    name = tf.placeholder(tf.string, shape=[], name="name")
    echoed = tf.identity(name)
    with tf.Session() as sess:
        hello_value = sess.run(hello)
        raw_value, words_value, echoed_value = sess.run([raw, words, echoed], {name: "Ada"})
    return {
        "hello": hello_value,
        "hello_is_bytes": isinstance(hello_value, bytes),
        "raw": raw_value,
        "words": list(words_value),
        "words_kind": words_value.dtype.kind,
        "echoed": echoed_value,
        "dtypes": [hello.dtype.name, words.dtype.name, name.dtype.name],
        "shapes": [hello.get_shape().as_list(), words.get_shape().as_list()],
        "is_string": hello.dtype == tf.string,
        "numpy_equal": bool(np.array_equal(words_value, np.array([b"to", b"be", b"or"], dtype=object))),
    }
