"""Run management through the API: hide, display name, notes, labels, trash and restore, kept in
the dashboard's own file and never in a run's file; a damaged file is moved aside, never lost."""

import errno
import hashlib
import os
import sqlite3
from html.parser import HTMLParser

import pytest

import tracker
from dashboard.app import create_app
from dashboard.manage import trash
from dashboard.web import state_folder


def write_run(directory, steps=3):
    with tracker.SummaryWriter(str(directory)) as writer:
        for step in range(steps):
            writer.add_scalar("loss", 1.0 / (step + 1), step)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    logdir = tmp_path / "logdir"
    for name in ("alpha", "beta", "group/nested"):
        write_run(logdir / name)
    return logdir


def make_client(root, **config):
    app = create_app(root, {"TESTING": True, **config})
    client = app.test_client()
    client.token = app.config["CSRF_TOKEN"]
    return client


@pytest.fixture
def client(root):
    return make_client(root)


def change(client, method, path, body=None):
    return client.open(path, method=method, json=body, headers={"X-Liteboard-Token": client.token})


def names(client, **query):
    return [run["name"] for run in client.get("/api/runs", query_string=query).get_json()["runs"]]


def ok(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_a_hidden_run_is_left_out_of_the_run_list_until_asked_for_and_kept_across_restarts(root, client, capsys):
    answer = ok(change(client, "PUT", "/api/manage/run", {"run": "beta", "hidden": True}))
    assert answer == {"run": "beta", "hidden": True, "display_name": "", "notes": "", "labels": []}
    assert "liteboard: run 'beta': hidden=True" in capsys.readouterr().err
    assert names(client) == ["alpha", "group/nested"]
    listing = client.get("/api/runs", query_string={"hidden": "1"}).get_json()
    assert [run["name"] for run in listing["runs"]] == ["alpha", "beta", "group/nested"]
    assert listing["hidden_count"] == 1 and listing["runs"][1]["hidden"] is True
    restarted = make_client(root)
    assert names(restarted) == ["alpha", "group/nested"]
    ok(change(restarted, "PUT", "/api/manage/run", {"run": "beta", "hidden": False}))
    assert names(make_client(root)) == ["alpha", "beta", "group/nested"]


def test_display_name_notes_and_labels_are_served_and_filterable(client):
    ok(change(client, "PUT", "/api/manage/run",
              {"run": "group/nested", "display_name": "  the nested one ", "notes": "line 1\nline 2",
               "labels": ["sweep", "best", "sweep"]}))
    ok(change(client, "PUT", "/api/manage/run", {"run": "alpha", "labels": ["sweep"]}))
    detail = client.get("/api/runs/group/nested").get_json()["run"]
    assert (detail["display_name"], detail["notes"], detail["labels"]) == ("the nested one", "line 1\nline 2",
                                                                          ["best", "sweep"])
    listing = client.get("/api/runs").get_json()
    assert listing["labels"] == {"best": 1, "sweep": 2}
    assert names(client, label="sweep") == ["alpha", "group/nested"]
    assert names(client, label="best") == ["group/nested"]
    ok(change(client, "PUT", "/api/manage/run", {"run": "alpha", "labels": []}))
    assert names(client, label="sweep") == ["group/nested"]
    # A field left out is left as it was.
    ok(change(client, "PUT", "/api/manage/run", {"run": "group/nested", "hidden": True}))
    detail = client.get("/api/runs/group/nested").get_json()["run"]
    assert detail["display_name"] == "the nested one" and detail["labels"] == ["best", "sweep"]


def test_annotations_never_touch_a_run_file_and_live_in_the_state_folder(root, client):
    before = {name: digest(root / name / "events.sqlite") for name in ("alpha", "beta")}
    ok(change(client, "PUT", "/api/manage/run", {"run": "alpha", "hidden": True, "notes": "n", "labels": ["x"]}))
    assert {name: digest(root / name / "events.sqlite") for name in before} == before
    assert (root / ".liteboard" / "runs.sqlite").is_file()


def test_reading_makes_only_the_run_index_in_the_state_folder(root, client):
    client.get("/api/runs")
    client.get("/")
    assert sorted(p.name for p in (root / ".liteboard").iterdir() if not p.name.startswith("index.sqlite-")) == [
        "index.sqlite"]


def test_delete_moves_the_run_to_the_trash_and_restore_brings_it_back(root, client, capsys):
    original = digest(root / "group" / "nested" / "events.sqlite")
    ok(change(client, "PUT", "/api/manage/run", {"run": "group/nested", "labels": ["keep"]}))
    trashed = ok(change(client, "POST", "/api/manage/trash", {"run": "group/nested"}))["trashed"]
    assert trashed["run"] == "group/nested" and trashed["folder"].startswith("trash/")
    assert "moved to the trash" in capsys.readouterr().err
    assert not (root / "group" / "nested").exists()
    assert digest(root / ".liteboard" / trashed["folder"] / "events.sqlite") == original
    assert names(client, hidden="1") == ["alpha", "beta"]  # the trash's run is no run of the logdir
    assert client.get("/api/runs/.liteboard/" + trashed["folder"]).status_code == 404
    assert [r["run"] for r in client.get("/api/manage/trash").get_json()["trash"]] == ["group/nested"]

    ok(change(client, "POST", "/api/manage/restore", {"id": trashed["id"]}))
    assert "restored from the trash" in capsys.readouterr().err
    assert digest(root / "group" / "nested" / "events.sqlite") == original
    assert client.get("/api/manage/trash").get_json()["trash"] == []
    assert client.get("/api/runs/group/nested").get_json()["run"]["labels"] == ["keep"]


def test_emptying_the_trash_removes_only_trashed_runs(root, client, capsys):
    ok(change(client, "POST", "/api/manage/trash", {"run": "beta"}))
    (root / ".liteboard" / "trash" / "mine.txt").write_text("not a trashed run")
    removed = ok(change(client, "DELETE", "/api/manage/trash"))["removed"]
    assert [r["run"] for r in removed] == ["beta"]
    assert "trash emptied: 1 run(s) removed for good ('beta')" in capsys.readouterr().err
    assert sorted(p.name for p in (root / ".liteboard" / "trash").iterdir()) == ["mine.txt"]
    assert names(client) == ["alpha", "group/nested"]
    assert (root / "alpha" / "events.sqlite").is_file()


@pytest.mark.parametrize("case, message", [
    ("logdir", "the logdir itself"),
    ("holds", "holds other runs (group/nested)"),
    ("running", "is still being written"),
])
def test_runs_that_cannot_be_trashed_are_refused_and_left_in_place(root, case, message):
    if case == "logdir":
        write_run(root)
        run = "."
    elif case == "holds":
        write_run(root / "group")
        run = "group"
    client = make_client(root)
    if case == "running":
        writer = tracker.SummaryWriter(str(root / "live"))
        writer.add_scalar("loss", 1.0, 0)
        writer.flush()
        run = "live"
    try:
        response = change(client, "POST", "/api/manage/trash", {"run": run})
    finally:
        if case == "running":
            writer.close()
    assert response.status_code == 409 and message in response.get_json()["error"]
    assert (root / run / "events.sqlite").is_file()
    assert client.get("/api/manage/trash").get_json()["trash"] == []


def test_a_trash_on_another_filesystem_is_refused_rather_than_copied(root, client, monkeypatch):
    def cross_device(source, target):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(trash.os, "rename", cross_device)
    response = change(client, "POST", "/api/manage/trash", {"run": "alpha"})
    assert response.status_code == 409 and "another filesystem" in response.get_json()["error"]
    assert (root / "alpha" / "events.sqlite").is_file()
    assert client.get("/api/manage/trash").get_json()["trash"] == []


def test_restore_is_refused_when_a_run_took_its_place(root, client):
    record = ok(change(client, "POST", "/api/manage/trash", {"run": "alpha"}))["trashed"]
    write_run(root / "alpha", steps=1)
    response = change(client, "POST", "/api/manage/restore", {"id": record["id"]})
    assert response.status_code == 409 and "exists again" in response.get_json()["error"]
    assert [r["id"] for r in client.get("/api/manage/trash").get_json()["trash"]] == [record["id"]]
    assert change(client, "POST", "/api/manage/restore", {"id": 999}).status_code == 404


def test_a_read_only_logdir_keeps_annotations_in_the_cache_folder_and_refuses_the_trash(root, tmp_path, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(state_folder.os, "access",
                        lambda path, mode: False if os.fspath(path) == os.fspath(root) else real_access(path, mode))
    client = make_client(root)
    ok(change(client, "PUT", "/api/manage/run", {"run": "alpha", "hidden": True}))
    assert not (root / ".liteboard").exists()
    assert list((tmp_path / "cache").rglob("runs.sqlite"))
    assert names(client) == ["beta", "group/nested"]
    assert client.get("/api/manage/state").get_json()["trash_available"] is False
    response = change(client, "POST", "/api/manage/trash", {"run": "beta"})
    assert response.status_code == 409 and "cache directory" in response.get_json()["error"]
    assert (root / "beta" / "events.sqlite").is_file()


class Notices(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside, self.texts = False, []

    def handle_starttag(self, tag, attrs):
        if tag == "div" and "state-notice" in (dict(attrs).get("class") or ""):
            self.inside = True
            self.texts.append("")

    def handle_endtag(self, tag):
        if tag == "div":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.texts[-1] += data


@pytest.mark.parametrize("damage", [b"this is not a database" * 200, "foreign"])
def test_a_damaged_state_file_is_moved_aside_with_a_terminal_line_and_a_page_notice(root, damage, capsys):
    client = make_client(root)
    ok(change(client, "PUT", "/api/manage/run", {"run": "alpha", "hidden": True}))
    path = root / ".liteboard" / "runs.sqlite"
    path.unlink()
    if damage == "foreign":
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE things (a)")
        db.close()
    else:
        path.write_bytes(damage)
    damaged = path.read_bytes()
    capsys.readouterr()
    client = make_client(root)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "runs.sqlite was damaged" in err and "moved aside" in err
    (aside,) = (root / ".liteboard").glob("runs.sqlite.damaged-*")
    assert aside.read_bytes() == damaged  # kept, never deleted
    assert names(client) == ["alpha", "beta", "group/nested"]
    parser = Notices()
    parser.feed(client.get("/").get_data(as_text=True))
    assert len(parser.texts) == 1 and "moved aside to " + aside.name in parser.texts[0]
    assert client.get("/api/manage/state").get_json()["notices"] == [parser.texts[0]]
    ok(change(client, "PUT", "/api/manage/run", {"run": "beta", "hidden": True}))
    assert names(client) == ["alpha", "group/nested"]


def test_a_trash_folder_on_another_device_is_refused_before_anything_moves(root, client, monkeypatch):
    real_stat = os.stat

    class Elsewhere:
        def __init__(self, result):
            self.result = result

        def __getattr__(self, name):
            return getattr(self.result, name) if name != "st_dev" else self.result.st_dev + 1

    monkeypatch.setattr(trash.os, "stat", lambda path, *a, **k: Elsewhere(real_stat(path, *a, **k))
                        if str(path).endswith("trash") else real_stat(path, *a, **k))
    response = change(client, "POST", "/api/manage/trash", {"run": "alpha"})
    assert response.status_code == 409 and "on another filesystem than run 'alpha'" in response.get_json()["error"]
    assert (root / "alpha" / "events.sqlite").is_file()


def test_changes_from_many_threads_at_once_are_all_kept(root):
    from concurrent.futures import ThreadPoolExecutor

    for index in range(12):
        write_run(root / "many" / f"r{index}", steps=1)
    client = make_client(root)

    def hide(index):
        return change(client, "PUT", "/api/manage/run", {"run": f"many/r{index}", "hidden": True,
                                                         "labels": [f"l{index}"]}).status_code

    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(hide, range(12))) == [200] * 12
    listing = client.get("/api/runs").get_json()
    assert listing["hidden_count"] == 12 and len(listing["labels"]) == 12
    assert names(client) == ["alpha", "beta", "group/nested"]


def test_a_state_file_damaged_while_serving_is_moved_aside_and_the_pages_keep_working(root, client, capsys):
    ok(change(client, "PUT", "/api/manage/run", {"run": "alpha", "hidden": True}))
    path = root / ".liteboard" / "runs.sqlite"
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    path.write_bytes(b"garbage" * 1000)
    capsys.readouterr()
    assert names(client) == ["alpha", "beta", "group/nested"]
    assert "runs.sqlite was damaged" in capsys.readouterr().err
    assert len(list((root / ".liteboard").glob("runs.sqlite.damaged-*"))) == 1
    assert client.get("/api/manage/trash").get_json()["trash"] == []
    ok(change(client, "PUT", "/api/manage/run", {"run": "beta", "hidden": True}))
    assert names(client) == ["alpha", "group/nested"]


def test_two_damaged_files_in_one_second_are_both_kept(root, client):
    path = root / ".liteboard" / "runs.sqlite"
    ok(change(client, "PUT", "/api/manage/run", {"run": "alpha", "hidden": True}))
    for content in (b"first" * 500, b"second" * 500):
        for suffix in ("-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        path.write_bytes(content)
        make_client(root)
    kept = sorted(p.read_bytes()[:6] for p in (root / ".liteboard").glob("runs.sqlite.damaged-*"))
    assert kept == [b"firstf", b"second"]
