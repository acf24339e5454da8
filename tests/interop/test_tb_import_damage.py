"""A damaged TensorBoard event file: each bad record is reported with its file and byte
offset, and every intact record still imports."""

import pytest

import tracker

from tb_logdirs import WALL, event, simple

tb_import = pytest.importorskip("tracker.interop.tb_import")
from tensorboard.summary.writer.event_file_writer import EventFileWriter  # noqa: E402

from tracker.interop.tfrecords import Records  # noqa: E402

STEPS = 20


@pytest.fixture
def events_file(tmp_path):
    """A run "r" of 20 loss values; returns its event file and each record's offset."""
    writer = EventFileWriter(str(tmp_path / "tb" / "r"))
    for step in range(STEPS):
        writer.add_event(event(step, WALL + step, simple("loss", step + 0.5)))
    writer.close()
    (path,) = (tmp_path / "tb" / "r").iterdir()
    offsets = [record[0] for record in Records(path)]  # the file_version record, then one per step
    return path, offsets


def steps(logdir):
    with tracker.open_run(logdir, "r") as run:
        return run.scalars("loss").step.tolist()


def damage(path, offset):
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_corrupt_record_is_named_by_file_and_offset_and_the_rest_imports(tmp_path, events_file):
    path, offsets = events_file
    bad = offsets[6]  # the record of step 5
    damage(path, bad + 14)  # a byte of its data
    report = tb_import.import_logdir(tmp_path / "tb", tmp_path / "lb")
    assert report.problems == [f"{path}: byte {bad}: corrupt record data (its CRC does not match); "
                               "record skipped"]
    assert steps(tmp_path / "lb") == [s for s in range(STEPS) if s != 5]


def test_a_corrupt_length_is_skipped_up_to_the_next_intact_record(tmp_path, events_file):
    path, offsets = events_file
    bad = offsets[3]
    damage(path, bad + 2)  # a byte of its length
    report = tb_import.import_logdir(tmp_path / "tb", tmp_path / "lb")
    assert report.problems == [f"{path}: byte {bad}: corrupt record length (its CRC does not "
                               f"match); {offsets[4] - bad} bytes skipped"]
    assert steps(tmp_path / "lb") == [s for s in range(STEPS) if s != 2]


def test_a_truncated_last_record_imports_once_the_writer_finishes_it(tmp_path, events_file):
    path, offsets = events_file
    whole = path.read_bytes()
    path.write_bytes(whole[:offsets[-1] + 20])
    report = tb_import.import_logdir(tmp_path / "tb", tmp_path / "lb")
    assert report.problems == [f"{path}: byte {offsets[-1]}: truncated record (the file ends "
                               "inside its data)"]
    assert steps(tmp_path / "lb") == list(range(STEPS - 1))
    path.write_bytes(whole)
    again = tb_import.import_logdir(tmp_path / "tb", tmp_path / "lb")
    assert again.problems == [] and again.imported == {"scalars": 1}
    assert steps(tmp_path / "lb") == list(range(STEPS))


def test_a_liteboard_run_already_there_is_left_alone(tmp_path, events_file):
    with tracker.SummaryWriter(str(tmp_path / "lb" / "r")) as writer:
        writer.add_scalar("loss", 99.0, 3)
    report = tb_import.import_logdir(tmp_path / "tb", tmp_path / "lb")
    assert report.imported == {} and len(report.problems) == 1
    assert "already holds a liteboard run that was not imported from TensorBoard" in report.problems[0]
    with tracker.open_run(tmp_path / "lb", "r") as run:
        assert run.scalars("loss").value.tolist() == [99.0]


def test_a_missing_tensorboard_logdir_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="TensorBoard logdir '.*nowhere' is not a directory"):
        tb_import.import_logdir(tmp_path / "nowhere", tmp_path / "lb")


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_records_that_straddle_read_chunks_read_the_same(events_file, monkeypatch, chunk):
    path, offsets = events_file
    whole = list(Records(path))
    monkeypatch.setattr(Records, "CHUNK_BYTES", chunk)
    records = Records(path, offsets[2])
    assert list(records) == whole[2:]
    assert records.offset == path.stat().st_size


def test_a_record_that_is_no_event_or_a_tag_the_writer_refuses_is_named(tmp_path):
    from tracker.interop.tfrecords import masked_crc

    writer = EventFileWriter(str(tmp_path / "tb" / "r"))
    writer.add_event(event(0, WALL, simple("", 1.0)))  # TensorBoard writes an empty tag; liteboard refuses it
    writer.add_event(event(1, WALL + 1, simple("loss", 2.0)))
    writer.close()
    (path,) = (tmp_path / "tb" / "r").iterdir()
    garbage = b"\xff\xff\xff"
    length = len(garbage).to_bytes(8, "little")
    with open(path, "ab") as file:
        file.write(length + masked_crc(length).to_bytes(4, "little") + garbage
                   + masked_crc(garbage).to_bytes(4, "little"))
    offsets = [record[0] for record in Records(path)]
    report = tb_import.import_logdir(tmp_path / "tb", tmp_path / "lb")
    assert report.problems[0] == (f"{path}: byte {offsets[1]}: ValueError: tag must not be empty; "
                                  "record skipped")
    assert report.problems[1].startswith(f"{path}: byte {offsets[3]}: DecodeError: ")
    assert report.problems[1].endswith("; record skipped")
    assert steps(tmp_path / "lb") == [1]


def grow(path, offsets):
    """Append a copy of the record of step 0: the run's event file grew since the last import."""
    with open(path, "ab") as file:
        file.write(path.read_bytes()[offsets[1]:offsets[2]])


def test_an_unreadable_import_record_leaves_its_run_alone(tmp_path, events_file):
    tb_import.import_logdir(tmp_path / "tb", tmp_path / "lb")
    state = tmp_path / "lb" / "r" / tb_import.IMPORT_STATE
    state.write_text("{not json")
    grow(*events_file)
    report = tb_import.import_logdir(tmp_path / "tb", tmp_path / "lb")
    assert len(report.problems) == 1 and report.imported == {}
    assert report.problems[0].startswith(f"{state}: cannot be read (")
    assert report.problems[0].endswith("run 'r' is left as it is (delete that file to import the run again)")


def test_a_run_another_writer_holds_is_named_and_the_other_runs_import(tmp_path, events_file):
    import socket
    import sqlite3
    import time

    writer = EventFileWriter(str(tmp_path / "tb" / "s"))
    writer.add_event(event(0, WALL, simple("acc", 0.5)))
    writer.close()
    tb_import.import_logdir(tmp_path / "tb", tmp_path / "lb")
    grow(*events_file)
    (s_file,) = (tmp_path / "tb" / "s").iterdir()
    grow(s_file, [record[0] for record in Records(s_file)] + [s_file.stat().st_size])
    with sqlite3.connect(tmp_path / "lb" / "r" / "events.sqlite") as conn:  # a live writer holds "r"
        conn.execute("UPDATE run SET status = 'running', pid = 1, host = ?, last_write = ?",
                     (socket.gethostname(), time.time()))
    report = tb_import.import_logdir(tmp_path / "tb", tmp_path / "lb")
    assert len(report.problems) == 1
    assert report.problems[0].startswith("run 'r' was not imported: run ")
    assert "is already being written by pid 1" in report.problems[0]
    assert report.runs == ["s"] and report.imported == {"scalars": 1}
