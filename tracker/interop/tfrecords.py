"""The TFRecord framing of TensorBoard event files, read from a byte offset.

A record is its length (uint64, little-endian), the masked CRC-32C of those 8
bytes, the data, and the masked CRC-32C of the data. tensorboard's own pure-Python
reader (compat.tensorflow_stub) checks CRCs at about 35 us a record, cannot start
at an offset and stops at the first damaged record; this one starts anywhere,
checks CRCs with google-crc32c, and reports a damaged record by its offset and
goes on after it. The records' contents are parsed by tensorboard's protobufs.

Intact records come in batches (``Records.batches``): the Python loop only follows the
chain of lengths, and the data's CRCs are computed and compared for a whole batch at once.
"""

import struct
from dataclasses import dataclass

import google_crc32c
import numpy as np

_HEADER = struct.Struct("<QI")
_FOOTER = struct.Struct("<I")
_LENGTH = struct.Struct("<Q")
#: The largest record read: TensorBoard's writers never come near it, a damaged length may.
MAX_RECORD_BYTES = 1 << 30


def masked_crc(data):
    """TFRecord's masked CRC-32C of ``data``."""
    crc = google_crc32c.value(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


@dataclass
class BadRecord:
    """A damaged record at byte ``offset``; ``truncated`` when the file ends inside it."""

    offset: int
    reason: str
    truncated: bool = False


class Records:
    """The records of one event file from byte ``offset`` on.

    Iterating yields ``(offset, data)`` for each intact record and a BadRecord for each
    damaged one; ``batches()`` yields the intact ones as lists, ``(offsets, datas)``. A
    record whose length fails its CRC is skipped by searching for the next intact header;
    a truncated last record ends the file. Afterwards (once iterating ends) ``offset`` is
    where a later read starts: the end of the file, or the truncated record, which the
    writer may yet finish. The file is read in chunks of CHUNK_BYTES, and records are
    cut from memory: two file reads a record would cost more than the rest of the import.
    """

    CHUNK_BYTES = 16 << 20

    def __init__(self, path, offset=0):
        self.path = path
        self.offset = offset

    def __iter__(self):
        for item in self.batches():
            if type(item) is BadRecord:
                yield item
            else:
                yield from zip(*item)

    def batches(self):
        """``(offsets, datas)`` of consecutive intact records, and a BadRecord for each damaged one."""
        header, footer, crc = _HEADER.unpack_from, _FOOTER.unpack_from, google_crc32c.value
        with open(self.path, "rb") as file:
            file.seek(self.offset)
            buf, base, pos = b"", self.offset, 0  # buf holds the file from byte base; pos is in buf
            try:
                while True:
                    avail = len(buf) - pos
                    need = 12
                    if avail >= 12:
                        starts, datas, after = _intact(buf, pos)
                        if datas:
                            yield [base + start for start in starts], datas
                            pos = after
                            continue
                        # the record at pos is damaged or not all in buf: one at a time
                        length, length_crc = header(buf, pos)
                        need = 16 + length
                        end = pos + 12 + length
                        if avail >= need:
                            # The hot path checks the data's CRC only (inlined): a damaged length
                            # almost surely fails it too, and is then told apart below.
                            data = buf[pos + 12:end]
                            c = crc(data)
                            if ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF \
                                    == footer(buf, end)[0]:
                                yield [base + pos], [data]
                                pos = end + 4
                                continue
                        if masked_crc(buf[pos:pos + 8]) != length_crc or length > MAX_RECORD_BYTES:
                            found = _next_header(file, base + pos + 1)
                            skipped = "the rest of the file" if found is None else f"{found - base - pos} bytes"
                            yield BadRecord(base + pos, "corrupt record length (its CRC does not match); "
                                                        f"{skipped} skipped")
                            base = file.seek(0, 2) if found is None else file.seek(found)
                            buf, pos = b"", 0
                            continue
                        if avail >= need:
                            yield BadRecord(base + pos, "corrupt record data (its CRC does not match); "
                                                        "record skipped")
                            pos = end + 4
                            continue
                    more = file.read(max(self.CHUNK_BYTES, need - avail))
                    if more:
                        buf, base, pos = buf[pos:] + more, base + pos, 0
                    elif avail:
                        where = "header" if avail < 12 else "data"
                        yield BadRecord(base + pos, f"truncated record (the file ends inside its {where})", True)
                        return
                    else:
                        return
            finally:
                self.offset = base + pos


def _intact(buf, pos):
    """(starts, datas, end) of the intact records in ``buf`` from ``pos`` on, up to the first
    damaged or incomplete one, their CRCs checked all at once."""
    starts, at = _chain(buf, pos)
    if not starts:
        return [], [], pos
    first = np.array(starts, np.int64)
    ends = np.append(first[1:], at) - 4  # where each one's data ends and its CRC starts
    datas = list(map(buf.__getitem__, map(slice, (first + 12).tolist(), ends.tolist())))
    crcs = np.fromiter(map(google_crc32c.value, datas), np.uint64, len(datas))
    masked = ((((crcs >> 15) | (crcs << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF
    stored = np.frombuffer(buf, np.uint8)[ends[:, None] + np.arange(4)].copy().view("<u4")[:, 0]
    bad = np.flatnonzero(masked != stored)
    if len(bad):  # a damaged record, or a damaged length that led the chain astray
        k = int(bad[0])
        return starts[:k], datas[:k], starts[k]
    return starts, datas, at


def _chain(buf, pos):
    """The starts of the records that follow one another from ``pos`` by their lengths and end
    within ``buf``, and where the last one ends. Where records are back to back, numpy finds
    them: the likely headers (a length below 4 GiB before data that starts as an event
    does, with wall_time's tag) whose length leads to the next likely one. Elsewhere (an
    event without a wall time, data that looks like a header) the chain goes one record
    at a time. Either way each start is where the previous record's length leads."""
    size = len(buf)
    u8 = np.frombuffer(buf, np.uint8)
    likely = pos + np.flatnonzero(u8[pos + 12:size - 3] == 0x09)  # a start p needs p + 16 <= size
    head = u8[likely[:, None] + np.arange(8)]
    small = ~head[:, 4:].any(axis=1)
    likely, head = likely[small], head[small, :4].astype(np.int64)
    after = likely + 16 + (head[:, 0] | head[:, 1] << 8 | head[:, 2] << 16 | head[:, 3] << 24)
    # the last index of each run of likely starts, each of which leads to the next one
    breaks = np.append(np.flatnonzero(after[:-1] != likely[1:]), len(likely) - 1)
    length = _LENGTH.unpack_from
    runs, at = [], pos
    while at + 12 <= size:
        i = int(np.searchsorted(likely, at))
        if i < len(likely) and likely[i] == at:
            j = int(breaks[np.searchsorted(breaks, i)])
            if after[j] > size:  # the last one does not end in buf
                runs.append(likely[i:j])
                at = int(likely[j])
                break
            runs.append(likely[i:j + 1])
            at = int(after[j])
        else:
            end = at + 16 + length(buf, at)[0]
            if end > size:
                break
            runs.append([at])
            at = end
    starts = np.concatenate(runs).tolist() if runs else []
    return starts, at


def _next_header(file, start, chunk=1 << 20):
    """The offset of the next position at or after ``start`` holding an intact record header."""
    while True:
        file.seek(start)
        window = file.read(chunk + 11)
        if len(window) < 12:
            return None
        for i in range(len(window) - 11):
            if _HEADER.unpack_from(window, i)[1] == masked_crc(window[i:i + 8]):
                return start + i
        start += chunk
