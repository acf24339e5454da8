"""add_image, add_images and add_figure: the PNG read back holds the pixels logged."""

import numpy as np
import pytest

import tracker
from tracker.image import decode_png


@pytest.fixture
def logdir(tmp_path):
    return tmp_path / "runs"


def read_image(logdir, tag, step=0):
    with tracker.open_run(logdir, "a") as run:
        found = run.image(tag, step)
    return found, decode_png(found["png"])


def test_uint8_chw_image_round_trips_pixel_for_pixel(logdir):
    pixels = np.random.default_rng(1).integers(0, 256, size=(3, 5, 7), dtype=np.uint8)
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_image("sample", pixels, 2, walltime=50.0)
    meta, back = read_image(logdir, "sample", 2)
    assert {k: meta[k] for k in ("step", "wall_time", "width", "height", "channels", "samples",
                                 "columns")} == {"step": 2, "wall_time": 50.0, "width": 7,
                                                 "height": 5, "channels": 3, "samples": 1,
                                                 "columns": 1}
    assert np.array_equal(back, pixels.transpose(1, 2, 0))


@pytest.mark.parametrize("shape, dataformats, channels", [
    ((4, 6), "HW", 1), ((4, 6, 1), "HWC", 1), ((1, 4, 6), "CHW", 1), ((4, 6, 4), "HWC", 4),
    ((6, 4), "WH", 1)])
def test_float_images_in_0_1_are_scaled_as_pytorch_does(logdir, shape, dataformats, channels):
    image = np.random.default_rng(2).uniform(-0.2, 1.2, size=shape).astype(np.float32)
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_image("x", image, 0, dataformats=dataformats)
    meta, back = read_image(logdir, "x")
    expected = (np.clip(image * 255, 0, 255)).astype(np.uint8)
    order = {"HW": (0, 1), "HWC": (0, 1, 2), "CHW": (1, 2, 0), "WH": (1, 0)}[dataformats]
    expected = expected.transpose(order).reshape(4, 6, channels)
    assert (meta["width"], meta["height"], meta["channels"]) == (6, 4, channels)
    assert np.array_equal(back, expected)


def test_a_batch_is_tiled_eight_to_a_row_and_every_sample_is_kept(logdir):
    batch = np.random.default_rng(3).integers(0, 256, size=(10, 1, 3, 2), dtype=np.uint8)
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_images("batch", batch, 0)
        w.add_images("nhwc", batch.transpose(0, 2, 3, 1), 0, dataformats="NHWC")
    meta, back = read_image(logdir, "batch")
    assert (meta["samples"], meta["columns"], meta["width"], meta["height"]) == (10, 8, 16, 6)
    for i, sample in enumerate(batch):
        row, col = divmod(i, 8)
        assert np.array_equal(back[row * 3:(row + 1) * 3, col * 2:(col + 1) * 2, 0], sample[0])
    assert not back[3:, 4:].any()  # the grid's empty cells
    assert np.array_equal(read_image(logdir, "nhwc")[1], back)


def test_images_lists_steps_without_the_png(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        for step in range(5):
            w.add_image("x", np.full((1, 2, 2), step / 4), step)
    with tracker.open_run(logdir, "a") as run:
        listed = run.images("x")
        latest = run.images("x", max_steps=2)
        with pytest.raises(tracker.TagNotFoundError, match="no image of tag 'x' at step 9"):
            run.image("x", 9)
    assert [m["step"] for m in listed] == [0, 1, 2, 3, 4] and "png" not in listed[0]
    assert [m["step"] for m in latest] == [0, 4]


@pytest.mark.parametrize("call, message", [
    (lambda w: w.add_image("i", np.zeros((4, 4))), r"img_tensor for image 'i' has rank 2 \(shape "
                                                  r"\(4, 4\)\), but dataformats 'CHW' needs rank 3"),
    (lambda w: w.add_images("i", np.zeros((3, 4, 4))), "img_tensor for image 'i' has rank 3"),
    (lambda w: w.add_image("i", np.zeros((2, 4, 4))), "img_tensor for image 'i' has 2 channels"),
    (lambda w: w.add_image("i", np.zeros((0, 4, 3)), dataformats="HWC"), "img_tensor for image 'i' is empty"),
    (lambda w: w.add_image("i", np.zeros((4, 4)), dataformats="HWX"), "dataformats for image 'i' must name"),
    (lambda w: w.add_image("i", np.zeros((1, 4, 4)), dataformats="NHW"), "dataformats for image 'i'"),
    (lambda w: w.add_image("i", "pixels"), "img_tensor for image 'i' must be numbers"),
    (lambda w: w.add_figure("i", 42), "figure for tag 'i' must be"),
    (lambda w: w.add_figure("i", [42]), "figure for tag 'i': a list of figures must hold matplotlib"),
])
def test_bad_images_name_the_tag_and_argument_and_lose_nothing(logdir, call, message):
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_image("i", np.zeros((1, 2, 2)), 0)
        with pytest.raises((ValueError, TypeError), match=message):
            call(w)
        w.add_image("i", np.ones((1, 2, 2)), 1)
    with tracker.open_run(logdir, "a") as run:
        assert [m["step"] for m in run.images("i")] == [0, 1]


def test_matplotlib_figures_are_rendered_to_png_and_closed(logdir):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def make():
        figure = plt.figure(figsize=(2, 1), dpi=50)
        figure.gca().fill_between([0, 1], [1, 1], color="red")
        return figure

    one, kept, pair = make(), make(), [make(), make()]
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_figure("fig", one, 0)
        w.add_figure("kept", kept, 0, close=False)
        w.add_figure("pair", pair, 0)
    assert not plt.fignum_exists(one.number) and plt.fignum_exists(kept.number)
    assert not any(plt.fignum_exists(f.number) for f in pair)
    plt.close(kept)
    meta, back = read_image(logdir, "fig")
    assert (meta["width"], meta["height"], meta["channels"]) == (100, 50, 3)
    assert (back == [255, 0, 0]).all(axis=2).mean() > 0.3  # the red fill is there
    meta, _ = read_image(logdir, "pair")
    assert (meta["samples"], meta["width"], meta["height"]) == (2, 200, 50)


def test_plotly_figures_are_still_stored_as_json(logdir):
    with tracker.SummaryWriter(logdir / "a") as w:
        w.add_figure("plot", {"data": [{"type": "bar", "y": [1, 2]}]}, 0)
    with tracker.open_run(logdir, "a") as run:
        assert run.figures("plot")[0]["figure"]["data"][0]["y"] == [1, 2]
