"""A batch of event records parsed at once into columns: the hot path of ``liteboard import``.

Parsing each record with ``Event.FromString`` and reading its fields costs about 2 us
an event in Python, most of the import. Here the protobuf runtime parses a whole batch
in one call: the records are joined into one message of an *overlay* type whose fields
have the numbers and wire types of Event's wall_time, step and summary (and of its
Summary's value, and of that Summary.Value's tag and simple_value), but are repeated
or, for the messages, merged, so that each field's values come out as one column in
wire order. To tell which record each value came from, a marker is put before every
record: an explicit default of each field (``0``, ``""``) that canonical serialization
never writes, or for simple_value a NaN of a payload no writer uses. Every marker must
be found exactly once per record, so that a column splits into one segment per record;
a batch where that fails (a hand-written default, a DecodeError) is None and is read
event by event.

An event is read here when its segments hold one tag and one simple_value (and at most
one wall_time and step) and its size is that of the canonical serialization of exactly
``Event(wall_time, step, summary=Summary(value=[Value(tag, simple_value)]))``: any other
field, a second summary or value, a padded varint or a field of another wire type would
take bytes that size has no room for. Every other record (the file_version event, graphs,
TF1's events of several values, tensors) is left to the event-by-event path, in
``slow_events``.
"""

from dataclasses import dataclass

import numpy as np
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.message import DecodeError

#: simple_value's marker: a quiet NaN with a payload (float32 bits), and its wire bytes.
_MARK_BITS = 0x7FC0_1EAD
_MARK_FLOAT = _MARK_BITS.to_bytes(4, "little")

_DOUBLE, _FLOAT, _INT64, _STRING, _MESSAGE = 1, 2, 3, 9, 11
_REPEATED, _OPTIONAL = 3, 1


def _empty(number):
    """A length-delimited field ``number`` holding nothing: a marker of a bytes or string field."""
    return bytes([number << 3 | 2, 0])


def _overlay_class():
    """The overlay of Event (see the module docstring), in a pool of its own."""
    package = "liteboard_tb_columns"
    file = descriptor_pb2.FileDescriptorProto(name="liteboard/tb_columns.proto", package=package,
                                              syntax="proto3")

    def message(name, fields):
        proto = file.message_type.add(name=name)
        for field_name, number, kind in fields:
            if kind == _MESSAGE:  # singular: each occurrence merges into one, its fields appended
                proto.field.add(name=field_name, number=number, type=kind, label=_OPTIONAL,
                                type_name=f".{package}.{field_name.title()}Columns")
            else:
                proto.field.add(name=field_name, number=number, type=kind, label=_REPEATED)

    message("ValueColumns", [("tag", 1, _STRING), ("simple_value", 2, _FLOAT)])
    message("SummaryColumns", [("value", 1, _MESSAGE)])
    message("EventColumns", [("wall_time", 1, _DOUBLE), ("step", 2, _INT64), ("summary", 5, _MESSAGE)])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{package}.EventColumns"))


_EventColumns = _overlay_class()
_VALUE_MARK = _empty(1) + b"\x15" + _MARK_FLOAT  # tag "", simple_value the marker NaN
_SUMMARY_MARK = b"\x0a" + bytes([len(_VALUE_MARK)]) + _VALUE_MARK
#: Before each record: wall_time 0.0, step 0, and a summary of one value of markers.
_EVENT_MARK = b"\x09" + bytes(8) + b"\x10\x00" + b"\x2a" + bytes([len(_SUMMARY_MARK)]) + _SUMMARY_MARK
_VARINT_LIMITS = np.array([1 << (7 * k) for k in range(1, 10)], np.uint64)


@dataclass
class Columns:
    """A batch's simple_value scalars in record order: ``event``, the index of each one's
    record; ``tags``, tag names, and ``tag``, each one's index in them; ``step``,
    ``wall_time``, ``value``. ``slow_events``: the indices of the records to read event by event."""

    event: np.ndarray
    tags: list
    tag: np.ndarray
    step: np.ndarray
    wall_time: np.ndarray
    value: np.ndarray
    slow_events: np.ndarray


def _segments(is_mark, n):
    """(entries after each of the ``n`` markers, index of the last of them), or None unless
    exactly ``n`` entries are markers (then they are exactly the ones put in)."""
    starts = np.flatnonzero(is_mark)
    if len(starts) != n or (n and starts[0] != 0):
        return None
    ends = np.append(starts[1:], len(is_mark))
    return ends - starts - 1, ends - 1


def _lengths(column):
    return np.fromiter(map(len, column), np.int64, len(column))


def _varint_size(values):
    """Bytes of each int64 as a protobuf varint (a negative one takes 10)."""
    return 1 + np.searchsorted(_VARINT_LIMITS, values.astype(np.int64).view(np.uint64), "right")


def parse(records):
    """The Columns of ``records`` (a list of event record bytes), or None when the batch must
    be read event by event."""
    n = len(records)
    try:
        events = _EventColumns.FromString(_EVENT_MARK + _EVENT_MARK.join(records))
    except DecodeError:
        return None
    values = events.summary.value
    wall = np.array(events.wall_time, np.float64)
    step = np.array(events.step, np.int64)
    tags = list(values.tag)
    # each tag by its index in ``names``; the marker "" is the first one
    names = {name: i for i, name in enumerate(dict.fromkeys([""] + tags))}
    codes = np.fromiter(map(names.__getitem__, tags), np.int64, len(tags))
    floats = np.array(values.simple_value, np.float64)
    segments = [_segments(wall.view(np.uint64) == 0, n), _segments(step == 0, n),
                _segments(codes == 0, n),
                _segments(floats.astype(np.float32).view(np.uint32) == _MARK_BITS, n)]
    if any(found is None for found in segments):
        return None
    (wall_n, wall_at), (step_n, step_at), (tag_n, tag_at), (float_n, float_at) = segments
    fast = (tag_n == 1) & (float_n == 1) & (wall_n <= 1) & (step_n <= 1)
    event = np.flatnonzero(fast)
    has_wall, has_step = wall_n[event] > 0, step_n[event] > 0
    wall = np.where(has_wall, wall[wall_at[event]], 0.0)
    step = np.where(has_step, step[step_at[event]], 0)
    tag = codes[tag_at[event]]
    # the canonical size of Event(wall_time, step, summary=Summary(value=[Value(tag, simple_value)])):
    # by tag, the summary's; then the wall time's and the step's
    tag_bytes = np.array([len(name.encode("utf-8")) for name in names], np.int64)
    value_size = 1 + _varint_size(tag_bytes) + tag_bytes + 5
    summary_size = 1 + _varint_size(value_size) + value_size
    size = (1 + _varint_size(summary_size) + summary_size)[tag] + has_wall * 9
    size[has_step] += 1 + _varint_size(step[has_step])
    canonical = size == _lengths(records)[event]
    if not canonical.all():
        fast[event[~canonical]] = False
        event, tag, wall, step = event[canonical], tag[canonical], wall[canonical], step[canonical]
    return Columns(event=event, tags=list(names), tag=tag, step=step, wall_time=wall,
                   value=floats[float_at[event]], slow_events=np.flatnonzero(~fast))
