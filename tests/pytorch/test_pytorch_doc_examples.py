"""Every method of PyTorch's SummaryWriter called as PyTorch's own documentation calls it
(its examples, written with numpy instead of torch), and what liteboard stores of each, or
the one clear error of what it does not support yet."""

import keyword

import numpy as np
import pytest

import tracker


@pytest.fixture
def run_dir(tmp_path):
    return tmp_path / "runs" / "exp"


def opened(run_dir):
    return tracker.open_run(run_dir.parent, run_dir.name)


def test_add_scalar_example(run_dir):
    writer = tracker.SummaryWriter(run_dir)
    x = range(100)
    for i in x:
        writer.add_scalar('y=2x', i * 2, i)
    writer.close()
    with opened(run_dir) as run:
        series = run.scalars("y=2x")
        assert series.step.tolist() == list(range(100))
        assert series.value.tolist() == [2.0 * i for i in range(100)]


def test_add_scalars_example(run_dir):
    writer = tracker.SummaryWriter(run_dir)
    r = 5
    for i in range(100):
        writer.add_scalars('run_14h', {'xsinx': i * np.sin(i / r),
                                       'xcosx': i * np.cos(i / r),
                                       'tanx': np.tan(i / r)}, i)
    writer.close()
    with opened(run_dir) as run:
        tags = run.info().tags
        assert {tag: t.chart for tag, t in tags.items()} == {
            "run_14h/xsinx": "run_14h", "run_14h/xcosx": "run_14h", "run_14h/tanx": "run_14h"}
        assert run.scalars("run_14h/tanx").value[7] == pytest.approx(np.tan(7 / r))


def test_add_tensor_example(run_dir):
    writer = tracker.SummaryWriter(run_dir)
    x = np.array([1, 2, 3])
    writer.add_tensor('x', x)
    writer.add_tensor('w', np.arange(6, dtype=np.float32).reshape(2, 3), 4)
    writer.close()
    with opened(run_dir) as run:
        (logged,) = run.tensors("x")
        assert logged["step"] == 0 and logged["tensor"].tolist() == [1, 2, 3]
        (w,) = run.tensors("w")
        assert w["step"] == 4 and w["tensor"].dtype == np.float32 and w["tensor"].shape == (2, 3)


def test_add_histogram_example(run_dir):
    writer = tracker.SummaryWriter(run_dir)
    for i in range(10):
        x = np.random.random(1000)
        writer.add_histogram('distribution centers', x + i, i)
    writer.close()
    with opened(run_dir) as run:
        histograms = run.histograms("distribution centers")
        assert [h.step for h in histograms] == list(range(10))
        assert all(h.count == 1000 and i <= h.min and h.max < i + 1
                   for i, h in enumerate(histograms))


def test_add_histogram_raw_example(run_dir):
    writer = tracker.SummaryWriter(run_dir)
    dummy_data = []
    for idx, value in enumerate(range(50)):
        dummy_data += [idx + 0.001] * value
    bins = list(range(50 + 2))
    bins = np.array(bins)
    values = np.array(dummy_data).astype(float).reshape(-1)
    counts, limits = np.histogram(values, bins=bins)
    sum_sq = values.dot(values)
    writer.add_histogram_raw(
        tag='histogram_with_raw_data',
        min=values.min(),
        max=values.max(),
        num=len(values),
        sum=values.sum(),
        sum_squares=sum_sq,
        bucket_limits=limits[1:].tolist(),
        bucket_counts=counts.tolist(),
        global_step=0)
    writer.close()
    with opened(run_dir) as run:
        (h,) = run.histograms("histogram_with_raw_data")
        assert h.count == len(values) and h.counts.sum() == len(values)
        assert h.sum == pytest.approx(values.sum())


def test_add_image_example(run_dir):
    img = np.zeros((3, 100, 100))
    img[0] = np.arange(0, 10000).reshape(100, 100) / 10000
    img[1] = 1 - np.arange(0, 10000).reshape(100, 100) / 10000
    img_HWC = np.zeros((100, 100, 3))
    img_HWC[:, :, 0] = np.arange(0, 10000).reshape(100, 100) / 10000
    img_HWC[:, :, 1] = 1 - np.arange(0, 10000).reshape(100, 100) / 10000
    writer = tracker.SummaryWriter(run_dir)
    writer.add_image('my_image', img, 0)
    writer.add_image('my_image_HWC', img_HWC, 0, dataformats='HWC')
    writer.close()
    with opened(run_dir) as run:
        assert run.image("my_image", 0)["png"] == run.image("my_image_HWC", 0)["png"]
        assert run.images("my_image")[0]["width"] == 100


