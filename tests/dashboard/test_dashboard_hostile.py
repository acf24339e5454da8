"""Every route of the app, fed hostile values: a 4xx JSON error (or a normal answer), never a 500.

The routes come from the app's url_map, so a route added later is swept too. Each hostile
value goes into the path's variable part and into every query parameter any route reads,
alone, repeated, and next to a valid run and tag (so checks past the run lookup are reached).
"""

import re
from urllib.parse import quote

import pytest

RUN = "linreg_lr=0.1"
TAG = "train/loss"
# Every query parameter a route of the dashboard reads.
KEYS = ("run", "tag", "tag_regex", "after", "start", "end", "max_points", "format", "graph", "box", "expand",
        "expand_all", "kind", "limit", "name", "series",
        "node", "q", "metric")
HOSTILE = {
    "empty": "",
    "dotdot": "../../../etc/passwd",
    "absolute": "/etc/passwd",
    "encoded_dotdot": "%2e%2e/%2e%2e/etc/passwd",
    "double_encoded": "%252e%252e%252fetc",
    "overlong_utf8_dots": "%c0%ae%c0%ae/",
    "not_utf8": "%ff%fe%fd",
    "nul": "%00",
    "huge": "a" * 5000,
    "regex_bomb": "(a%2B)%2B%24",
    "bad_regex": "(%5B",
    "backslash": "%5C",
    "huge_number": "9" * 400,
    "float_overflow": "1e400",
    "nan": "nan",
    "negative": "-1",
    "html": "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    "dot": ".",
}


def routes(app):
    """(rule, path template) of every GET route but static files, with variables as {}."""
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "web.plotly_js"):
            continue
        found.append(re.sub(r"<[^>]+>", "{}", rule.rule))
    return sorted(set(found))


def queries(value):
    every = "&".join(f"{key}={value}" for key in KEYS)
    yield every
    yield f"{every}&{every}"
    for key in KEYS:
        if key not in ("run", "tag"):
            yield f"run={quote(RUN)}&tag={TAG}&{key}={value}&{key}={value}"


def check(client, url):
    response = client.get(url)
    assert response.status_code < 500, f"{url[:200]} -> {response.status_code}"
    if response.status_code >= 400 and url.startswith("/api"):
        assert response.is_json, f"{url[:200]} answered {response.status_code} without JSON"
        body = response.get_json()
        assert isinstance(body.get("error"), str) and body["error"], url[:200]
        assert "Traceback" not in body["error"]


def test_the_sweep_covers_the_api(app):
    """The sweep finds the API routes (an empty url_map would make it vacuous)."""
    found = routes(app)
    for rule in ("/api/runs", "/api/runs/{}", "/api/scalars", "/api/scalars/download", "/api/tags",
                 "/api/texts", "/api/figures", "/runs/{}", "/scalars"):
        assert rule in found


@pytest.mark.parametrize("label", sorted(HOSTILE))
def test_every_route_answers_hostile_values_without_a_500(app, client, label):
    value = HOSTILE[label]
    for template in routes(app):
        paths = [template.format(value or "x")] if "{}" in template else [template]
        for path in paths:
            for query in queries(value):
                check(client, f"{path}?{query}")


@pytest.mark.parametrize("path", [
    "/api/runs/..%2f..%2fetc", "/api/runs/%2e%2e/%2e%2e/etc/passwd", "/api/runs//etc/passwd",
    "/api/runs/%2Fetc%2Fpasswd", "/runs/..%2f..%2fetc", "/api/runs/%ff", "/runs/%ff%fe",
])
def test_paths_that_try_to_leave_the_logdir_are_404_json(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404), response.get_data(as_text=True)[:200]
    if path.startswith("/api"):
        assert response.is_json and response.get_json()["error"]


@pytest.mark.parametrize("url", ["/api/runs/{}", "/api/texts?run={}", "/api/scalars?run={}&tag=loss",
                                 "/api/tags?run={}"])
def test_a_run_name_longer_than_the_file_system_allows_is_404(client, url):
    response = client.get(url.format("9" * 400))
    if url.startswith("/api/tags"):  # a filter that matches no run
        assert response.status_code == 200 and response.get_json() == {"groups": []}
        return
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert "does not exist" in error and "File name too long" in error


