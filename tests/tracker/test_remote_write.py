"""Runs written to s3:// URLs, against a real S3-compatible server (moto's, started by conftest.py):
snapshots while training, two machines into one bucket, a killed writer resumed elsewhere, a bucket
that disappears, bad credentials."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

import tracker
from trainer import TRAINER

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("s3fs", reason="s3fs (liteboard[s3], in the dev extra) writes to S3")
pytest.importorskip("boto3", reason="boto3 (with moto[server], in the dev extra) checks the bucket")


def _client():
    import boto3

    return boto3.client("s3")


def _download(bucket, key, target):
    """The object as a local file (as any other machine would fetch it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _client().download_file(bucket, key, str(target))
    return target


def _remote_run(bucket, run, tmp_path):
    """The run's events object, downloaded and opened with the reader."""
    path = _download(bucket, f"{run}/events.sqlite", tmp_path / "fetched" / run / "events.sqlite")
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one whole file
    return tracker.Run(run, path)


def _keys(bucket):
    return sorted(item["Key"] for item in _client().list_objects_v2(Bucket=bucket).get("Contents", []))


def _wait_for(predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_run_is_uploaded_while_it_trains_and_at_close(bucket, tmp_path):
    url = f"s3://{bucket}/exp/run1"
    writer = tracker.SummaryWriter(url, flush_secs=0.2)
    assert writer.get_logdir() == url
    local = Path(writer.local_dir)
    assert local.is_dir() and str(local).startswith(str(tmp_path / "cache"))
    for step in range(300):
        writer.add_scalar("loss", 1.0 / (step + 1), step)
    writer.flush()
    _wait_for(lambda: "exp/run1/events.sqlite" in _keys(bucket))
    with _remote_run(bucket, "exp/run1", tmp_path / "during") as run:  # a snapshot mid-run
        info = run.info()
        partial = run.scalars("loss")
    assert info.status == "running" and np.array_equal(partial.step, np.arange(len(partial)))

    np.savez(local / "model.ckpt-300.npz", w=np.arange(3.0))  # a checkpoint saved beside the run
    (local / "checkpoints").mkdir()
    (local / "checkpoints" / "checkpoint").write_text('model_checkpoint_path: "model.ckpt-300"\n')
    for step in range(300, 1000):
        writer.add_scalar("loss", 1.0 / (step + 1), step)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a close that uploaded everything says nothing
        writer.close()

    assert _keys(bucket) == ["exp/run1/checkpoints/checkpoint", "exp/run1/events.sqlite",
                             "exp/run1/model.ckpt-300.npz"]
    with _remote_run(bucket, "exp/run1", tmp_path / "after") as run:
        info = run.info()
        series = run.scalars("loss")
    assert info.status == "finished"
    assert np.array_equal(series.step, np.arange(1000))
    assert np.allclose(series.value, 1.0 / (series.step + 1))
    saved = np.load(_download(bucket, "exp/run1/model.ckpt-300.npz", tmp_path / "ckpt.npz"))
    assert np.array_equal(saved["w"], np.arange(3.0))


def test_the_object_carries_a_cheap_version_for_readers(bucket):
    with tracker.SummaryWriter(f"s3://{bucket}/r", flush_secs=60) as writer:
        writer.add_scalar("x", 1.0, 0)
    listing = _client().list_objects_v2(Bucket=bucket)["Contents"]
    (events,) = [item for item in listing if item["Key"] == "r/events.sqlite"]
    assert events["ETag"] and events["Size"] > 0  # one listing gives each run's version


# One "host": its own cache folder (XDG_CACHE_HOME), writing one run of a sweep.
HOST = """
import sys, tracker
with tracker.SummaryWriter(sys.argv[1], flush_secs=0.2) as w:
    for step in range(2000):
        w.add_scalar("loss", float(sys.argv[2]) + step, step)
        w.add_scalar("lr", 0.1, step)
print(w.local_dir, flush=True)
"""


def _env(s3_env, cache):
    return dict(s3_env, XDG_CACHE_HOME=str(cache),
                PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def test_two_hosts_write_their_runs_into_one_bucket(bucket, s3_env, tmp_path):
    hosts = [subprocess.Popen([sys.executable, "-c", HOST, f"s3://{bucket}/sweep/lr-{i}", str(i * 1000)],
                              stdout=subprocess.PIPE, text=True, env=_env(s3_env, tmp_path / f"host{i}"))
             for i in range(2)]
    caches = []
    for proc in hosts:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        caches.append(Path(out.strip()))
    for i, cache in enumerate(caches):  # each host holds its own run only
        assert str(cache).startswith(str(tmp_path / f"host{i}"))
        assert [p.name for p in cache.parent.iterdir()] == [f"lr-{i}"]
    assert _keys(bucket) == ["sweep/lr-0/events.sqlite", "sweep/lr-1/events.sqlite"]
    for i in range(2):
        with _remote_run(bucket, f"sweep/lr-{i}", tmp_path / "viewer") as run:
            info = run.info()
            loss = run.scalars("loss")
        assert info.status == "finished" and set(info.tags) == {"loss", "lr"}
        assert np.array_equal(loss.value, i * 1000.0 + np.arange(2000))


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("machine", ["new", "same"])
def test_a_killed_writer_resumes_from_the_remote_copy(bucket, s3_env, tmp_path, monkeypatch, machine):
    url = f"s3://{bucket}/exp/killed"
    first = tmp_path / "first-machine"
    proc = subprocess.Popen([sys.executable, "-c", TRAINER, url, "100", "0.1", "0"],
                            stdout=subprocess.PIPE, text=True, env=_env(s3_env, first))
    try:
        committed = None
        deadline = time.monotonic() + 60
        while committed is None or "exp/killed/events.sqlite" not in _keys(bucket) \
                or committed < 3000:  # uploads are under way: the kill lands between or in one
            assert time.monotonic() < deadline and proc.poll() is None
            committed = int(proc.stdout.readline())
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    with _remote_run(bucket, "exp/killed", tmp_path / "dead") as run:
        uploaded = run.scalars("a")
    assert np.array_equal(uploaded.step, np.arange(len(uploaded))) and len(uploaded) > 0

    # "new": the cache is gone (another machine, or a wiped scratch disk)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "second-machine" if machine == "new" else first))
    with tracker.SummaryWriter(url, flush_secs=0.2) as writer:
        writer.add_scalar("a", -1.0)  # the next step after the last one kept
    with _remote_run(bucket, "exp/killed", tmp_path / "resumed") as run:
        info = run.info()
        series = run.scalars("a")
    assert info.status == "finished"
    kept = series.step[:-1]
    assert np.array_equal(series.step, np.arange(len(series))) and series.value[-1] == -1.0
    assert np.array_equal(series.value[:-1], kept * 2.0)
    if machine == "new":
        assert len(kept) >= len(uploaded)  # everything that reached the bucket
    else:
        assert len(kept) > committed  # everything committed on this machine, uploaded or not


def test_a_bucket_that_disappears_is_reported_at_close_and_the_run_stays_local(bucket, tmp_path):
    url = f"s3://{bucket}/exp/run"
    writer = tracker.SummaryWriter(url, flush_secs=0.1)
    writer.add_scalar("a", 0.0, 0)
    writer.flush()
    _wait_for(lambda: "exp/run/events.sqlite" in _keys(bucket))
    client = _client()
    for key in _keys(bucket):
        client.delete_object(Bucket=bucket, Key=key)
    client.delete_bucket(Bucket=bucket)
    started = time.monotonic()
    for step in range(1, 20_000):  # training goes on while uploads fail
        writer.add_scalar("a", float(step), step)
    assert time.monotonic() - started < 10
    time.sleep(0.3)
    with pytest.warns(UserWarning) as caught:
        writer.close()
    (message,) = [str(w.message) for w in caught]
    assert f"run '{url}' could not be uploaded to bucket '{bucket}'" in message
    assert "NoSuchBucket" in message or "does not exist" in message
    assert writer.local_dir in message
    with tracker.Run("run", Path(writer.local_dir) / "events.sqlite") as run:
        assert run.info().status == "finished"
        assert np.array_equal(run.scalars("a").step, np.arange(20_000))


def test_a_missing_bucket_is_one_clear_error_at_open(s3_env, tmp_path):
    with pytest.raises(tracker.RemoteStorageError,
                       match="bucket 'no-such-bucket' of log_dir 's3://no-such-bucket/run' "
                             "cannot be used: it does not exist"):
        tracker.SummaryWriter("s3://no-such-bucket/run")
    assert not (tmp_path / "cache" / "liteboard" / "remote" / "s3" / "no-such-bucket").exists()


def test_bad_credentials_are_one_clear_error_naming_the_bucket(s3_env, s3_auth_server, monkeypatch,
                                                              tmp_path):
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_auth_server)  # a server that knows no keys
    with pytest.raises(tracker.RemoteStorageError) as caught:
        tracker.SummaryWriter("s3://lab-bucket/exp/run1")
    message = str(caught.value)
    assert message.startswith("bucket 'lab-bucket' of log_dir 's3://lab-bucket/exp/run1' "
                              "cannot be used: access was refused")
    assert "AWS_ACCESS_KEY_ID" in message and "AWS_ENDPOINT_URL" in message
    assert not (tmp_path / "cache" / "liteboard" / "remote" / "s3" / "lab-bucket").exists()


def test_without_s3fs_the_error_names_the_extra(s3_env, monkeypatch):
    monkeypatch.setitem(sys.modules, "s3fs", None)
    with pytest.raises(ImportError, match=r"pip install 'liteboard\[s3\]'"):
        tracker.SummaryWriter("s3://bucket/run")


@pytest.mark.parametrize("url", ["s3://", "s3://bucket/../run", "s3://bucket//run"])
def test_a_url_without_a_clean_path_is_refused(s3_env, url):
    with pytest.raises(ValueError, match=f"log_dir '{url}' must name a bucket and a run path"):
        tracker.SummaryWriter(url)


def test_tf1_and_keras_writers_write_to_s3(bucket, tmp_path):
    import engine as tf

    graph = tf.Graph()
    with graph.as_default():
        tf.multiply(tf.constant(2.0, name="x"), 3.0, name="y")
    writer = tf.summary.FileWriter(f"s3://{bucket}/tf1", graph)
    writer.add_summary([("loss", 0.5)], global_step=1)
    writer.close()
    with _remote_run(bucket, "tf1", tmp_path) as run:
        assert run.scalars("loss").value.tolist() == [0.5]
        assert {node["name"] for node in run.graph()["nodes"]} >= {"x", "y"}

    tf.reset_default_graph()
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    x = np.arange(16, dtype=np.float32).reshape(8, 2) / 16
    history = model.fit(x, x[:, :1], epochs=2, verbose=0,
                        callbacks=[tf.keras.callbacks.TensorBoard(log_dir=f"s3://{bucket}/keras")])
    with _remote_run(bucket, "keras/train", tmp_path) as run:
        np.testing.assert_allclose(run.scalars("epoch_loss").value, history.history["loss"], rtol=1e-6)
