"""Every refused change is a 4xx JSON error naming the problem, and changes nothing: another
origin, a GET, a missing or wrong token, a read-only server, an unknown run, a bad field."""

import pytest

import tracker
from dashboard.app import create_app

TOKEN = "the-token"


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for name in ("alpha", "beta"):
        with tracker.SummaryWriter(str(tmp_path / "logdir" / name)) as writer:
            writer.add_scalar("loss", 1.0, 0)
    return tmp_path / "logdir"


def client_of(root, **config):
    return create_app(root, {"TESTING": True, "CSRF_TOKEN": TOKEN, **config}).test_client()


def snapshot(root, client):
    """Everything a change could alter: the files under the logdir and what the API shows (the
    run index, made by the first listing, and its token are the dashboard's cache, not a change)."""
    runs = client.get("/api/runs", query_string={"hidden": "1"}).get_json()
    runs.pop("token")
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if "-shm" not in p.name and "-wal" not in p.name)
    return files, runs, client.get("/api/manage/trash").get_json()


def refused(root, status, words, method, path, body=None, headers=None, data=None, **config):
    client = client_of(root, **config)
    before = snapshot(root, client)
    if isinstance(body, str):  # text sent as JSON that is none
        kwargs = {"data": body, "content_type": "application/json"}
    elif data is None:
        kwargs = {"json": body}
    else:
        kwargs = {"data": data, "content_type": "application/x-www-form-urlencoded"}
    response = client.open(path, method=method, headers={"X-Liteboard-Token": TOKEN, **(headers or {})}, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json and set(response.get_json()) == {"error"}
    error = response.get_json()["error"]
    for word in words:
        assert word in error
    assert snapshot(root, client) == before
    return error


HIDE = {"run": "alpha", "hidden": True}


@pytest.mark.parametrize("method, path, body", [
    ("PUT", "/api/manage/run", HIDE), ("POST", "/api/manage/trash", {"run": "alpha"}),
    ("DELETE", "/api/manage/trash", None), ("POST", "/api/manage/restore", {"id": 1})])
@pytest.mark.parametrize("headers, words", [
    ({"X-Liteboard-Token": ""}, ["X-Liteboard-Token header is missing"]),
    ({"X-Liteboard-Token": "guessed"}, ["X-Liteboard-Token header is wrong"]),
    ({"Origin": "http://evil.example"}, ["Origin 'http://evil.example' is another site"]),
    ({"Origin": "http://localhost:9999"}, ["is another site"]),  # same name, another port: another origin
    ({"Origin": "null"}, ["is not a web page of this server"]),
    ({"Sec-Fetch-Site": "cross-site"}, ["another site (Sec-Fetch-Site: cross-site)"]),
    ({"Sec-Fetch-Site": "same-site"}, ["another site"]),
])
def test_a_change_without_proof_of_this_servers_page_is_refused(root, method, path, body, headers, words):
    refused(root, 403, words, method, path, body, headers)


@pytest.mark.parametrize("method, path, body", [
    ("PUT", "/api/manage/run", HIDE), ("POST", "/api/manage/trash", {"run": "alpha"}),
    ("DELETE", "/api/manage/trash", None)])
def test_a_read_only_server_refuses_every_change(root, method, path, body):
    refused(root, 403, ["--read-only"], method, path, body, READ_ONLY=True)


def test_a_read_only_server_still_serves_reads(root):
    client = client_of(root, READ_ONLY=True)
    assert client.get("/api/manage/state").get_json()["read_only"] is True
    assert len(client.get("/api/runs").get_json()["runs"]) == 2


@pytest.mark.parametrize("path", ["/api/manage/run?run=alpha&hidden=true", "/api/manage/restore?id=1"])
def test_a_get_that_tries_to_change_state_is_refused(root, path):
    refused(root, 405, ["GET is not allowed", "never made by a GET"], "GET", path)


def test_the_page_origin_and_a_script_without_origin_are_accepted(root):
    client = client_of(root)
    for headers in ({"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}, {}):
        response = client.put("/api/manage/run", json=HIDE, headers={"X-Liteboard-Token": TOKEN, **headers})
        assert response.status_code == 200, response.get_data(as_text=True)


def test_a_form_post_is_refused(root):
    refused(root, 400, ["must be JSON"], "PUT", "/api/manage/run", data="run=alpha&hidden=true")


@pytest.mark.parametrize("body, status, words", [
    ({"run": "nope", "hidden": True}, 404, ["run 'nope' does not exist"]),
    ({"run": ".liteboard", "hidden": True}, 404, ["does not exist"]),
    ({"hidden": True}, 400, ["field 'run' must be a string"]),
    ({"run": "", "hidden": True}, 400, ["parameter 'run' is empty"]),
    ({"run": "alpha"}, 400, ["nothing to change"]),
    ({"run": "alpha", "colour": "red"}, 400, ["unknown field 'colour'"]),
    ({"run": "alpha", "hidden": 1}, 400, ["field 'hidden' must be true or false, got int"]),
    ({"run": "alpha", "hidden": "yes"}, 400, ["field 'hidden' must be true or false, got str"]),
    ({"run": "alpha", "display_name": 7}, 400, ["field 'display_name' must be a string, got int"]),
    ({"run": "alpha", "display_name": "x" * 201}, 400, ["'display_name' is longer than 200 characters"]),
    ({"run": "alpha", "display_name": "two\nlines"}, 400, ["'display_name' must be one line"]),
    ({"run": "alpha", "notes": "x" * 20_001}, 400, ["'notes' is longer than 20000 characters"]),
    ({"run": "alpha", "notes": ["a"]}, 400, ["'notes' must be a string, got list"]),
    ({"run": "alpha", "labels": "best"}, 400, ["'labels' must be a list of strings, got str"]),
    ({"run": "alpha", "labels": [1]}, 400, ["'labels' item 0 must be a string, got int"]),
    ({"run": "alpha", "labels": ["ok", "  "]}, 400, ["'labels' item 1 is empty"]),
    ({"run": "alpha", "labels": ["x" * 65]}, 400, ["'labels[0]' is longer than 64 characters"]),
    ({"run": "alpha", "labels": [str(i) for i in range(33)]}, 400, ["at most 32"]),
    ({"run": "alpha", "hidden": True, "notes": 5}, 400, ["'notes' must be a string"]),  # nothing half-done
    (["alpha"], 400, ["must be a JSON object"]),
    ("{not json", 400, ["must be a JSON object"]),
    ("x" * (2**20 + 1), 413, []),
])
def test_a_bad_field_or_unknown_run_is_refused(root, body, status, words):
    refused(root, status, words, "PUT", "/api/manage/run", body)


@pytest.mark.parametrize("path, body, status, words", [
    ("/api/manage/trash", {"run": "nope"}, 404, ["run 'nope' does not exist"]),
    ("/api/manage/trash", {"run": "alpha", "force": True}, 400, ["unknown field 'force'"]),
    ("/api/manage/restore", {"id": "1"}, 400, ["field 'id' must be an integer"]),
    ("/api/manage/restore", {"id": True}, 400, ["field 'id' must be an integer"]),
    ("/api/manage/restore", {"id": 5}, 404, ["no run with id 5"]),
])
def test_bad_trash_requests_are_refused(root, path, body, status, words):
    refused(root, status, words, "POST", path, body)


def test_a_bad_hidden_parameter_is_a_400(root):
    response = client_of(root).get("/api/runs", query_string={"hidden": "yes"})
    assert response.status_code == 400 and "parameter 'hidden' must be one of 0, 1" in response.get_json()["error"]
