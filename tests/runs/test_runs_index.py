"""The run index behind /api/runs: paging, sorting and filtering on the server, `since` polls,
runs that change, appear, vanish or become unreadable while serving, and an index file that is
deleted, damaged or cannot be kept beside the logdir."""

import json
import os
import shutil
import sqlite3
import time

import pytest

import tracker
from dashboard.app import create_app
from dashboard.runs import index as run_index

TOKEN = "the-token"


def write(root, name, steps=3, start=0.0, tag="loss", hparams=None):
    with tracker.SummaryWriter(str(root / name)) as writer:
        for step in range(steps):
            writer.add_scalar(tag, float(steps - step), step, walltime=1.7e9 + start + step)
        if hparams:
            writer.add_hparams(hparams, {"m": 1.0})


def make_logdir(root):
    for i, name in enumerate(["alpha", "Beta", "gamma", "delta", "sweep/a", "sweep/b"]):
        write(root, name, steps=i + 1, start=i * 10)
    return root


@pytest.fixture
def root(tmp_path):
    return make_logdir(tmp_path / "logdir")


@pytest.fixture
def client(root):
    return create_app(root, {"TESTING": True, "CSRF_TOKEN": TOKEN}).test_client()


def runs(client, **query):
    response = client.get("/api/runs", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def names(answer):
    return [run["name"] for run in answer["runs"]]


def test_pages_are_cut_on_the_server_with_the_counts_beside_them(client):
    first = runs(client, limit=2)
    assert names(first) == ["Beta", "alpha"] and (first["total"], first["matched"]) == (6, 6)
    assert (first["offset"], first["limit"], first["delta"]) == (0, 2, False)
    assert names(runs(client, limit=2, offset=2)) == ["delta", "gamma"]
    assert names(runs(client, limit=2, offset=4)) == ["sweep/a", "sweep/b"]
    assert names(runs(client, limit=2, offset=6)) == []


@pytest.mark.parametrize("sort, desc, expected", [
    ("steps", "1", ["sweep/b", "sweep/a", "delta", "gamma", "Beta", "alpha"]),
    ("steps", "0", ["alpha", "Beta", "gamma", "delta", "sweep/a", "sweep/b"]),
    ("start_time", "1", ["sweep/b", "sweep/a", "delta", "gamma", "Beta", "alpha"]),
    ("tag:loss", "0", ["Beta", "alpha", "delta", "gamma", "sweep/a", "sweep/b"]),  # last value 1.0 each: by name
    ("name", "1", ["sweep/b", "sweep/a", "gamma", "delta", "alpha", "Beta"]),
])
def test_sorting_happens_on_the_server(client, sort, desc, expected):
    assert names(runs(client, sort=sort, desc=desc)) == expected


def test_a_run_without_the_sorted_tag_comes_last_either_way(root, client):
    write(root, "other", steps=2, tag="accuracy")
    assert names(runs(client, sort="tag:accuracy"))[0] == "other"
    assert names(runs(client, sort="tag:accuracy", desc=1))[0] == "other"


def test_the_regex_is_case_insensitive_and_matches_display_names(client):
    assert names(runs(client, run_regex="beta|ALPHA")) == ["Beta", "alpha"]
    answer = runs(client, run_regex="^sweep/", limit=1)
    assert names(answer) == ["sweep/a"] and answer["matched"] == 2 and answer["total"] == 6
    put = client.put("/api/manage/run", json={"run": "gamma", "display_name": "the best one"},
                     headers={"X-Liteboard-Token": TOKEN})
    assert put.status_code == 200, put.get_data(as_text=True)
    assert names(runs(client, run_regex="BEST")) == ["gamma"]


def test_a_filter_follows_the_runs_that_come_and_go(root, client):
    most = ["Beta", "alpha", "delta", "gamma", "sweep/a"]  # all but sweep/b have an "a"
    first = runs(client, run_regex="A")
    assert names(first) == most and first["matched"] == 5
    assert names(runs(client, run_regex="^sweep/b$")) == ["sweep/b"]
    write(root, "zeta")
    write(root, "über/straße")
    shutil.rmtree(root / "alpha")
    assert names(runs(client, run_regex="A")) == ["Beta", "delta", "gamma", "sweep/a", "zeta", "über/straße"]
    assert names(runs(client, run_regex="^ÜBER/STRAßE")) == ["über/straße"]  # Unicode case folding
    answer = runs(client, run_regex="A", since=first["token"])
    assert answer["delta"] is True and answer["matched"] == 6
    assert "alpha" in answer["removed"] and "zeta" not in answer["removed"]  # gone, or changed and left out
    # the new runs, and those whose colour moved (colours follow start order); never one the filter leaves out
    assert {"zeta", "über/straße"} <= set(names(answer)) <= set(most) | {"zeta", "über/straße"}
    assert names(runs(client, run_regex="nothing")) == [] and runs(client, run_regex="nothing")["matched"] == 0


def test_without_tags_an_answer_leaves_each_runs_tag_summaries_out(client):
    run = runs(client, tags=0, limit=1)["runs"][0]
    assert "tags" not in run and run["color"].startswith("#") and run["steps"] == 2


@pytest.mark.parametrize("query, words", [
    ({"sort": "size"}, ["'sort'", "tag:<tag>"]),
    ({"limit": "0"}, ["'limit'", "at least 1"]),
    ({"limit": "10001"}, ["'limit'", "at most 10000"]),
    ({"offset": "-1"}, ["'offset'"]),
    ({"offset": "x"}, ["'offset'", "integer"]),
    ({"desc": "yes"}, ["'desc'"]),
    ({"tags": "2"}, ["'tags'"]),
    ({"run_regex": "("}, ["'run_regex'"]),
])
def test_a_bad_list_parameter_is_a_400_naming_it(client, query, words):
    response = client.get("/api/runs", query_string=query)
    assert response.status_code == 400
    for word in words:
        assert word in response.get_json()["error"]


def test_a_since_poll_with_nothing_new_is_a_few_hundred_bytes(client):
    token = runs(client)["token"]
    response = client.get("/api/runs", query_string={"since": token})
    answer = response.get_json()
    assert answer["delta"] is True and answer["runs"] == [] and answer["removed"] == []
    assert answer["token"] == token and answer["total"] == 6
    assert len(response.get_data()) < 300


def test_since_gives_what_changed_appeared_and_vanished(root, client):
    token = runs(client)["token"]
    write(root, "late", steps=2)
    with tracker.SummaryWriter(str(root / "alpha")) as writer:  # resumes: one more step
        writer.add_scalar("loss", 0.5, 5)
    shutil.rmtree(root / "sweep" / "b")  # the last to start: no other run's colour moves
    answer = runs(client, since=token)
    assert answer["delta"] is True
    assert names(answer) == ["alpha", "late"] and answer["removed"] == ["sweep/b"]
    alpha = answer["runs"][0]
    assert alpha["tags"]["loss"]["last_step"] == 5 and alpha["steps"] == 2
    assert answer["token"] != token
    again = runs(client, since=answer["token"])
    assert again["runs"] == [] and again["removed"] == []


def test_a_hidden_run_leaves_a_since_poll_as_removed_and_comes_back_when_shown(client):
    token = runs(client)["token"]
    headers = {"X-Liteboard-Token": TOKEN}
    assert client.put("/api/manage/run", json={"run": "gamma", "hidden": True}, headers=headers).status_code == 200
    answer = runs(client, since=token)
    assert answer["runs"] == [] and answer["removed"] == ["gamma"] and answer["hidden_count"] == 1
    shown = runs(client, since=token, hidden=1)
    assert names(shown) == ["gamma"] and shown["runs"][0]["hidden"] is True


def test_a_token_from_elsewhere_gets_the_whole_list(client):
    for token in ("nonsense", "abc.1", runs(client)["token"].split(".")[0] + ".999999"):
        answer = runs(client, since=token)
        assert answer["delta"] is False and len(answer["runs"]) == 6


def test_unchanged_runs_are_not_opened_again(root, client, run_reads):
    runs(client)
    opened = run_reads.opened
    opened.clear()
    runs(client)
    assert opened == []
    write(root, "gamma", steps=9)
    runs(client)
    assert opened == ["gamma"]


def test_a_run_unreadable_for_a_while_is_flagged_then_served_again(root, client):
    path = root / "alpha" / tracker.EVENTS_FILE
    good = path.read_bytes()
    path.write_bytes(b"this is not a database" * 100)
    alpha = next(r for r in runs(client)["runs"] if r["name"] == "alpha")
    assert alpha["status"] == "error" and "not an SQLite database" in alpha["error"]
    path.write_bytes(good)
    alpha = next(r for r in runs(client)["runs"] if r["name"] == "alpha")
    assert alpha["status"] == "finished" and alpha["steps"] == 1


def test_a_vanished_run_moves_the_colours_of_runs_that_started_after_it(root, client):
    before = {run["name"]: run["color"] for run in runs(client)["runs"]}
    token = runs(client)["token"]
    shutil.rmtree(root / "gamma")
    answer = runs(client, since=token)
    assert answer["removed"] == ["gamma"] and names(answer) == ["delta", "sweep/a", "sweep/b"]
    assert [run["color"] for run in answer["runs"]] == [before["gamma"], before["delta"], before["sweep/a"]]


def test_a_directory_that_cannot_be_listed_is_flagged_and_the_rest_served(shared_dir, viewer):
    root = make_logdir(shared_dir / "logdir")
    code = """
import sys, json
from dashboard.app import create_app
client = create_app(sys.argv[1], {"TESTING": True}).test_client()
answer = client.get("/api/runs").get_json()
print(json.dumps({r["name"]: [r["status"], r["error"]] for r in answer["runs"]}))
"""
    os.chmod(root / "sweep", 0o700)
    try:
        shown = viewer.run(code, root)
    finally:
        os.chmod(root / "sweep", 0o755)
    assert shown.returncode == 0, shown.stderr
    found = json.loads(shown.stdout)
    assert found["alpha"][0] == "finished"
    if viewer.user is not None or os.geteuid() != 0:
        assert found["sweep"][0] == "error" and "cannot be read" in found["sweep"][1]


def test_the_index_lives_in_the_state_folder_and_survives_a_restart(root, client, run_reads):
    runs(client)
    assert (root / ".liteboard" / run_index.FILE).is_file()
    run_reads.opened.clear()
    again = create_app(root, {"TESTING": True}).test_client()
    assert len(runs(again)["runs"]) == 6 and run_reads.opened == []


@pytest.mark.parametrize("damage", [b"garbage" * 1000, b""])
def test_a_damaged_index_is_rebuilt_from_the_runs(root, client, capsys, damage):
    runs(client)
    path = root / ".liteboard" / run_index.FILE
    for suffix in ("-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    path.write_bytes(damage)
    fresh = create_app(root, {"TESTING": True}).test_client()
    assert len(runs(fresh)["runs"]) == 6
    if damage:
        assert "rebuilt from the runs" in capsys.readouterr().err


def test_an_index_of_another_program_is_replaced_not_trusted(root):
    path = root / ".liteboard" / run_index.FILE
    path.parent.mkdir()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE runs (name TEXT)")
        conn.execute("INSERT INTO runs VALUES ('ghost')")
    conn.close()
    answer = runs(create_app(root, {"TESTING": True}).test_client())
    assert "ghost" not in names(answer) and len(answer["runs"]) == 6


def test_an_index_deleted_while_serving_is_rebuilt(root, client, capsys):
    runs(client)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{root / '.liteboard' / run_index.FILE}{suffix}"):
            os.remove(f"{root / '.liteboard' / run_index.FILE}{suffix}")
    assert len(runs(client)["runs"]) == 6
    assert (root / ".liteboard" / run_index.FILE).is_file()
    assert "was removed; it is rebuilt" in capsys.readouterr().err


def test_a_read_only_logdir_keeps_its_index_elsewhere(shared_dir, viewer):
    root = make_logdir(shared_dir / "logdir")
    code = """
import sys, json, os
from dashboard.app import create_app
client = create_app(sys.argv[1], {"TESTING": True}).test_client()
answer = client.get("/api/runs").get_json()
print(json.dumps([len(answer["runs"]), os.path.exists(os.path.join(sys.argv[1], ".liteboard"))]))
"""
    if viewer.user is None and os.geteuid() == 0:
        pytest.skip("root may write anywhere")
    os.chmod(root, 0o555)
    try:
        shown = viewer.run(code, root)
    finally:
        os.chmod(root, 0o755)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == [6, False]


def test_a_big_logdir_is_scanned_in_the_background_and_answers_do_not_wait(root, client, monkeypatch, run_reads):
    runs(client)
    monkeypatch.setattr(run_index, "SYNC_SCAN_SECS", -1.0)  # every logdir counts as big
    monkeypatch.setattr(run_index, "SYNC_SCAN_RUNS", -1)
    index = client.application.extensions["liteboard_caches"]["run_index"]
    index.interval = 0.05
    release = run_reads.hold("late")
    write(root, "late", steps=1)
    started = time.monotonic()
    first = runs(client)  # answered from the index as it was, while the scanner waits on "late"
    assert "late" not in names(first) and time.monotonic() - started < 10
    release.set()
    deadline = time.monotonic() + 20
    while "late" not in names(runs(client)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "late" in names(runs(client))


def test_a_first_build_answers_with_its_first_runs_and_brings_the_rest_as_changes(root, monkeypatch, run_reads):
    monkeypatch.setattr(run_index, "FIRST_CHUNK", 2)
    monkeypatch.setattr(run_index, "CHUNK", 2)
    release = run_reads.hold("gamma")  # the fifth run in name order: the walk waits there
    client = create_app(root, {"TESTING": True}).test_client()
    first = runs(client)
    assert first["indexing"] is True and 2 <= len(first["runs"]) < 6
    release.set()
    deadline = time.monotonic() + 20
    answer = runs(client, since=first["token"])
    while answer["indexing"] and time.monotonic() < deadline:
        time.sleep(0.05)
        answer = runs(client, since=first["token"])
    assert answer["indexing"] is False and answer["delta"] is True
    assert set(names(first)) | set(names(answer)) == {"alpha", "Beta", "gamma", "delta", "sweep/a", "sweep/b"}
    assert [run["color"] for run in runs(client, sort="start_time")["runs"]][:3] == [
        "#1f77b4", "#ff7f0e", "#2ca02c"]  # colours dealt in start order once the build is done


def test_a_build_cut_short_is_finished_by_the_next_server_without_reading_again(root, client, run_reads):
    runs(client)
    path = root / ".liteboard" / run_index.FILE
    with sqlite3.connect(path) as conn:  # as a server stopped during its first build leaves it
        conn.execute("UPDATE meta SET value = 0 WHERE key = 'complete'")
        conn.execute("DELETE FROM runs WHERE name LIKE 'sweep/%'")
    conn.close()
    run_reads.opened.clear()
    again = create_app(root, {"TESTING": True}).test_client()
    assert len(runs(again)["runs"]) == 6 and sorted(run_reads.opened) == ["sweep/a", "sweep/b"]


def test_tensorboard_files_are_noted_by_the_scan_and_again_after_a_rebuild(root, client, capsys):
    (root / "tb" / "a").mkdir(parents=True)
    (root / "tb" / "a" / "events.out.tfevents.1.host").write_bytes(b"")
    assert client.get("/api/tensorboard").get_json()["dirs"] == ["tb/a"]
    assert "holds TensorBoard event files in 1 directory (tb/a)" in capsys.readouterr().err
    assert client.get("/api/tensorboard").get_json()["dirs"] == ["tb/a"]
    assert capsys.readouterr().err == ""  # said once, not at every scan
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{root / '.liteboard' / run_index.FILE}{suffix}"):
            os.remove(f"{root / '.liteboard' / run_index.FILE}{suffix}")
    assert client.get("/api/tensorboard").get_json()["dirs"] == ["tb/a"]
