"""The Runs table: "Steps" counts logged steps beside the last step, a poll that changed nothing
leaves the table's DOM alone, and a run's damaged fields show, as text, on its row and its page."""

import sqlite3

import pytest

import tracker
from dashboard.app import create_app

HOSTILE = "<img src=x onerror=\"window.__pwned = 1\">"


@pytest.fixture(scope="module")
def runs_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs_table")
    with tracker.SummaryWriter(str(root / "sparse")) as writer:
        for step in range(0, 1000, 100):     # 10 logged steps, the last one 900
            writer.add_scalar("loss", 1.0 / (step + 1), step)
        writer.add_scalar("rare", 1.0, 450)
    with tracker.SummaryWriter(str(root / "damaged")) as writer:
        writer.add_scalar("loss", 1.0, 0)
        writer.add_hparams({"lr": 0.1}, {})
    with sqlite3.connect(root / "damaged" / "events.sqlite") as db:
        db.execute("UPDATE hparams SET value = ? WHERE name = 'lr'", (HOSTILE,))
    db.close()
    return root, create_app(root, {"TESTING": True, "REFRESH_SECONDS": 0.3})


def test_steps_count_logged_steps_and_last_step_is_beside_it(runs_app):
    _, app = runs_app
    runs = {r["name"]: r for r in app.test_client().get("/api/runs").get_json()["runs"]}
    assert (runs["sparse"]["steps"], runs["sparse"]["last_step"]) == (10, 900)
    assert (runs["damaged"]["steps"], runs["damaged"]["last_step"]) == (1, 0)
    detail = app.test_client().get("/api/runs/sparse").get_json()["run"]
    assert (detail["steps"], detail["last_step"]) == (10, 900)



@pytest.mark.browser
def test_runs_table_shows_steps_and_problems_and_keeps_its_dom_on_an_unchanged_poll(
        runs_app, serve, page, screenshot):
    root, app = runs_app
    with serve(app) as url:
        page.goto(f"{url}/")
        row = page.locator('#runs-table tbody tr[data-run="sparse"]')
        row.wait_for()
        steps = row.locator("td.num").nth(2)   # Started, Duration, Steps
        assert steps.text_content() == "10 last 900"
        damaged = page.locator('#runs-table tbody tr[data-run="damaged"]')
        assert damaged.locator(".run-problem").text_content() == f"hparam 'lr' is not valid JSON: {HOSTILE!r}"
        assert page.locator("#runs-table img").count() == 0
        screenshot("runs_steps_problems")

        # Mark the rows, let several polls (0.3 s apart) answer the same runs: the marks stay.
        page.evaluate("document.querySelectorAll('#runs-table tbody tr').forEach(r => r.marked = true)")
        polls = page.evaluate("""() => new Promise(done => {
            let count = 0;
            const original = window.fetch;
            window.fetch = (...args) => { if (String(args[0]).includes('/api/runs')) count++; return original(...args); };
            setTimeout(() => done(count), 1500);
        })""")
        assert polls >= 3
        assert page.evaluate("[...document.querySelectorAll('#runs-table tbody tr')].every(r => r.marked)")

        # A change (a new step in one run) rebuilds the table with the new count.
        with tracker.SummaryWriter(str(root / "sparse")) as writer:
            writer.add_scalar("loss", 0.0005, 1000)
        page.wait_for_function("""() => document.querySelector('#runs-table tbody tr[data-run="sparse"]')
            .querySelectorAll('td.num')[2].textContent === '11 last 1000'""")
        assert not page.evaluate("document.querySelector('#runs-table tbody tr').marked ?? false")

        page.goto(f"{url}/runs/damaged")
        page.wait_for_selector("#run-problems li")
        assert page.locator("#run-problems li").all_text_contents() == [
            f"hparam 'lr' is not valid JSON: {HOSTILE!r}"]
        assert page.locator("#run-problems").is_visible()
        assert page.evaluate("window.__pwned ?? null") is None and page.locator("img").count() == 0
        screenshot("run_problems")
