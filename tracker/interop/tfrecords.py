"""The TFRecord framing of TensorBoard event files, read from a byte offset.

A record is its length (uint64, little-endian), the masked CRC-32C of those 8
bytes, the data, and the masked CRC-32C of the data. tensorboard's own pure-Python
reader (compat.tensorflow_stub) checks CRCs at about 35 us a record, cannot start
at an offset and stops at the first damaged record; this one starts anywhere,
checks CRCs with google-crc32c, and reports a damaged record by its offset and
goes on after it. The records' contents are parsed by tensorboard's protobufs.
"""

import struct
from dataclasses import dataclass

import google_crc32c

_HEADER = struct.Struct("<QI")
_FOOTER = struct.Struct("<I")
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
    damaged one. A record whose length fails its CRC is skipped by searching for the
    next intact header; a truncated last record ends the file. Afterwards ``offset`` is
    where a later read starts: the end of the file, or the truncated record, which the
    writer may yet finish.
    """

    def __init__(self, path, offset=0):
        self.path = path
        self.offset = offset

    def __iter__(self):
        with open(self.path, "rb", buffering=1 << 20) as file:
            file.seek(self.offset)
            read = file.read
            offset = self.offset
            try:
                while True:
                    header = read(12)
                    if not header:
                        return
                    if len(header) < 12:
                        yield BadRecord(offset, "truncated record (the file ends inside its header)", True)
                        return
                    length, length_crc = _HEADER.unpack(header)
                    if masked_crc(header[:8]) != length_crc or length > MAX_RECORD_BYTES:
                        found = _next_header(file, offset + 1)
                        skipped = "the rest of the file" if found is None else f"{found - offset} bytes"
                        yield BadRecord(offset, "corrupt record length (its CRC does not match); "
                                                f"{skipped} skipped")
                        offset = file.seek(0, 2) if found is None else file.seek(found)
                        continue
                    body = read(length + 4)
                    if len(body) < length + 4:
                        yield BadRecord(offset, "truncated record (the file ends inside its data)", True)
                        return
                    data = body[:length]
                    start, offset = offset, offset + 16 + length
                    if masked_crc(data) != _FOOTER.unpack_from(body, length)[0]:
                        yield BadRecord(start, "corrupt record data (its CRC does not match); "
                                               "record skipped")
                    else:
                        yield start, data
            finally:
                self.offset = offset


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
