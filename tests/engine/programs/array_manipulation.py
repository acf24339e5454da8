"""Array ops as the TF1 guides and cs20si's lecture 2 show them: concat / stack / unstack /
split, gather and gather_nd, one_hot, both forms of where, boolean_mask, tile, pad in its three
modes, reverse, sequence_mask, and NumPy-style slicing with tf.newaxis, Ellipsis and negative
steps, with the static shapes TF1 infers for a placeholder of shape [None, 6]."""

import engine as tf
import numpy as np


def main():
    rng = np.random.RandomState(12)
    a = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    b = tf.constant(rng.randn(3, 4).astype(np.float32))
    p = tf.placeholder(tf.float32, [None, 6], name="p")
    p_data = np.arange(24, dtype=np.float32).reshape(4, 6)

    ops = {
        "concat0": tf.concat([a, b], 0),
        "concat1": tf.concat([a, b], axis=-1),
        "stack": tf.stack([a, b], axis=1),
        "unstack": tf.unstack(a, axis=1)[2],
        "split_count": tf.split(a, 2, axis=1)[1],
        "split_sizes": tf.split(a, [1, 3], 1)[1],
        "gather": tf.gather(a, [2, 0, 2]),
        "gather_axis1": tf.gather(a, [3, 1], axis=1),
        "gather_nd": tf.gather_nd(a, [[0, 1], [2, 3]]),
        "one_hot": tf.one_hot([0, 2, -1, 1], depth=3),
        "one_hot_values": tf.one_hot([1, 0], depth=3, on_value=5.0, off_value=-1.0),
        "where_select": tf.where(b > 0, a, -a),
        "where_indices": tf.where(a > 8),
        "boolean_mask": tf.boolean_mask(a, [True, False, True]),
        "boolean_mask_2d": tf.boolean_mask(b, b > 0.5),
        "tile": tf.tile(tf.constant([[1, 2]]), [2, 3]),
        "pad_constant": tf.pad(tf.constant([[1, 2], [3, 4]]), [[1, 0], [0, 2]]),
        "pad_reflect": tf.pad(tf.constant([[1, 2, 3], [4, 5, 6]]), [[1, 1], [2, 2]], "REFLECT"),
        "pad_symmetric": tf.pad(tf.constant([[1, 2, 3], [4, 5, 6]]), [[1, 1], [2, 2]], "SYMMETRIC"),
        "reverse": tf.reverse(a, axis=[1]),
        "expand_squeeze": tf.squeeze(tf.expand_dims(a, 0), axis=[0]),
        "sequence_mask": tf.sequence_mask([1, 3, 2], 4),
        "slice": tf.slice(a, [1, 1], [2, -1]),
        "strided_slice": tf.strided_slice(a, [0, 3], [3, 0], [2, -1]),
        "rows_1_3": p[1:3],
        "newaxis": p[:, tf.newaxis, 2],
        "negative_step": p[::-1, ::-2],
        "ellipsis": p[..., 1],
        "last_row": p[-1],
        "shape": tf.shape(p),
        "size": tf.size(p),
        "rank": tf.rank(p),
        "reshape_dynamic": tf.reshape(a, tf.shape(b)),
        "range": tf.range(3, 18, 4),
        "fill": tf.fill([2, 3], 9),
        "linspace": tf.linspace(0.0, 1.0, 5),
        "zeros_like_int": tf.zeros_like(a, dtype=tf.int32),
        "ones_like": tf.ones_like(b),
        "broadcast_to": tf.broadcast_to(tf.constant([1, 2, 3]), [2, 3]),
        "meshgrid": tf.meshgrid(tf.constant([1, 2, 3]), tf.constant([4, 5]))[0],
    }
    with tf.Session() as sess:
        out = sess.run(ops, feed_dict={p: p_data})
    for name, tensor in ops.items():
        shape = tensor.get_shape()
        out[f"{name}_static_shape"] = None if shape.ndims is None else shape.as_list()
        out[f"{name}_dtype"] = tensor.dtype.name
    return out
