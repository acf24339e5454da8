"""Shared fixtures: a logdir of real training runs, the Flask app, a live server and a browser page.

The logdir is made once per session by short TF1-style training runs on the
engine, logged with the tracker's SummaryWriter, plus the awkward cases a
dashboard meets: a run whose name is HTML, a corrupt file, a foreign SQLite
file, a nested run and a run that logs NaN and infinities.
"""

import os
import shutil
import sqlite3
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
XSS_RUN = "<img src=x onerror=alert(1)>"

# The dashboard keeps a run index of a logdir it may not write (and of a --read-only server) in the
# user's cache folder: tests keep theirs in a folder of their own, never in the real one.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="liteboard-test-cache-")
EPOCHS = 40


def train_linear_regression(run_dir, lr, optimizer="sgd", epochs=EPOCHS, seed=0):
    """The linear regression example's graph, trained briefly and logged with extras a dashboard
    must show: an add_scalars chart, HTML-looking text, hparams and a figure."""
    import engine as tf
    import tracker
    from examples import linear_regression

    x, y = linear_regression.make_data(64, 0.1, seed)
    graph, m = linear_regression.build_graph(optimizer, lr)
    feed = {m["X"]: x, m["Y"]: y}
    with tf.Session(graph=graph) as sess, tracker.SummaryWriter(str(run_dir)) as writer:
        writer.add_graph(graph)
        sess.run(m["init"])
        for epoch in range(1, epochs + 1):
            _, summary = sess.run([m["train_op"], m["summaries"]], feed_dict=feed)
            writer.add_summary(summary, epoch)
            writer.add_scalars("gap", {"train": float(epoch) ** -0.5, "val": 1.2 * float(epoch) ** -0.5}, epoch)
        final_w, final_loss = sess.run([m["w"], m["loss"]], feed_dict=feed)
        writer.add_text("notes", f"lr={lr} <b>not bold</b> final w={float(final_w):.3f}", epochs)
        writer.add_hparams({"lr": lr, "optimizer": optimizer, "epochs": epochs},
                           {"final_loss": float(final_loss)})
        writer.add_figure("fit", {"data": [{"type": "scatter", "mode": "markers", "x": x[:20].tolist(),
                                            "y": y[:20].tolist(), "name": "data"}],
                                  "layout": {"title": {"text": "data and fit"}}}, epochs)


def write_special_runs(logdir):
    """Runs that are no training run: hostile names, bad files, non-finite values."""
    import tracker

    with tracker.SummaryWriter(str(logdir / XSS_RUN)) as writer:
        for step in range(10):
            writer.add_scalar("train/loss", 1.0 / (step + 1), step)
        writer.add_text("notes", "<script>alert('text')</script>", 0)
        writer.add_hparams({"<b>name</b>": "<i>value</i>"}, {"m": 1.0})
    with tracker.SummaryWriter(str(logdir / "group" / "nested")) as writer:
        values = [1.0, float("nan"), 2.0, float("inf"), 3.0, float("-inf"), 4.0]
        for step, value in enumerate(values):
            writer.add_scalar("odd/values", value, step)
        for step in range(5):
            writer.add_scalar("odd/constant", 0.7, step)
    corrupt = logdir / "corrupt"
    corrupt.mkdir()
    (corrupt / "events.sqlite").write_bytes(b"this is not a database" * 100)
    foreign = logdir / "foreign"
    foreign.mkdir()
    with sqlite3.connect(foreign / "events.sqlite") as db:
        db.execute("CREATE TABLE things (a, b)")
        db.execute("INSERT INTO things VALUES (1, 2)")
    db.close()


def pytest_configure(config):
    config.addinivalue_line("markers", "allow_console_errors: the page is expected to log errors")


@pytest.fixture(scope="session")
def logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("logdir")
    train_linear_regression(root / "linreg_lr=0.1", lr=0.1, seed=0)
    train_linear_regression(root / "linreg_lr=0.02", lr=0.02, seed=1)
    train_linear_regression(root / "linreg_adam", lr=0.05, optimizer="adam", seed=2)
    write_special_runs(root)
    return root


@pytest.fixture(scope="session")
def example_logdir(tmp_path_factory):
    """Two runs of the XOR example (histograms of weights and gradients, decision-surface images,
    a markdown table) and a run of the other summary kinds: an add_images batch, a 2-D string
    tensor through the engine's summary.text, and hostile markdown."""
    import numpy as np

    import engine as tf
    import tracker
    from examples import xor_mlp

    root = tmp_path_factory.mktemp("examples")
    for optimizer, lr in [("adam", "0.05"), ("sgd", "0.5")]:
        xor_mlp.main(["--logdir", str(root), "--run", f"xor/{optimizer}", "--optimizer", optimizer,
                      "--lr", lr, "--epochs", "120", "--quiet"])
    graph = tf.Graph()
    with graph.as_default():
        table = tf.summary.text("table", tf.constant(np.array([["layer", "units"], ["hidden", "8"]], object)))
    with tf.Session(graph=graph) as sess, tracker.SummaryWriter(str(root / "kinds")) as writer:
        writer.add_summary(sess.run(table), 1)
        batch = np.zeros((3, 8, 8, 1), np.float32)
        for i in range(3):
            batch[i, i:i + 3] = 1.0
        writer.add_images("batch", batch, 1, dataformats="NHWC")
        writer.add_text("notes", "# Notes\n\n<script>window.hacked = 1</script> [link](javascript:alert(1))", 1)
    return root


