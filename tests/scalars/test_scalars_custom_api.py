"""/api/tags gives the custom-scalars layout's charts first, merged across runs, tags matched."""

import tracker
from custom_runs import custom_logdir  # noqa: F401  (fixture)
from dashboard.app import create_app
from dashboard.scalars.charts import custom_groups


def test_custom_groups_come_first_with_their_charts(custom_logdir):  # noqa: F811
    groups = create_app(custom_logdir).test_client().get("/api/tags").get_json()["groups"]
    custom = [g for g in groups if g.get("custom")]
    assert [g["name"] for g in groups[:2]] == ["Taiwan", "USA"] and len(custom) == 2
    taiwan, usa = custom
    assert taiwan["charts"] == [{"chart": "custom:Taiwan/twse", "title": "twse", "kind": "multiline",
                                 "tags": ["twse/0050", "twse/2330"], "runs": ["market_a", "market_b"]}]
    assert usa["charts"] == [
        {"chart": "custom:USA/all", "title": "all", "kind": "multiline",
         "tags": ["dow/aaa", "dow/bbb", "dow/ccc"], "runs": ["market_a", "market_b"]},
        {"chart": "custom:USA/dow", "title": "dow", "kind": "margin",
         "tags": ["dow/aaa", "dow/bbb", "dow/ccc"], "runs": ["market_a", "market_b"]}]
    assert {g["name"] for g in groups[2:]} == {"twse", "dow"}  # the tag groups still follow


def test_layouts_merge_across_runs_and_a_bad_regex_matches_nothing(tmp_path):
    with tracker.SummaryWriter(tmp_path / "a") as w:
        w.add_custom_scalars_multilinechart(["loss"], category="c", title="one")
        w.add_scalar("loss", 1.0, 0)
    with tracker.SummaryWriter(tmp_path / "b") as w:
        w.add_custom_scalars_multilinechart(["(?<=x)loss"], category="c", title="two")  # not RE2
        w.add_scalar("loss", 2.0, 0)
    groups = custom_groups(tracker.list_runs(tmp_path))
    assert [(c["title"], c["tags"], c["runs"]) for c in groups[0]["charts"]] == [
        ("one", ["loss"], ["a", "b"]), ("two", [], [])]


def test_a_damaged_chart_is_named_and_the_run_still_lists(tmp_path):
    import sqlite3
    with tracker.SummaryWriter(tmp_path / "a") as w:
        w.add_custom_scalars({"c": {"good": ["Multiline", ["loss"]], "bad": ["Margin", ["x", "y", "z"]]}})
        w.add_scalar("loss", 1.0, 0)
    with sqlite3.connect(tmp_path / "a" / tracker.EVENTS_FILE) as conn:
        conn.execute("UPDATE charts SET tags = '{not json' WHERE title = 'bad'")
        conn.execute("INSERT INTO charts VALUES ('c', 'short', 'margin', '[\"loss\"]')")
    conn.close()
    (info,) = tracker.list_runs(tmp_path)
    assert info.error is None and set(info.charts["c"]) == {"good", "short"}
    assert info.problems == ["custom chart 'c'/'bad' has no list of tags: None"]
    groups = create_app(tmp_path).test_client().get("/api/tags").get_json()["groups"]
    assert [c["title"] for c in groups[0]["charts"]] == ["good"]
