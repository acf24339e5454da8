"""tf.keras on the engine: fit gives the same numbers as the same graph built by hand, names as
Keras gives them, the functional Model, weights saved and loaded, the TensorBoard callback's
runs read back through the tracker, and the errors of misuse."""

import numpy as np
import pytest

import engine as tf
import tracker

K1 = np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3)
K2 = np.linspace(1, -0.5, 6, dtype=np.float32).reshape(3, 2)


def data(n=30):
    rng = np.random.RandomState(3)
    x = rng.randn(n, 4).astype(np.float32)
    return x, np.stack([x[:, 0] - x[:, 1], x[:, 2] * 0.5], axis=1).astype(np.float32)


def keras_model():
    model = tf.keras.Sequential([
        tf.keras.layers.Dense(3, activation="relu", input_shape=(4,), kernel_initializer=tf.constant_initializer(K1)),
        tf.keras.layers.Dense(2, kernel_initializer=tf.constant_initializer(K2))])
    model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    return model


def test_fit_matches_the_same_steps_built_by_hand():
    x, y = data()
    history = keras_model().fit(x, y, batch_size=10, epochs=3, shuffle=False, verbose=0)

    tf.reset_default_graph()
    X, Y = tf.placeholder(tf.float32, [None, 4]), tf.placeholder(tf.float32, [None, 2])
    w1, b1 = tf.Variable(K1), tf.Variable(np.zeros(3, np.float32))
    w2, b2 = tf.Variable(K2), tf.Variable(np.zeros(2, np.float32))
    out = tf.matmul(tf.nn.relu(tf.matmul(X, w1) + b1), w2) + b2
    loss = tf.reduce_mean(tf.reduce_mean(tf.square(out - Y), axis=-1))
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    epochs = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            epochs.append(np.mean([sess.run([step, loss], {X: x[i:i + 10], Y: y[i:i + 10]})[1]
                                   for i in range(0, 30, 10)]))
    np.testing.assert_allclose(history.history["loss"], epochs, rtol=1e-6)


def test_names_shapes_summary_and_prediction():
    model = keras_model()
    assert [w.name for w in model.weights] == ["dense/kernel:0", "dense/bias:0", "dense_1/kernel:0",
                                               "dense_1/bias:0"]
    assert model.outputs[0].name == "dense_1/BiasAdd:0"
    lines = []
    model.summary(print_fn=lines.append)
    assert lines[0] == 'Model: "sequential"'
    assert " dense (Dense)               (None, 3)                 15        " in lines  # as tf_keras pads it
    assert "Total params: 23 (92.00 Byte)" in lines and "Non-trainable params: 0 (0.00 Byte)" in lines
    x, _ = data(5)
    expected = np.maximum(x @ K1, 0) @ K2
    np.testing.assert_allclose(model.predict(x, batch_size=2), expected, rtol=1e-5, atol=1e-6)


def test_a_functional_model_with_dropout_and_batch_norm_follows_the_learning_phase():
    inputs = tf.keras.Input(shape=(4,))
    hidden = tf.keras.layers.Dense(8, activation="relu")(inputs)
    hidden = tf.keras.layers.BatchNormalization(momentum=0.5)(hidden)
    hidden = tf.keras.layers.Dropout(0.5)(hidden)
    outputs = tf.keras.layers.Dense(3, activation="softmax")(hidden)
    model = tf.keras.Model(inputs, outputs)
    x = np.random.randn(40, 4).astype(np.float32)
    y = np.random.randint(0, 3, 40)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    before = model.session.run(tf.global_variables()[4])  # moving_mean
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert set(history.history) == {"loss", "accuracy"}
    assert not np.array_equal(model.session.run(tf.global_variables()[4]), before)  # fit trained BN
    np.testing.assert_array_equal(model.predict(x), model.predict(x))  # no dropout when predicting
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert 0 <= accuracy <= 1 and loss > 0


def test_the_same_layer_twice_shares_its_weights():
    layer = tf.keras.layers.Dense(2, kernel_initializer="ones")
    a, b = tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.float32, [None, 3])
    first, second = layer(a), layer(b)
    assert [w.name for w in layer.weights] == ["dense/kernel:0", "dense/bias:0"]
    assert (first.name, second.name) == ("dense/BiasAdd:0", "dense_1/BiasAdd:0")