def test_the_page_of_a_run_that_does_not_exist_is_a_404_page(client):
    response = client.get("/runs/no-such-run")
    assert response.status_code == 404
    assert "no-such-run" in response.get_data(as_text=True)
    assert not response.is_json


@pytest.mark.parametrize("name", ["corrupt", "foreign", RUN])
def test_the_page_of_an_existing_run_opens_even_if_unreadable(client, name):
    assert client.get(f"/runs/{name}").status_code == 200


@pytest.mark.parametrize("route", ["/api/scalars", "/api/scalars/download"])
def test_a_request_crossing_too_many_runs_with_too_many_tags_is_400(client, route):
    """3,000 runs x 3,000 tags fit in a 60 KB URL and made the server build 9 million pairs."""
    query = "&".join(f"run=r{i}" for i in range(3000)) + "&" + "&".join(f"tag=t{i}" for i in range(3000))
    response = client.get(f"{route}?{query}")
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "3000 runs times 3000 tags is 9000000 series; one request may ask for at most 10000"}


def test_many_series_within_the_limit_are_still_answered(client):
    query = f"run={quote(RUN)}&" + "&".join(f"tag=t{i}" for i in range(5000)) + f"&tag={TAG}"
    body = client.get(f"/api/scalars?{query}").get_json()
    assert [(s["run"], s["tag"]) for s in body["series"]] == [(RUN, TAG)]
    assert len(body["missing"]) == 5000


@pytest.fixture(scope="module")
def slow_names_client(tmp_path_factory, serve):
    """A run whose tag name makes a backtracking regex engine take exponential time."""
    import tracker
    from dashboard.app import create_app

    root = tmp_path_factory.mktemp("slow_names")
    with tracker.SummaryWriter(str(root / "run")) as writer:
        writer.add_scalar("a" * 40 + "!", 1.0, 0)
        writer.add_scalar("Train/Loss", 1.0, 0)
    return create_app(root, {"TESTING": True}).test_client()


@pytest.mark.parametrize("pattern", ["(a%2B)%2B%24", "(.*)*%24x"])
def test_a_regex_bomb_in_tag_regex_is_answered_at_once(slow_names_client, pattern):
    """(a+)+$ on a 41-character name took Python's re hours; re2 matches in linear time."""
    response = slow_names_client.get(f"/api/tags?tag_regex={pattern}")
    assert response.status_code == 200
    assert response.get_json() == {"groups": []}


def test_tag_regex_is_case_insensitive_as_tensorboards_filters_are(slow_names_client):
    body = slow_names_client.get("/api/tags?tag_regex=train/loss").get_json()
    assert [c["chart"] for g in body["groups"] for c in g["charts"]] == ["Train/Loss"]


@pytest.mark.parametrize("url, key", [("/api/tags?tag_regex={}", "tag_regex"),
                                      ("/api/graph/search?run=linreg_adam&graph=1&q={}", "q")])
def test_a_regex_re2_cannot_compile_is_a_400_naming_the_parameter(client, url, key):
    """A backreference needs backtracking, so the linear-time engine refuses it."""
    response = client.get(url.format(quote(r"(a)\1")))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error.startswith(f"parameter '{key}' is not a valid regular expression")



@pytest.fixture(scope="module")
def damaged_client(tmp_path_factory):
    """Three runs: a sound one, one with an hparam that is no JSON, one with a start_time that is no number."""
    import sqlite3

    import tracker
    from dashboard.app import create_app

    root = tmp_path_factory.mktemp("damaged")
    for name in ("good", "bad_hparams", "bad_start"):
        with tracker.SummaryWriter(str(root / name)) as writer:
            writer.add_scalar("loss", 1.0, 0)
            writer.add_hparams({"lr": 0.1, "opt": "sgd"}, {"final": 1.0})
    with sqlite3.connect(root / "bad_hparams" / "events.sqlite") as db:
        db.execute("UPDATE hparams SET value = '{not json' WHERE name = 'lr'")
    db.close()
    with sqlite3.connect(root / "bad_start" / "events.sqlite") as db:
        db.execute("UPDATE run SET start_time = 'yesterday'")
    db.close()
    return create_app(root, {"TESTING": True}).test_client()


