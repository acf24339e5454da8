"""Soak: writer processes append while clients poll the dashboard, for a bounded time.

    python benchmarks/soak.py                  # 5 writers, 8 clients, 20 s
    python benchmarks/soak.py --seconds 5      # a shorter smoke run

First the clients poll a quiet logdir for a few seconds (the baseline, measured in the same run).
Then `--writers` processes each write one run (two scalar tags and a text every so often, flushing
every `--flush-every` steps and reporting each step a returned flush() covered) while `--clients`
threads poll the server (`python -m dashboard serve`, a subprocess) round the routes a page uses:
/api/runs, /api/tags, /api/scalars with after= (a live chart's refresh, going on from the last step
it got), a downsampled /api/scalars and the run page. Prints the number of requests and of 5xx
answers, p50/p99 latency per route and under load as a ratio to the quiet baseline, gaps a live
refresh saw (steps it skipped), and rows lost: steps a returned flush() covered that cannot be read
back after the writers closed (must be 0).
"""

import argparse
import importlib.util
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import tracker  # noqa: E402

# The dashboard benchmark's server subprocess (a file, not a package: loaded by path).
_spec = importlib.util.spec_from_file_location("dashboard_benchmark", Path(__file__).with_name("dashboard.py"))
_dashboard_benchmark = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_dashboard_benchmark)
Server = _dashboard_benchmark.Server

# argv: run dir, seconds, flush every n steps, rows a second, the repository. Prints each step a
# returned flush() covered, then "closed".
WRITER = """
import sys, time
sys.path.insert(0, sys.argv[5])
import tracker
run_dir, seconds, every, rate = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
with tracker.SummaryWriter(run_dir, max_queue=10_000, flush_secs=1.0) as w:
    end = time.monotonic() + seconds  # from the run's creation, which a loaded disk can make slow
    step = 0
    while time.monotonic() < end:
        w.add_scalar("loss", 1.0 / (step + 1), step)
        w.add_scalar("acc", step * 1e-6, step)
        if step % 1000 == 999:
            w.add_text("note", f"at {step}", step)
        if step % every == 0:  # step 0 too: every run has its tags from its first moment
            w.flush()
            print(step, flush=True)
            time.sleep(every / rate)
        step += 1
print("closed", flush=True)
"""

ROUTES = ("runs", "tags", "after", "scalars", "page")