def test_save_and_load_weights(tmp_path):
    x, y = data()
    model = keras_model()
    model.fit(x, y, epochs=2, verbose=0)
    model.save_weights(str(tmp_path / "weights"))
    tf.reset_default_graph()
    other = keras_model()
    other.load_weights(str(tmp_path / "weights"))
    np.testing.assert_array_equal(other.predict(x), model.predict(x))
    for a, b in zip(other.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_the_tensorboard_callback_writes_keras_runs_and_tags(tmp_path):
    x, y = data(40)
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(4,), activation="softmax")])
    model.compile("sgd", "categorical_crossentropy", metrics=["accuracy"])
    labels = np.eye(2, dtype=np.float32)[(y[:, 0] > 0).astype(int)]
    history = model.fit(x, labels, epochs=3, validation_split=0.25, verbose=0,
                        callbacks=[tf.keras.callbacks.TensorBoard(log_dir=str(tmp_path))])
    assert sorted(run.name for run in tracker.list_runs(str(tmp_path))) == ["train", "validation"]
    with tracker.open_run(str(tmp_path), "train") as run:
        np.testing.assert_allclose(run.scalars("epoch_loss").value, history.history["loss"], rtol=1e-6)
        assert run.scalars("epoch_accuracy").step.tolist() == [0, 1, 2]
        assert any(node["name"] == "dense/kernel" for node in run.graph()["nodes"])
    with tracker.open_run(str(tmp_path), "validation") as run:
        np.testing.assert_allclose(run.scalars("epoch_loss").value, history.history["val_loss"], rtol=1e-6)


def test_fit_prints_keras_progress(capsys):
    x, y = data(20)
    keras_model().fit(x, y, batch_size=10, epochs=1, verbose=1)
    out = capsys.readouterr().out
    assert out.startswith("Epoch 1/1\n")
    assert "10/20 [==============>...............] - ETA:" in out
    assert out.rstrip().split("\r")[-1].startswith("20/20 [==============================] - ")
    assert " - loss: " in out


@pytest.mark.parametrize("call, error, message", [
    (lambda m: m.compile("sgd"), ValueError, "compile needs a loss"),
    (lambda m: m.compile("sgdd", "mse"), ValueError, "Unknown optimizer: 'sgdd'"),
    (lambda m: m.compile("sgd", "msee"), ValueError, "Unknown loss: 'msee'"),
    (lambda m: m.compile("sgd", "mse", metrics=["auc"]), ValueError, "Unknown metric: 'auc'"),
    (lambda m: m.fit(np.zeros((2, 4)), np.zeros((2, 2))), RuntimeError, "You must compile your model before"),
    (lambda m: m.add(3), TypeError, "The added layer must be an instance of class Layer. Found: 3"),
])
def test_misuse_is_named(call, error, message):
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(4,))])
    with pytest.raises(error, match=message):
        call(model)


def test_fit_checks_sample_counts_and_unbuilt_models():
    model = keras_model()
    with pytest.raises(ValueError, match="Found 3 input samples and 2 target samples"):
        model.fit(np.zeros((3, 4)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="This model has not yet been built"):
        tf.keras.Sequential([tf.keras.layers.Dense(2)]).compile("sgd", "mse")


# -- convolution and pooling layers ---------------------------------------------------------

def keras_cnn(kernel=None):
    init = {} if kernel is None else {"kernel_initializer": tf.constant_initializer(kernel)}
    return tf.keras.Sequential([
        tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(12, 12, 1), **init),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(4, (3, 3), strides=1, padding="same"),
        tf.keras.layers.AveragePooling2D(pool_size=2, strides=1, padding="valid"),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(3, activation="softmax"),
    ])


# tf_keras 2.21's summary() of the same model, line for line
CNN_SUMMARY = [
    'Model: "sequential"', "_" * 65, " Layer (type)                Output Shape              Param #   ", "=" * 65,
    " conv2d (Conv2D)             (None, 10, 10, 8)         80        ", " " * 65,
    " max_pooling2d (MaxPooling2  (None, 5, 5, 8)           0         ",
    " D)                                                              ", " " * 65,
    " conv2d_1 (Conv2D)           (None, 5, 5, 4)           292       ", " " * 65,
    " average_pooling2d (Average  (None, 4, 4, 4)           0         ",
    " Pooling2D)                                                      ", " " * 65,
    " flatten (Flatten)           (None, 64)                0         ", " " * 65,
    " dense (Dense)               (None, 3)                 195       ", " " * 65, "=" * 65,
    "Total params: 567 (2.21 KB)", "Trainable params: 567 (2.21 KB)", "Non-trainable params: 0 (0.00 Byte)",
    "_" * 65]