def test_a_run_with_a_bad_field_is_flagged_and_the_others_are_served(damaged_client):
    response = damaged_client.get("/api/runs")
    assert response.status_code == 200
    runs = {r["name"]: r for r in response.get_json()["runs"]}
    assert sorted(runs) == ["bad_hparams", "bad_start", "good"]
    assert runs["good"]["problems"] == [] and runs["good"]["hparams"] == {"lr": 0.1, "opt": "sgd"}
    assert runs["bad_hparams"]["hparams"] == {"opt": "sgd"}
    assert runs["bad_hparams"]["problems"] == ["hparam 'lr' is not valid JSON: '{not json'"]
    assert runs["bad_start"]["start_time"] is None and runs["bad_start"]["duration"] is None
    assert runs["bad_start"]["problems"] == ["start_time is not a number: 'yesterday'"]


@pytest.mark.parametrize("url", ["/api/tags", "/api/runs/bad_hparams", "/api/runs/bad_start", "/runs/bad_hparams",
                                 "/runs/bad_start", "/compare", "/api/compare/parcoords?metric=loss",
                                 "/api/compare?run=good&run=bad_hparams&run=bad_start", "/"])
def test_a_run_with_a_bad_field_blanks_no_page(damaged_client, url):
    response = damaged_client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


def test_the_run_detail_names_the_bad_field(damaged_client):
    body = damaged_client.get("/api/runs/bad_hparams").get_json()
    assert body["hparams"] == {"hparams": {"opt": "sgd"}, "metrics": {"final": 1.0}}
    assert body["run"]["problems"] == ["hparam 'lr' is not valid JSON: '{not json'"]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:6006", "localhost.evil.example", "127.0.0.1.nip.io"])
def test_a_host_header_the_server_does_not_listen_on_is_refused(client, host):
    """DNS rebinding: a hostile page whose name now points at 127.0.0.1 must not read the API."""
    response = client.get("/api/runs", headers={"Host": host})
    assert response.status_code == 400
    assert response.get_json()["error"] == (
        f"Host {host.split(':')[0]!r} is not a name this server listens on; open it as http://localhost:<port>/")
    page = client.get("/", headers={"Host": host})
    assert page.status_code == 400 and not page.is_json
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST:6006", "127.0.0.1:6006", "[::1]:6006", "10.1.2.3:6006"])
def test_loopback_names_and_address_literals_are_served(client, host):
    """An address literal cannot be rebound (DNS rebinding needs a name), so any is served, as in Jupyter."""
    assert client.get("/api/runs", headers={"Host": host}).status_code == 200


def test_the_names_given_with_host_are_served(logdir):
    from dashboard.app import create_app
    from dashboard.server import allowed_hosts

    assert "box.lan" in allowed_hosts("box.lan") and "localhost" in allowed_hosts("box.lan")
    client = create_app(logdir, {"TESTING": True, "ALLOWED_HOSTS": allowed_hosts("box.lan")}).test_client()
    assert client.get("/api/runs", headers={"Host": "box.lan:6006"}).status_code == 200
    assert client.get("/api/runs", headers={"Host": "other.lan:6006"}).status_code == 400


def test_binding_every_interface_serves_this_machines_names():
    import socket

    from dashboard.server import allowed_hosts

    assert socket.gethostname().lower() in allowed_hosts("0.0.0.0")
    assert socket.gethostname().lower() not in allowed_hosts("127.0.0.1")


@pytest.fixture(scope="module")
def long_run_app(tmp_path_factory):
    """A run of 5,000 points, served with small bounds so a test can cross them."""
    import tracker
    from dashboard.app import create_app

    root = tmp_path_factory.mktemp("long_run")
    with tracker.SummaryWriter(str(root / "long")) as writer:
        for step in range(5000):
            writer.add_scalar("x", float(step), step)
        writer.add_text("big", "x" * 60_000, 0)
        writer.add_text("small", "hello", 0)
    return create_app(root, {"TESTING": True, "MAX_POINTS": 100, "MAX_RESPONSE_BYTES": 50_000})


def test_a_live_refresh_answers_at_most_max_points_points(long_run_app):
    """after= read every point since the step given: one request answered 130 MB."""
    client = long_run_app.test_client()
    (series,) = client.get("/api/scalars?run=long&tag=x&after=-1").get_json()["series"]
    assert series["step"] == list(range(100))  # the oldest first: the next poll goes on from 99
    (series,) = client.get("/api/scalars?run=long&tag=x&after=4990&max_points=5").get_json()["series"]
    assert series["step"] == [4991, 4992, 4993, 4994, 4995]


