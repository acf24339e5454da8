"""The names TF1 gives ops and tensors by default, which graph dumps, checkpoints and
TensorBoard show: `tf.add` is `Add` while `x + y` is `add`, uniqueness ignores case, a scope
re-entered by name gets `_1`, variables are `scope/w:0`, and the backward pass sits under
`gradients/`."""

import engine as tf


def main():
    x = tf.constant(1.0)
    y = tf.constant(2.0)
    v = tf.Variable(3.0)
    names = [x.name, y.name, v.name,
             tf.add(x, y).name, (x + y).name,
             tf.multiply(x, y).name, (x * y).name,
             tf.subtract(x, y).name, (x - y).name,
             tf.divide(x, y).name, (x / y).name,
             tf.matmul([[1.0]], [[2.0]]).name,
             tf.reduce_sum(x).name, tf.reduce_mean(x).name,
             tf.square(x).name, tf.sqrt(x).name, tf.exp(x).name,
             tf.nn.relu(x).name, tf.sigmoid(x).name, tf.tanh(x).name,
             tf.cast(x, tf.int32).name, tf.identity(x).name, tf.reshape(x, [1]).name,
             tf.placeholder(tf.float32).name, (-x).name, tf.maximum(x, y).name,
             tf.pow(x, y).name, (x ** y).name, tf.abs(x).name, tf.equal(x, y).name,
             (x < y).name, tf.argmax([x, y]).name, tf.zeros([2]).name, tf.ones([2]).name]
    with tf.name_scope("scope"):
        scoped = [tf.add(x, y).name, (x + y).name]
    with tf.name_scope("scope"):
        scoped.append((x + y).name)
    with tf.variable_scope("scope"):
        w = tf.get_variable("w", shape=[], initializer=tf.zeros_initializer())
        scoped += [w.name, (w * 2.0).name]
    with tf.name_scope("layer1"):
        with tf.name_scope("inner"):
            scoped.append(tf.add(x, 1.0, name="out").name)
        scoped.append(tf.add(x, 1.0, name="out").name)
        scoped.append(tf.add(x, 1.0, name="out").name)
    loss = tf.square(v * x)
    grad = tf.gradients(loss, v)[0]
    optimizer = tf.train.GradientDescentOptimizer(0.1)
    train_op = optimizer.minimize(loss)
    init = tf.global_variables_initializer()
    return {
        "names": names,
        "scoped": scoped,
        "gradient": grad.name,
        "train_op": train_op.name,
        "init": init.name,
        "first_ops": [op.name for op in tf.get_default_graph().get_operations()[:6]],
    }
