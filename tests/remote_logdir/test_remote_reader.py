"""tracker.remote_reader.RemoteLogdir against a real S3-compatible server (tests/s3_server.py):
object keys that are no clean run path, what a download cut short leaves, the cache's LRU order
kept across a restart, and its arguments checked."""

import time

import pytest

import tracker
from tracker.remote_reader import RemoteLogdir

pytest.importorskip("s3fs", reason="s3fs (liteboard[s3], in the dev extra) reads from S3")
pytest.importorskip("boto3", reason="boto3 (with moto[server], in the dev extra) makes the objects")


def _write(url, steps=1000):
    with tracker.SummaryWriter(url, flush_secs=60) as writer:
        for step in range(steps):
            writer.add_scalar("loss", float(step), step)


def test_keys_that_are_no_clean_run_path_are_passed_over(bucket, tmp_path):
    import boto3

    _write(f"s3://{bucket}/exp/good", steps=3)
    client = boto3.client("s3")
    for key in ("exp/../evil/events.sqlite", "exp/a//b/events.sqlite", "exp/./c/events.sqlite",
                "exp/notes/events.sqlite.bak", "expanded/events.sqlite"):
        client.put_object(Bucket=bucket, Key=key, Body=b"x")
    remote = RemoteLogdir(f"s3://{bucket}/exp", cache_dir=tmp_path / "cache")
    assert sorted(remote.runs()) == ["good"]
    for name in ("../evil", "a//b", "./c", "/etc"):
        with pytest.raises(tracker.RunNotFoundError, match="does not exist in s3://"):
            remote.open_run(name)
    assert remote.fetches == 0
    with remote.open_run("good") as run:
        assert run.scalars("loss").value.tolist() == [0.0, 1.0, 2.0]


def test_a_download_cut_short_is_never_read_and_is_deleted_at_the_next_start(bucket, tmp_path):
    _write(f"s3://{bucket}/exp/a", steps=3)
    remote = RemoteLogdir(f"s3://{bucket}/exp", cache_dir=tmp_path / "cache")
    path = remote.local_copy("a")
    part = path.with_name(f"{path.stem}.123.456.part")
    part.write_bytes(b"half a file")
    RemoteLogdir(f"s3://{bucket}/exp", cache_dir=tmp_path / "cache")
    assert not part.exists() and path.exists()


def test_the_lru_order_survives_a_restart(bucket, tmp_path):
    url = f"s3://{bucket}/exp"
    for name in ("a", "b", "c"):
        _write(f"{url}/{name}")
    first = RemoteLogdir(url, cache_dir=tmp_path / "cache")
    size = first.local_copy("a").stat().st_size
    first.local_copy("b")
    time.sleep(0.05)
    first.local_copy("a")  # a is now the most recently used
    restarted = RemoteLogdir(url, cache_bytes=2 * size + 100, cache_dir=tmp_path / "cache")
    assert restarted.cached_bytes() == 2 * size
    restarted.local_copy("c")  # b goes: the least recently used before the restart
    assert restarted.fetches == 1 and restarted.cached_bytes() == 2 * size
    restarted.local_copy("a")
    assert restarted.fetches == 1
    restarted.local_copy("b")
    assert restarted.fetches == 2


def test_a_cache_smaller_than_a_run_keeps_the_run_in_use(bucket, tmp_path):
    _write(f"s3://{bucket}/exp/a")
    remote = RemoteLogdir(f"s3://{bucket}/exp", cache_bytes=0, cache_dir=tmp_path / "cache")
    with remote.open_run("a") as run:
        assert len(run.scalars("loss")) == 1000
    assert remote.cached_bytes() > 0


@pytest.mark.parametrize("bad", [-1, 1.5, "4GB", None])
def test_cache_bytes_must_be_a_whole_number_of_bytes(s3_env, bad):
    with pytest.raises(ValueError, match=f"cache_bytes must be a number of bytes, 0 or more, got {bad!r}"):
        RemoteLogdir("s3://bucket/exp", cache_bytes=bad)


def test_without_s3fs_the_error_names_the_extra(s3_env, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "s3fs", None)
    with pytest.raises(ImportError, match=r"serving s3:// logdirs.*pip install 'liteboard\[s3\]'"):
        RemoteLogdir("s3://bucket/exp")