@pytest.mark.parametrize("query", ["after=-1&max_points=5000", "max_points=5000"])
def test_an_answer_over_the_byte_bound_is_a_400_naming_it(long_run_app, query):
    response = long_run_app.test_client().get(f"/api/scalars?run=long&tag=x&{query}")
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(
        "the answer would exceed 50000 bytes (MAX_RESPONSE_BYTES); ask for fewer series or a smaller max_points")


def test_texts_over_the_byte_bound_are_a_400_naming_it(long_run_app):
    client = long_run_app.test_client()
    response = client.get("/api/texts?run=long")
    assert response.status_code == 400
    assert response.get_json()["error"] == (
        "the answer would exceed 50000 bytes (MAX_RESPONSE_BYTES); ask for one tag")
    assert client.get("/api/texts?run=long&tag=small").get_json()["texts"][0]["text"] == "hello"


# Serves the logdir argv[1] with the app's test client and prints, per URL of argv[2:],
# its status and JSON answer.
SERVE_AS_VIEWER = """
import json, sys
from dashboard.app import create_app
client = create_app(sys.argv[1], {"TESTING": True}).test_client()
for url in sys.argv[2:]:
    response = client.get(url)
    print(json.dumps([response.status_code, response.get_json()]))
"""


def _serve_as_viewer(viewer, logdir, *urls):
    import json

    shown = viewer.run(SERVE_AS_VIEWER, logdir, *urls)
    assert shown.returncode == 0, shown.stderr
    return [json.loads(line) for line in shown.stdout.splitlines()]


def test_runs_the_server_may_not_write_or_enter_are_served_or_flagged(shared_dir, viewer):
    import tracker

    for name in ("archived", "locked/inner"):
        with tracker.SummaryWriter(str(shared_dir / name)) as writer:
            writer.add_scalar("loss", 0.5, 0)
    (shared_dir / "archived").chmod(0o555)  # a colleague's run: readable, not writable
    (shared_dir / "locked").chmod(0o000)  # a directory the server cannot enter
    runs, scalars = _serve_as_viewer(viewer, shared_dir, "/api/runs",
                                     "/api/scalars?run=archived&tag=loss")
    assert runs[0] == 200
    found = {run["name"]: run for run in runs[1]["runs"]}
    assert sorted(found) == ["archived", "locked"]
    assert found["archived"]["status"] == "finished" and found["archived"]["tags"]["loss"]["count"] == 1
    assert found["locked"]["status"] == "error"
    assert found["locked"]["error"] == "the directory cannot be read: Permission denied"
    assert scalars[0] == 200 and scalars[1]["series"][0]["value"] == [0.5]


# Damage done to a sound run's file, one run each: values of the wrong type, JSON that is
# none, tables missing, a file cut in half.
DAMAGE = {
    "scalar_text": "UPDATE scalars SET value = 'abc' WHERE step = 3",
    "scalar_blob": "UPDATE scalars SET value = x'00ff' WHERE step = 3",
    "step_text": "UPDATE scalars SET step = 'x' WHERE step = 3",
    "walltime_text": "UPDATE scalars SET wall_time = 'x' WHERE step = 3",
    "buckets_text": "UPDATE scalar_buckets SET min = 'x', max = 'y', count = 'z'",
    "figure_no_json": "UPDATE figures SET figure = '{bad'",
    "graph_no_json": "UPDATE graphs SET graph = '{bad'",
    "graph_a_list": "UPDATE graphs SET graph = '[1]'",
    "summary_text": "UPDATE tags SET first_step = 'x', last_step = 'y', last = 'z', count = 'n'",
    "tag_name_int": "UPDATE tags SET tag = 7 WHERE tag = 'note'",
    "no_graphs_table": "DROP TABLE graphs",
    "no_run_row": "DELETE FROM run",
}
PER_RUN_URLS = [
    "/api/runs", "/api/tags", "/api/runs/{r}", "/api/texts?run={r}", "/api/texts?run={r}&tag=note",
    "/api/figures?run={r}", "/api/figures?run={r}&tag=fig", "/api/tags?run={r}",
    "/api/scalars?run={r}&tag=loss", "/api/scalars?run={r}&tag=loss&max_points=10",
    "/api/scalars?run={r}&tag=loss&after=1", "/api/scalars?run={r}&tag=loss&start=1&end=20",
    "/api/scalars/download?run={r}&tag=loss", "/api/scalars/download?run={r}&tag=loss&format=json",
    "/api/graph/list?run={r}", "/api/graph/view?run={r}", "/api/graph/item?run={r}&node=a",
    "/api/graph/search?run={r}&q=a", "/api/graph/lineage?run={r}&node=a", "/api/compare?run={r}",
    "/api/compare/parcoords?metric=loss", "/api/compare/parcoords?metric=final&run={r}",
    "/runs/{r}", "/scalars?run={r}", "/graph?run={r}", "/compare?run={r}",
]


