"""A small Keras CNN on MNIST-like synthetic digits, trained with `fit` and the TensorBoard callback.

    python -m examples.keras_mnist_like --optimizer adam --lr 0.01 --epochs 4

Ten classes of 14x14 grey images: each class is a fixed random stroke pattern, drawn shifted
by up to two pixels and under noise, so nothing is downloaded and a convolution has something
to find. Keras's TensorBoard callback writes the runs `<run>/train` and `<run>/validation`
(`epoch_loss`, `epoch_accuracy`, and the model's graph in the train run); the validation run also
gets SAMPLES of its digits as an image batch.
"""

import os

import numpy as np

import engine as tf
from examples import common
from tracker import SummaryWriter

SIZE, CLASSES = 14, 10
SAMPLES = 16
RUNS = ("train", "validation")  # what the TensorBoard callback makes inside the run directory


def make_digits(n, seed):
    """n images [n, 14, 14, 1] in [0, 1] and their labels: a class's template, shifted and noisy."""
    templates = np.random.default_rng(1234).random((CLASSES, SIZE - 4, SIZE - 4)) > 0.6  # fixed classes
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, CLASSES, n)
    images = np.zeros((n, SIZE, SIZE), np.float32)
    shifts = rng.integers(0, 5, (n, 2))
    for image, label, (dy, dx) in zip(images, labels, shifts):
        image[dy:dy + SIZE - 4, dx:dx + SIZE - 4] = templates[label]
    images += 0.3 * rng.standard_normal(images.shape).astype(np.float32)
    return np.clip(images, 0.0, 1.0)[..., None], labels


def build_model():
    layers = tf.keras.layers
    return tf.keras.Sequential([
        layers.Conv2D(8, 3, activation="relu", input_shape=(SIZE, SIZE, 1)),
        layers.MaxPooling2D(),
        layers.Conv2D(16, 3, activation="relu"),
        layers.AveragePooling2D(),
        layers.Flatten(),
        layers.Dense(CLASSES, activation="softmax"),
    ])


def main(argv=None):
    p = common.parser(__doc__.splitlines()[0], lr=0.01, epochs=4, optimizer="adam")
    p.add_argument("--samples", type=int, default=1200, help="training images (default 1200)")
    args = p.parse_args(argv)
    logdir = common.run_dir(p, args, "keras_mnist_like")

    x, y = make_digits(args.samples, args.seed)
    x_val, y_val = make_digits(max(args.samples // 5, 1), args.seed + 1)
    with tf.Graph().as_default():
        tf.set_random_seed(args.seed)
        model = build_model()
        model.compile(common.optimizer(args.optimizer, args.lr), "sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        if not args.quiet:
            model.summary()
        history = model.fit(x, y, batch_size=50, epochs=args.epochs, validation_data=(x_val, y_val),
                            callbacks=[tf.keras.callbacks.TensorBoard(log_dir=logdir)],
                            verbose=0 if args.quiet else 2)
        # a few validation digits, for the Images page (a batch of SAMPLES shown as one grid)
        with SummaryWriter(os.path.join(logdir, "validation")) as writer:
            writer.add_images("digits", x_val[:SAMPLES], args.epochs, dataformats="NHWC")
    result = {k: float(v[-1]) for k, v in history.history.items()}
    print(f"loss = {result['loss']:.4f}  accuracy = {result['accuracy']:.2f}  "
          f"val_accuracy = {result['val_accuracy']:.2f}  -> {logdir}")
    return {**result, "logdir": logdir}


if __name__ == "__main__":
    main()