def get(url):
    """(status, seconds, body or None) of one GET; a connection failure is status 0."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    except OSError:
        body, status = None, 0
    return status, time.perf_counter() - start, body


class Clients:
    """`count` threads polling `base` round ROUTES until stopped; records every answer."""

    def __init__(self, base, runs, count, seed):
        self.base, self.runs = base, runs
        self.latency = {route: [] for route in ROUTES}
        self.statuses = []
        self.gaps = 0
        self.refused = {}  # (route, status) -> the first such answer's body
        self.stop = threading.Event()
        self.started = time.perf_counter()
        self.threads = [threading.Thread(target=self.poll, args=(random.Random(seed + i),))
                        for i in range(count)]
        for thread in self.threads:
            thread.start()

    def url(self, route, run, seen):
        quoted = urllib.parse.quote(run, safe="")
        return {
            "runs": f"{self.base}/api/runs",
            "tags": f"{self.base}/api/tags",
            "after": f"{self.base}/api/scalars?run={quoted}&tag=loss&after={seen.get(run, -1)}",
            "scalars": f"{self.base}/api/scalars?run={quoted}&tag=loss&max_points=1000",
            "page": f"{self.base}/runs/{quoted}",
        }[route]

    def poll(self, rng):
        seen = {}  # run -> the last step this client's live refresh got
        while not self.stop.is_set():
            route, run = rng.choice(ROUTES), rng.choice(self.runs)
            status, seconds, body = get(self.url(route, run, seen))
            self.statuses.append(status)
            if 400 <= status:
                self.refused.setdefault((route, status), (body or b"")[:200])
            self.latency[route].append(seconds)
            if route == "after" and status == 200:
                (series,) = json.loads(body)["series"] or [{"step": []}]
                steps = series["step"]
                if steps:
                    expected = list(range(seen.get(run, -1) + 1, seen.get(run, -1) + 1 + len(steps)))
                    self.gaps += steps != expected
                    seen[run] = steps[-1]

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()
        self.seconds = time.perf_counter() - self.started
        return self


def percentile(values, q):
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def write_quiet_logdir(logdir, runs):
    for run in runs:
        with tracker.SummaryWriter(str(logdir / run)) as w:
            for step in range(2000):
                w.add_scalar("loss", 1.0 / (step + 1), step)
                w.add_scalar("acc", step * 1e-6, step)


def rows_lost(logdir, runs, covered):
    """Steps 0..covered[run] of both tags that the run does not hold with the values written."""
    lost = 0
    for run in runs:
        if covered[run] < 0:  # no flush() returned: nothing was promised
            continue
        with tracker.open_run(logdir, run) as reader:
            for tag, value in (("loss", lambda s: 1.0 / (s + 1)), ("acc", lambda s: s * 1e-6)):
                series = reader.scalars(tag)
                got = dict(zip(series.step.tolist(), series.value.tolist()))
                lost += sum(got.get(s) != value(s) for s in range(covered[run] + 1))
    return lost


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="how long the writers write")
    parser.add_argument("--writers", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--flush-every", type=int, default=500, help="steps between explicit flushes")
    parser.add_argument("--rate", type=float, default=5000.0, help="steps a second per writer, at most")
    parser.add_argument("--baseline-seconds", type=float, default=4.0)
    parser.add_argument("--keep", action="store_true", help="keep the logdirs (printed) for a look")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="liteboard-soak-"))
    runs = [f"writer_{i}" for i in range(args.writers)]
    try:
        quiet = work / "quiet"
        write_quiet_logdir(quiet, runs)
        server = Server(quiet)
        try:
            time.sleep(args.baseline_seconds)  # nothing: just let the machine settle a moment
            baseline = Clients(server.url, runs, args.clients, seed=1)
            time.sleep(args.baseline_seconds)
            baseline.finish()
        finally:
            server.stop()

        logdir = work / "soak"
        logdir.mkdir()
        server = Server(logdir)
        try:
            writers = [subprocess.Popen(
                [sys.executable, "-c", WRITER, str(logdir / run), str(args.seconds), str(args.flush_every),
                 str(args.rate), str(ROOT)], stdout=subprocess.PIPE, text=True) for run in runs]
            covered, closed = {run: -1 for run in runs}, 0

            def follow(run, proc):
                nonlocal closed
                for line in proc.stdout:
                    if line.strip() == "closed":
                        closed += 1
                    else:
                        covered[run] = int(line)

            followers = [threading.Thread(target=follow, args=pair) for pair in zip(runs, writers)]
            for thread in followers:
                thread.start()
            deadline = time.monotonic() + 60
            while (min(covered.values()) < 0 and time.monotonic() < deadline
                   and any(proc.poll() is None for proc in writers)):
                time.sleep(0.05)  # every run has a first flush before the clients ask for it
            load = Clients(server.url, runs, args.clients, seed=2)
            for proc in writers:
                proc.wait()
            for thread in followers:
                thread.join()
            load.finish()
            peak_mb = server.peak_mb()
        finally:
            server.stop()
        lost = rows_lost(logdir, runs, covered)
        infos = {info.name: info for info in tracker.list_runs(logdir)}

        requests = len(load.statuses)
        errors5 = sum(s >= 500 for s in load.statuses)
        failed = sum(s == 0 for s in load.statuses)
        other4 = sum(400 <= s < 500 for s in load.statuses)
        written = sum(step + 1 for step in covered.values())
        print(f"soak      {args.writers} writer processes x {args.seconds:.0f} s, {args.clients} client threads,"
              f" server a subprocess")
        print(f"writes    steps covered per writer: {sorted(covered.values())}")
        print(f"writes    {written:,} steps covered by a returned flush() (x 2 tags),"
              f" {closed} of {len(runs)} writers closed; statuses "
              f"{sorted({info.status for info in infos.values()})}")
        print(f"requests  {requests:,} under load ({requests / load.seconds:.0f}/s), "
              f"{len(baseline.statuses):,} quiet")
        print(f"5xx       {errors5} of {requests:,} (4xx {other4}, connection failures {failed})")
        for (route, status), body in sorted(load.refused.items()):
            print(f"          first {status} of {route}: {body.decode(errors='replace')}")
        all_load = [t for route in ROUTES for t in load.latency[route]]
        all_quiet = [t for route in ROUTES for t in baseline.latency[route]]
        print(f"{'route':9} {'p50 ms':>8} {'p99 ms':>8} {'quiet p50':>10} {'load/quiet p50':>15}")
        for route, got, calm in [*((r, load.latency[r], baseline.latency[r]) for r in ROUTES),
                                 ("all", all_load, all_quiet)]:
            if got and calm:
                p50, p99, q50 = percentile(got, 50), percentile(got, 99), percentile(calm, 50)
                print(f"{route:9} {p50 * 1000:8.1f} {p99 * 1000:8.1f} {q50 * 1000:10.1f} {p50 / q50:14.2f}x")
        print(f"refresh   {load.gaps} live refreshes (after=) that skipped a step")
        print(f"lost      {lost} rows a returned flush() covered are missing or wrong (must be 0)")
        print(f"memory    server peak RSS {peak_mb:.0f} MB")
        if errors5 or lost or load.gaps:
            raise SystemExit(1)
    finally:
        if args.keep:
            print(f"kept      {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