def test_add_images_example(run_dir):
    img_batch = np.zeros((16, 3, 100, 100))
    for i in range(16):
        img_batch[i, 0] = np.arange(0, 10000).reshape(100, 100) / 10000 / 16 * i
        img_batch[i, 1] = (1 - np.arange(0, 10000).reshape(100, 100) / 10000) / 16 * i
    writer = tracker.SummaryWriter(run_dir)
    writer.add_images('my_image_batch', img_batch, 0)
    writer.close()
    with opened(run_dir) as run:
        (shown,) = run.images("my_image_batch")
        assert (shown["samples"], shown["columns"], shown["width"], shown["height"]) == (16, 8, 800, 200)


def test_add_image_with_boxes_draws_each_box_in_red(run_dir):
    img = np.zeros((3, 50, 60))
    boxes = np.array([[5, 5, 20, 30], [30, 10, 55, 45]])
    with tracker.SummaryWriter(run_dir) as writer:
        writer.add_image_with_boxes('detections', img, boxes, 0, labels=['cat', 'dog'])
        writer.add_image_with_boxes('scaled', img, boxes[:1], 0, rescale=2)
    from tracker.image import decode_png
    with opened(run_dir) as run:
        pixels = decode_png(run.image("detections", 0)["png"])
        scaled = decode_png(run.image("scaled", 0)["png"])
    assert pixels.shape == (50, 60, 3) and scaled.shape == (100, 120, 3)
    assert pixels[30, 12].tolist() == [255, 0, 0]   # the first box's bottom edge
    assert pixels[25, 55].tolist() == [255, 0, 0]   # the second box's right edge
    assert pixels[20, 40].tolist() == [0, 0, 0]     # inside a box: the image itself
    assert scaled[60, 40].tolist() == [255, 0, 0]   # x2 20 * 2 = 40: the scaled right edge