def test_conv_and_pooling_layers_are_named_and_shaped_and_summarised_as_tf_keras():
    model = keras_cnn()
    assert [w.name for w in model.weights] == ["conv2d/kernel:0", "conv2d/bias:0", "conv2d_1/kernel:0",
                                               "conv2d_1/bias:0", "dense/kernel:0", "dense/bias:0"]
    assert [(layer.name, layer.output_shape) for layer in model.layers] == [
        ("conv2d", (None, 10, 10, 8)), ("max_pooling2d", (None, 5, 5, 8)), ("conv2d_1", (None, 5, 5, 4)),
        ("average_pooling2d", (None, 4, 4, 4)), ("flatten", (None, 64)), ("dense", (None, 3))]
    ops = {op.name: op.type for op in tf.get_default_graph().get_operations()}
    assert [ops[n] for n in ("conv2d/Conv2D", "conv2d/BiasAdd", "conv2d/Relu", "max_pooling2d/MaxPool",
                             "conv2d_1/Conv2D", "average_pooling2d/AvgPool", "flatten/Reshape")] == [
        "Conv2D", "BiasAdd", "Relu", "MaxPool", "Conv2D", "AvgPool", "Reshape"]
    lines = []
    model.summary(print_fn=lines.append)
    assert lines == CNN_SUMMARY


def test_conv_and_pooling_layers_compute_what_numpy_does():
    rng = np.random.RandomState(0)
    kernel = rng.randn(3, 3, 2, 4).astype(np.float32)
    x = rng.randn(2, 6, 6, 2).astype(np.float32)
    inputs = tf.keras.Input(shape=(6, 6, 2))
    conv = tf.keras.layers.Conv2D(4, 3, kernel_initializer=tf.constant_initializer(kernel),
                                  bias_initializer=tf.constant_initializer(0.5))(inputs)
    pooled_max = tf.keras.layers.MaxPooling2D(2)(conv)
    pooled_mean = tf.keras.layers.AveragePooling2D(2, strides=2)(conv)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, got_max, got_mean = sess.run([conv, pooled_max, pooled_mean], {inputs: x})
    windows = np.lib.stride_tricks.sliding_window_view(x, (3, 3), axis=(1, 2))  # [2, 4, 4, 2, 3, 3]
    expected = np.einsum("bhwcij,ijcf->bhwf", windows, kernel) + 0.5
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    blocks = expected.reshape(2, 2, 2, 2, 2, 4)
    np.testing.assert_allclose(got_max, blocks.max(axis=(2, 4)), rtol=1e-6)
    np.testing.assert_allclose(got_mean, blocks.mean(axis=(2, 4)), rtol=1e-5)


def test_a_cnn_fits_as_the_same_graph_built_by_hand():
    rng = np.random.RandomState(1)
    x = rng.rand(16, 12, 12, 1).astype(np.float32)
    y = rng.randint(0, 3, 16)
    tf.set_random_seed(5)
    model = keras_cnn()
    model.compile(tf.keras.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
    start = model.session.run(model.weights)
    history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)

    tf.reset_default_graph()
    X, Y = tf.placeholder(tf.float32, [None, 12, 12, 1]), tf.placeholder(tf.int64, [None])
    k1, b1, k2, b2, k3, b3 = (tf.Variable(w) for w in start)
    h = tf.nn.relu(tf.nn.conv2d(X, k1, [1, 1, 1, 1], "VALID") + b1)
    h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    h = tf.nn.conv2d(h, k2, [1, 1, 1, 1], "SAME") + b2
    h = tf.nn.avg_pool(h, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    probabilities = tf.nn.softmax(tf.matmul(tf.reshape(h, [-1, 64]), k3) + b3)
    picked = tf.reduce_sum(probabilities * tf.one_hot(Y, 3), axis=1)
    loss = -tf.reduce_mean(tf.log(tf.clip_by_value(picked, 1e-7, 1 - 1e-7)))
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    epochs = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(2):
            epochs.append(np.mean([sess.run([step, loss], {X: x[i:i + 8], Y: y[i:i + 8]})[1] for i in (0, 8)]))
    np.testing.assert_allclose(history.history["loss"], epochs, rtol=1e-5)


@pytest.mark.parametrize("make, message", [
    (lambda: tf.keras.layers.Conv2D(8, 3)(tf.placeholder(tf.float32, [None, 5, 5])),
     r'Input 0 of layer "conv2d" is incompatible with the layer: expected ndim=4, found ndim=3. '
     r"Full shape received: \(None, 5, 5\)"),
    (lambda: tf.keras.layers.MaxPooling2D()(tf.placeholder(tf.float32, [None, 5])),
     r'Input 0 of layer "max_pooling2d" is incompatible with the layer: expected ndim=4, found ndim=2'),
    (lambda: tf.keras.layers.Conv2D(8, 3, padding="full"),
     r'The `padding` argument must be a list/tuple or one of "valid", "same" .* Received: full'),
    (lambda: tf.keras.layers.Conv2D(8, (3, 3, 3)),
     r"The `kernel_size` argument must be a tuple of 2 integers. Received: \(3, 3, 3\)"),
    (lambda: tf.keras.layers.AveragePooling2D(strides=(1, 2, 3)),
     r"The `strides` argument must be a tuple of 2 integers. Received: \(1, 2, 3\)"),
])
def test_conv_and_pooling_misuse_is_named(make, message):
    with pytest.raises(ValueError, match=message):
        make()
