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
    writer may yet finish. The file is read in chunks of CHUNK_BYTES, and records are
    cut from memory: two file reads a record would cost more than the rest of the import.
    """

    CHUNK_BYTES = 16 << 20

    def __init__(self, path, offset=0):
        self.path = path
        self.offset = offset

    def __iter__(self):
        header, footer, crc = _HEADER.unpack_from, _FOOTER.unpack_from, google_crc32c.value
        with open(self.path, "rb") as file:
            file.seek(self.offset)
            buf, base, pos = b"", self.offset, 0  # buf holds the file from byte base; pos is in buf
            try:
                while True:
                    avail = len(buf) - pos
                    need = 12
                    if avail >= 12:
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
                                yield base + pos, data
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
