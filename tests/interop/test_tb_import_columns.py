"""The import's hot path (tb_columns: a batch of records parsed at once) reads exactly what
Event.FromString reads, record by record, or leaves the record to the event-by-event path."""

import struct

import numpy as np
import pytest

import tracker

from tb_logdirs import WALL, event, simple

tb_import = pytest.importorskip("tracker.interop.tb_import")
from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2  # noqa: E402
from tensorboard.summary.writer.event_file_writer import EventFileWriter  # noqa: E402

from tracker.interop import tb_columns  # noqa: E402
from tracker.interop.tfrecords import Records, masked_crc  # noqa: E402


def field(number, wire, payload):
    """One protobuf field written by hand, as no library would: for non-canonical records."""
    return bytes([number << 3 | wire]) + payload


def varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        out.append(n & 0x7F | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def length_delimited(number, data):
    return field(number, 2, varint(len(data)) + data)


def value_bytes(tag, simple_value):
    return length_delimited(1, tag.encode()) + field(2, 5, struct.pack("<f", simple_value))


def summary_bytes(*values):
    return b"".join(length_delimited(1, v) for v in values)


WALL_FIELD = field(1, 1, struct.pack("<d", WALL))


def records():
    """Canonical records of every kind, then hand-written ones no writer makes."""
    tensor = tensor_pb2.TensorProto(dtype=1, float_val=[3.0])
    tensor.tensor_shape.SetInParent()
    plugin = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars"))
    canonical = [
        event_pb2.Event(wall_time=WALL, file_version="brain.Event:2"),
        event(0, WALL, simple("loss", 1.5)),  # step 0 is not written
        event(1, WALL + 1, simple("loss", 0.0)),
        event(-7, WALL + 2, simple("loss", -1.0)),
        event(2**63 - 1, 0.0, simple("ünï/cödé", 2.0)),  # wall time 0 is not written
        event(5, -0.0, simple("acc", float("nan"))),
        event(6, WALL, simple("loss", 1.0), simple("acc", 0.5)),  # TF1: several values an event
        event(7, WALL, simple("", 3.0)),  # an empty tag: the writer refuses it
        event(8, WALL, summary_pb2.Summary.Value(tag="t", tensor=tensor, metadata=plugin)),
        event(9, WALL, summary_pb2.Summary.Value(tag="h", histo=summary_pb2.HistogramProto(num=1))),
        event(10, WALL, summary_pb2.Summary.Value(tag="m", simple_value=4.0, metadata=plugin)),
        event(11, WALL, summary_pb2.Summary.Value(tag="n", simple_value=4.0, node_name="x")),
        event_pb2.Event(wall_time=WALL, step=12),  # no summary at all
        event(13, WALL),  # an empty summary
        event_pb2.Event(wall_time=WALL, step=14, graph_def=b"\x0a\x00"),
    ]
    by_hand = [
        WALL_FIELD + field(2, 0, varint(20)) + field(2, 0, varint(21))  # a step twice: the last counts
        + length_delimited(5, summary_bytes(value_bytes("dup", 1.0))),
        WALL_FIELD + field(2, 0, varint(22)) + length_delimited(5, summary_bytes(value_bytes("a", 1.0)))
        + length_delimited(5, summary_bytes(value_bytes("b", 2.0))),  # two summaries: merged
        WALL_FIELD + field(2, 0, varint(23)) + length_delimited(5, summary_bytes(
            length_delimited(1, b"x"), field(2, 5, struct.pack("<f", 5.0)))),  # a tag, then a value, apart
        WALL_FIELD + field(2, 0, b"\x98\x80\x00") + length_delimited(5, summary_bytes(value_bytes("pad", 1.0))),
        WALL_FIELD + field(2, 0, varint(24)) + length_delimited(5, summary_bytes(value_bytes("u", 1.0)))
        + field(15, 0, varint(1)),  # an unknown field
        WALL_FIELD + length_delimited(2, varint(25))  # a step of another wire type (packed)
        + length_delimited(5, summary_bytes(value_bytes("p", 1.0))),
        length_delimited(1, struct.pack("<d", WALL)) + field(2, 0, varint(26))  # so a wall time
        + length_delimited(5, summary_bytes(value_bytes("q", 1.0))),
        WALL_FIELD + field(2, 0, varint(27)) + length_delimited(5, summary_bytes(value_bytes("r", 1.0))
                                                               + length_delimited(9, b"")),  # metadata, empty
    ]
    return [e.SerializeToString() for e in canonical] + by_hand


def read_each(data):
    """What Event.FromString reads, if it is one simple_value of a non-empty tag and nothing else."""
    e = event_pb2.Event.FromString(data)
    if e.WhichOneof("what") != "summary" or len(e.summary.value) != 1:
        return None
    (v,) = e.summary.value
    if v.WhichOneof("value") != "simple_value" or not v.tag or v.HasField("metadata") or v.node_name:
        return None
    return v.tag, e.step, e.wall_time, v.simple_value


def check(batch):
    """The hot path's reading of ``batch`` is Event.FromString's, record by record."""
    columns = tb_columns.parse(batch)
    assert columns is not None
    got = {int(i): (columns.tags[t], s, w, v) for i, t, s, w, v in zip(
        columns.event, columns.tag, columns.step.tolist(), columns.wall_time.tolist(),
        columns.value.tolist())}
    slow = set(columns.slow_events.tolist())
    assert slow.isdisjoint(got) and slow | set(got) == set(range(len(batch)))
    for i, data in enumerate(batch):
        if i in got:
            assert str(got[i]) == str(read_each(data)), i  # str: NaN equals NaN, -0.0 is not 0.0
    return got, slow


def test_every_record_is_read_as_event_fromstring_reads_it_or_left_to_it():
    batch = records()
    got, slow = check(batch)
    assert sorted(got) == [1, 2, 3, 4, 5]
    assert str(got[4]) == str(("ünï/cödé", 2**63 - 1, 0.0, 2.0))
    assert str(got[5]) == str(("acc", 5, -0.0, float("nan")))
    # the rest, and each hand-written one (a step twice, two summaries, a tag and a value
    # apart, a padded varint, an unknown field, fields of other wire types, an empty
    # metadata), are Event.FromString's to read
    assert slow == set(range(len(batch))) - {1, 2, 3, 4, 5}


@pytest.mark.parametrize("order", range(5))
def test_any_order_of_records_reads_the_same(order):
    batch = records()
    np.random.default_rng(order).shuffle(batch)
    check(batch)


@pytest.mark.parametrize("bad", [
    WALL_FIELD + field(2, 0, varint(0)) + length_delimited(5, summary_bytes(value_bytes("z", 1.0))),  # explicit step 0
    field(1, 1, bytes(8)) + length_delimited(5, summary_bytes(value_bytes("z", 1.0))),  # explicit wall 0.0
    WALL_FIELD + length_delimited(5, summary_bytes(
        length_delimited(1, b"z") + field(2, 5, struct.pack("<I", 0x7FC01EAD)))),  # the marker's NaN
    WALL_FIELD + length_delimited(5, summary_bytes(length_delimited(1, b"\xff"))),  # a tag not UTF-8
])
def test_a_batch_whose_markers_cannot_be_told_apart_is_read_event_by_event(bad):
    assert tb_columns.parse(records() + [bad]) is None


def test_an_import_of_every_kind_of_record_reads_as_event_by_event(tmp_path, monkeypatch):
    """The same logdir imported with the hot path and with it turned off: the same runs."""
    directory = tmp_path / "tb" / "r"
    directory.mkdir(parents=True)
    chunks = []
    for data in records():
        header = struct.pack("<Q", len(data))
        chunks.append(header + struct.pack("<I", masked_crc(header)) + data
                      + struct.pack("<I", masked_crc(data)))
    (directory / "events.out.tfevents.1.host").write_bytes(b"".join(chunks))
    fast = tb_import.import_logdir(tmp_path / "tb", tmp_path / "fast")
    monkeypatch.setattr(tb_columns, "parse", lambda batch: None)
    slow = tb_import.import_logdir(tmp_path / "tb", tmp_path / "slow")
    assert fast.summary() == slow.summary()
    assert fast.problems == slow.problems and len(fast.problems) == 3  # two empty tags, an empty histogram
    values = []
    for logdir in ("fast", "slow"):
        with tracker.open_run(tmp_path / logdir, "r") as run:
            tags = sorted(run.info().tags)
            values.append({tag: str(run.scalars(tag)) for tag in tags if run.info().tags[tag].kind == "scalar"})
    assert values[0] == values[1] and "ünï/cödé" in values[0]


def test_records_that_break_the_numpy_chain_read_the_same(tmp_path):
    """An event without a wall time, and data that looks like a record header, between records."""
    writer = EventFileWriter(str(tmp_path))
    looks_like_a_header = struct.pack("<Q", 1) + b"\x09"
    for step in range(50):
        writer.add_event(event(step, WALL + step, simple("loss", step)))
        writer.add_event(event(step, 0.0, simple(looks_like_a_header.decode("latin-1"), step)))
    writer.close()
    (path,) = tmp_path.iterdir()
    assert len(list(Records(path))) == 101
    offsets = [record[0] for record in Records(path)]
    one_by_one, at = [], 0
    data = path.read_bytes()
    while at < len(data):
        one_by_one.append(at)
        at += 16 + struct.unpack_from("<Q", data, at)[0]
    assert offsets == one_by_one


@pytest.mark.parametrize("last", ["plain", "several"])
def test_a_step_logged_again_keeps_the_value_last_in_the_file(tmp_path, last):
    """Plain events come in bulk and others one by one, still in file order."""
    writer = EventFileWriter(str(tmp_path / "tb" / "r"))
    several = event(3, WALL + 1, simple("loss", 2.0), simple("acc", 0.5))
    plain = [event(3, WALL, simple("loss", 1.0)), event(4, WALL, simple("loss", 4.0))]
    for e in ([several] + plain if last == "plain" else plain + [several]):
        writer.add_event(e)
    writer.close()
    tb_import.import_logdir(tmp_path / "tb", tmp_path / "lb")
    with tracker.open_run(tmp_path / "lb", "r") as run:
        assert run.scalars("loss").value.tolist() == [1.0 if last == "plain" else 2.0, 4.0]