@pytest.fixture(scope="session")
def example_server(example_logdir):
    """The example_logdir served, for the browser tests of the tag pages."""
    from dashboard.app import create_app

    with serving(create_app(example_logdir, {"TESTING": True, "REFRESH_SECONDS": 0.5})) as url:
        yield url


@pytest.fixture(scope="session")
def train_run():
    """train_run(run_dir, lr, ...) trains and logs one linear-regression run (see train_linear_regression)."""
    return train_linear_regression


@pytest.fixture(scope="session")
def app(logdir):
    from dashboard.app import create_app

    return create_app(logdir, {"TESTING": True, "REFRESH_SECONDS": 0.5})


@pytest.fixture
def client(app):
    return app.test_client()


@contextmanager
def serving(app):
    """Serve `app` on 127.0.0.1 at a free port in a thread; yields the base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def serve():
    """`with serve(app) as url:` serves any app, for tests with a logdir of their own.

    A fixture rather than an import, since `from conftest import ...` may find another folder's conftest."""
    return serving


@pytest.fixture(scope="session")
def live_server(app):
    with serving(app) as url:
        yield url


@pytest.fixture
def busy_port():
    """A port of 127.0.0.1 that something is listening on, for the test's duration."""
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        yield busy.getsockname()[1]


class RunReads:
    """The dashboard's reads of run files (dashboard.runs.scan.read_info), watched: `opened` lists
    the runs read, in order; hold(name) makes the read of that run wait until the Event it returns
    is set (at most 30 s), to catch the index in the middle of a scan."""

    def __init__(self, monkeypatch):
        from dashboard.runs import scan

        self.opened, self.held = [], {}
        real = scan.read_info

        def read_info(found):
            self.opened.append(found.name)
            if found.name in self.held:
                self.held[found.name].wait(30)
            return real(found)

        monkeypatch.setattr(scan, "read_info", read_info)

    def hold(self, name):
        return self.held.setdefault(name, threading.Event())

    def release(self):
        for event in self.held.values():
            event.set()


@pytest.fixture
def run_reads(monkeypatch):
    """A RunReads; every held read is released at the end."""
    reads = RunReads(monkeypatch)
    yield reads
    reads.release()


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def console_errors():
    """Console errors and uncaught exceptions of the page; the `page` fixture fails the test on any."""
    return []


@pytest.fixture
def page(browser, console_errors, request):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)  # generous: CI shares 2 cores with Chromium's software WebGL
    page.on("console", lambda msg: console_errors.append(f"console.{msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: console_errors.append(f"uncaught: {exc}"))
    page.on("dialog", lambda dialog: (console_errors.append(f"dialog opened: {dialog.message}"),
                                      dialog.dismiss()))
    yield page
    context.close()
    if console_errors and not request.node.get_closest_marker("allow_console_errors"):
        pytest.fail("browser reported errors:\n" + "\n".join(console_errors))


@pytest.fixture
def screenshot(page):
    """screenshot(name) saves the page to test-artifacts/screenshots/<name>.png."""
    def take(name, full_page=True):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


class Viewer:
    """Runs Python code as a user without write access to files it does not own: this user if it
    is not root, else `nobody` (root ignores permissions, so the test would prove nothing)."""

    def __init__(self, user, python, path):
        self.user, self.python, self.path = user, python, path

    def run(self, code, *args):
        """The finished process (stdout text) of `code` run with argv[1:] = args."""
        import os
        import subprocess

        env = dict(os.environ, PYTHONPATH=os.pathsep.join(self.path))
        return subprocess.run([self.python, "-c", code, *map(str, args)], capture_output=True,
                              text=True, env=env, timeout=120, user=self.user)


@pytest.fixture
def viewer():
    """A Viewer, or a skip naming why no unprivileged user is available."""
    import os
    import pwd
    import site
    import subprocess
    import sys

    path = [str(ROOT), *site.getsitepackages()]
    if os.name == "nt":
        pytest.skip("file permissions of this kind are POSIX")
    if os.geteuid() != 0:
        return Viewer(None, sys.executable, path)
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root and there is no user 'nobody' to drop privileges to")
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
    for python in (sys.executable, shutil.which(version), f"/usr/bin/{version}"):
        try:
            usable = subprocess.run([python, "-c", "import numpy, sqlite_utils"], user="nobody",
                                    capture_output=True, env=env, timeout=60).returncode == 0
        except (OSError, TypeError):  # nobody may not execute it (or it is not there)
            usable = False
        if usable:
            return Viewer("nobody", python, path)
    pytest.skip(f"running as root and user 'nobody' can run no {version} with this environment")


@pytest.fixture
def shared_dir():
    """A directory every user can enter (pytest's tmp_path is private to its user); removed after."""
    import os
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="liteboard-shared-"))
    path.chmod(0o755)
    yield path
    for directory, _, _ in os.walk(path):
        os.chmod(directory, 0o755)
    shutil.rmtree(path)