def test_add_figure_with_a_matplotlib_figure(run_dir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure = plt.figure(figsize=(2, 1), dpi=50)
    plt.plot([1, 2, 3])
    with tracker.SummaryWriter(run_dir) as writer:
        writer.add_figure('curve', figure, 0)
    with opened(run_dir) as run:
        assert (run.images("curve")[0]["width"], run.images("curve")[0]["height"]) == (100, 50)


def test_add_text_example(run_dir):
    with tracker.SummaryWriter(run_dir) as writer:
        writer.add_text('lstm', 'This is an lstm', 0)
        writer.add_text('rnn', 'This is an rnn', 10)
    with opened(run_dir) as run:
        assert [(t["tag"], t["step"], t["text"]) for t in run.texts()] == [
            ("lstm", 0, "This is an lstm"), ("rnn", 10, "This is an rnn")]


def test_add_hparams_example(run_dir):
    with tracker.SummaryWriter(run_dir) as w:
        for i in range(5):
            w.add_hparams({'lr': 0.1 * i, 'bsize': i},
                          {'hparam/accuracy': 10 * i, 'hparam/loss': 10 * i})
    with opened(run_dir) as run:
        assert run.hparams() == {"hparams": {"lr": pytest.approx(0.4), "bsize": 4},
                                 "metrics": {"hparam/accuracy": 40.0, "hparam/loss": 40.0}}


def test_add_pr_curve_example(run_dir):
    labels = np.random.randint(2, size=100)  # binary label
    predictions = np.random.rand(100)
    writer = tracker.SummaryWriter(run_dir)
    writer.add_pr_curve('pr_curve', labels, predictions, 0)
    writer.close()
    with opened(run_dir) as run:
        (curve,) = run.pr_curves("pr_curve")
    assert len(curve["thresholds"]) == 127 and curve["thresholds"][-1] == 1.0
    assert curve["true_positives"][0] == labels.sum() and curve["false_positives"][0] == 100 - labels.sum()
    assert curve["recall"][0] == 1.0 and curve["precision"][0] == labels.mean()


def test_pr_curve_counts_at_each_threshold():
    from tracker import pr_curve, schema
    labels = [1, 1, 0, 0, 1]
    predictions = [0.9, 0.6, 0.7, 0.1, 0.3]
    n, data = pr_curve.curve_columns("pr", labels, predictions, num_thresholds=5)
    tp, fp, tn, fn, precision, recall = np.frombuffer(data, schema.HISTOGRAM_ARRAY).reshape(6, n)
    # thresholds 0, .25, .5, .75, 1; buckets floor(p * 4): 3, 2, 2, 0, 1
    assert tp.tolist() == [3, 3, 2, 1, 0] and fp.tolist() == [2, 1, 1, 0, 0]
    assert tn.tolist() == [0, 1, 1, 2, 2] and fn.tolist() == [0, 0, 1, 2, 3]
    assert precision.tolist() == [0.6, 0.75, 2 / 3, 1.0, 0.0]
    assert recall.tolist() == [1.0, 1.0, 2 / 3, 1 / 3, 0.0]


def test_add_pr_curve_raw(run_dir):
    counts = dict(true_positive_counts=[5, 3, 0], false_positive_counts=[5, 1, 0],
                  true_negative_counts=[0, 4, 5], false_negative_counts=[0, 2, 5],
                  precision=[0.5, 0.75, 1.0], recall=[1.0, 0.6, 0.0])
    with tracker.SummaryWriter(run_dir) as writer:
        writer.add_pr_curve_raw('raw', **counts, global_step=3, num_thresholds=3)
    with opened(run_dir) as run:
        (curve,) = run.pr_curves("raw")
    assert curve["step"] == 3 and curve["thresholds"] == [0.0, 0.5, 1.0]
    assert curve["true_positives"] == [5, 3, 0] and curve["recall"] == [1.0, 0.6, 0.0]


@pytest.mark.parametrize("call, error, message", [
    (lambda w: w.add_pr_curve("pr", [1, 0], [0.5, 1.5]), ValueError,
     r"predictions for PR curve 'pr' must lie in \[0, 1\], got 1.5"),
    (lambda w: w.add_pr_curve("pr", [1, 0, 1], [0.5, 0.5]), ValueError,
     "labels and predictions for PR curve 'pr' must have as many elements, got 3 and 2"),
    (lambda w: w.add_pr_curve("pr", [1], [0.5], num_thresholds=1), ValueError,
     "num_thresholds for PR curve 'pr' must be an int of at least 2, got 1"),
    (lambda w: w.add_pr_curve_raw("pr", [1, 2], [1, 2], [1, 2], [1, 2], [1, 2], [1]), ValueError,
     "for PR curve 'pr' must be 1-D arrays of one length"),
    (lambda w: w.add_image_with_boxes("b", np.zeros((3, 4, 4)), np.zeros((2, 3))), ValueError,
     r"box_tensor for image 'b' must be N x 4 \(x1, y1, x2, y2\), got shape \(2, 3\)"),
    (lambda w: w.add_tensor("t", "text"), TypeError, "tensor for tensor 't' must be numbers"),
    (lambda w: w.add_custom_scalars_marginchart(["a", "b"]), ValueError,
     r"chart 'default/untitled': a Margin chart needs 3 tags \(value, lower, upper\), got 2"),
    (lambda w: w.add_custom_scalars({"c": {"t": ["Pie", ["a"]]}}), ValueError,
     "chart 'c/t': the kind must be 'Multiline' or 'Margin', got 'Pie'"),
])
def test_bad_arguments_name_what_is_wrong_and_lose_nothing(run_dir, call, error, message):
    with tracker.SummaryWriter(run_dir) as writer:
        writer.add_scalar("kept", 1.0, 0)
        with pytest.raises(error, match=message):
            call(writer)
        writer.add_scalar("kept", 2.0, 1)
    with opened(run_dir) as run:
        assert run.scalars("kept").value.tolist() == [1.0, 2.0]


def test_add_custom_scalars_example(run_dir):
    layout = {'Taiwan': {'twse': ['Multiline', ['twse/0050', 'twse/2330']]},
              'USA': {'dow': ['Margin', ['dow/aaa', 'dow/bbb', 'dow/ccc']],
                      'nasdaq': ['Margin', ['nasdaq/aaa', 'nasdaq/bbb', 'nasdaq/ccc']]}}
    with tracker.SummaryWriter(run_dir) as writer:
        writer.add_custom_scalars(layout)
        writer.add_custom_scalars_multilinechart(['twse/0050', 'twse/2330'])
        writer.add_custom_scalars_marginchart(['twse/0050', 'twse/2330', 'twse/2006'],
                                              category="margins", title="band")
    with opened(run_dir) as run:
        assert run.custom_charts() == {
            "Taiwan": {"twse": {"kind": "multiline", "tags": ["twse/0050", "twse/2330"]}},
            "USA": {"dow": {"kind": "margin", "tags": ["dow/aaa", "dow/bbb", "dow/ccc"]},
                    "nasdaq": {"kind": "margin", "tags": ["nasdaq/aaa", "nasdaq/bbb", "nasdaq/ccc"]}},
            "default": {"untitled": {"kind": "multiline", "tags": ["twse/0050", "twse/2330"]}},
            "margins": {"band": {"kind": "margin", "tags": ["twse/0050", "twse/2330", "twse/2006"]}}}


class Module:
    """Looks like a torch.nn.Module to the writer: a forward method, no as_graph_def."""

    def forward(self, x):
        return x


def embedding_example(writer):
    meta = []
    while len(meta) < 100:
        meta = meta + keyword.kwlist  # get some strings
    meta = meta[:100]
    for i, v in enumerate(meta):
        meta[i] = v + str(i)
    label_img = np.random.rand(100, 3, 10, 32)
    writer.add_embedding(np.random.randn(100, 5), metadata=meta, label_img=label_img)


@pytest.mark.parametrize("call, method, instead", [
    (lambda w: w.add_video("v", np.zeros((1, 4, 3, 8, 8)), 0, fps=4), "add_video", "add_images"),
    (lambda w: w.add_audio("a", np.zeros((1, 100)), 0, sample_rate=44100), "add_audio", "add_tensor"),
    (embedding_example, "add_embedding", "add_tensor"),
    (lambda w: w.add_mesh("m", vertices=np.zeros((1, 4, 3)), colors=np.zeros((1, 4, 3)),
                          faces=np.zeros((1, 4, 3))), "add_mesh", "add_tensor"),
    (lambda w: w.add_onnx_graph("model.onnx"), "add_onnx_graph", "add_graph"),
    (lambda w: w.add_graph(Module(), np.zeros((1, 3))), r"add_graph of a torch\.nn\.Module",
     "as_graph_def"),
])
def test_what_is_not_supported_yet_says_so_and_the_writer_keeps_working(run_dir, call, method, instead):
    with tracker.SummaryWriter(run_dir) as writer:
        writer.add_scalar("loss", 1.0, 0)
        with pytest.raises(tracker.UnsupportedError,
                           match=rf"^{method} is not supported by liteboard yet: .*{instead}.*"
                                 "Nothing logged is lost and the writer keeps working"):
            call(writer)
        writer.add_scalar("loss", 0.5, 1)
    with opened(run_dir) as run:
        assert run.scalars("loss").value.tolist() == [1.0, 0.5]
        assert set(run.info().tags) == {"loss"}
    assert issubclass(tracker.UnsupportedError, NotImplementedError)


def test_add_graph_of_a_graph_definition_and_flush_close(run_dir):
    graph_def = {"nodes": [{"name": "x", "op": "Placeholder", "inputs": [], "attrs": {},
                            "dtype": "float32", "shape": [None]}]}
    writer = tracker.SummaryWriter(run_dir)
    writer.add_graph(graph_def)
    writer.flush()
    with opened(run_dir) as run:
        assert run.graph()["nodes"][0]["name"] == "x" and run.info().status == "running"
    writer.close()
    writer.close()  # a second close is a no-op, as PyTorch's
    with opened(run_dir) as run:
        assert run.info().status == "finished"


# -- PyTorch's habits with steps and wall times ------------------------------------------------

class Tensor:
    """A one-element tensor as a step: .item() and __float__, no __index__ (a float tensor)."""

    def __init__(self, value):
        self.value = value

    def item(self):
        return self.value

    def __float__(self):
        return float(self.value)


@pytest.mark.parametrize("step, stored", [
    (2.7, 2), (-1.5, -1), (np.float32(3.99), 3), (np.float64(4.0), 4), (np.int16(5), 5),
    (np.array(6), 6), (np.array(7.5), 7), (Tensor(8), 8), (Tensor(9.9), 9),
])
def test_a_step_is_taken_as_pytorch_takes_it(run_dir, step, stored):
    with tracker.SummaryWriter(run_dir) as writer:
        writer.add_scalar("x", 1.0, step)
        writer.add_text("t", "x", step)
        writer.add_histogram("h", [1.0], step)
    with opened(run_dir) as run:
        assert run.scalars("x").step.tolist() == [stored]
        assert run.texts("t")[0]["step"] == stored and run.histograms("h")[0].step == stored


def test_fractional_epochs_land_on_their_epoch_as_with_pytorch(run_dir):
    n = 4
    with tracker.SummaryWriter(run_dir) as writer:
        for epoch in range(2):
            for i in range(n):
                writer.add_scalar("loss", float(epoch * n + i), epoch + i / n)
    with opened(run_dir) as run:
        series = run.scalars("loss")
    assert series.step.tolist() == [0, 1]  # a step logged again keeps its last value
    assert series.value.tolist() == [3.0, 7.0]


def test_walltime_given_or_not(run_dir):
    import time
    before = time.time()
    with tracker.SummaryWriter(run_dir) as writer:
        writer.add_scalar("x", 1.0, 0, walltime=1234.5)
        writer.add_scalar("x", 2.0, 1)
        writer.add_pr_curve("pr", [1], [0.5], 0, walltime=99.0)
    with opened(run_dir) as run:
        wall = run.scalars("x").wall_time
        assert wall[0] == 1234.5 and before <= wall[1] <= time.time()
        assert run.pr_curves("pr")[0]["wall_time"] == 99.0