@pytest.fixture(scope="module")
def damaged_files_client(tmp_path_factory):
    """A sound run ("sound") and one run per DAMAGE, plus "halved": a file cut in half."""
    import sqlite3

    import tracker
    from dashboard.app import create_app

    root = tmp_path_factory.mktemp("damaged_files")
    for name in ("sound", "halved", *DAMAGE):
        with tracker.SummaryWriter(str(root / name)) as writer:
            for step in range(50):
                writer.add_scalar("loss", 1.0 / (step + 1), step)
            writer.add_text("note", "hi", 0)
            writer.add_figure("fig", {"data": [], "layout": {}}, 0)
            writer.add_graph({"nodes": [{"name": "a", "op": "Const", "inputs": []}]})
            writer.add_hparams({"lr": 0.1}, {"final": 1.0})
        if name in DAMAGE:
            conn = sqlite3.connect(root / name / "events.sqlite")
            conn.executescript(DAMAGE[name])
            conn.close()
    halved = root / "halved" / "events.sqlite"
    halved.write_bytes(halved.read_bytes()[:halved.stat().st_size // 2])
    return create_app(root, {"TESTING": True}).test_client()


@pytest.mark.parametrize("name", ["halved", *DAMAGE])
def test_every_per_run_route_answers_a_damaged_run_with_a_4xx_json_error_never_a_500(
        damaged_files_client, name):
    for url in PER_RUN_URLS:
        check(damaged_files_client, url.format(r=name))


@pytest.mark.parametrize("name, route", [
    ("scalar_text", "/api/scalars?run={}&tag=loss"), ("walltime_text", "/api/scalars?run={}&tag=loss&after=1"),
    ("buckets_text", "/api/scalars?run={}&tag=loss&max_points=10"), ("figure_no_json", "/api/figures?run={}"),
    ("graph_no_json", "/api/graph/list?run={}"),
])
def test_a_damaged_value_is_a_422_naming_the_file(damaged_files_client, name, route):
    response = damaged_files_client.get(route.format(name))
    assert response.status_code == 422
    assert f"{name}/events.sqlite: cannot read: a stored value is malformed" in response.get_json()["error"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_download_of_a_damaged_series_is_a_422_before_the_first_byte(damaged_files_client, fmt):
    """It used to send its header line, then die midway, leaving a cut-off file."""
    response = damaged_files_client.get(f"/api/scalars/download?run=sound&run=scalar_text&tag=loss&format={fmt}")
    assert response.status_code == 422 and response.is_json
    assert "scalar_text/events.sqlite: cannot read: a stored value is malformed (could not convert " \
           "string to float: 'abc')" in response.get_json()["error"]


def test_a_damaged_tag_summary_is_named_on_its_run_and_the_others_are_served(damaged_files_client):
    runs = {r["name"]: r for r in damaged_files_client.get("/api/runs").get_json()["runs"]}
    assert runs["sound"]["problems"] == [] and runs["sound"]["status"] == "finished"
    assert "tag 'loss' last is not a number: 'z'" in runs["summary_text"]["problems"]
    assert "tag 'loss' count is not an integer: 'n'" in runs["summary_text"]["problems"]
    response = damaged_files_client.get("/api/compare/parcoords?metric=loss")
    assert response.status_code == 200  # one run's text in a summary made this a 500 for all
    body = response.get_json()
    assert "sound" in body["runs"] and "summary_text" not in body["runs"]
