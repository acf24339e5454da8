"""Run management in Chromium: hiding, labelling, naming and trashing runs from the Runs page and a
run's page, the Trash page, and a change from another site refused by the server."""

import json
import urllib.request

import pytest

import tracker
from dashboard.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for name in ("alpha", "beta", "gamma"):
        with tracker.SummaryWriter(str(tmp_path / "logdir" / name)) as writer:
            for step in range(3):
                writer.add_scalar("loss", 1.0 / (step + 1), step)
    return tmp_path / "logdir"


def app_of(root, **config):
    return create_app(root, {"TESTING": True, "REFRESH_SECONDS": 60, **config})


def rows(page):
    return page.locator("#runs-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.run)")


def runs_api(url, **query):
    query_string = "&".join(f"{key}={value}" for key, value in query.items())
    with urllib.request.urlopen(f"{url}/api/runs?{query_string}") as response:
        return json.load(response)


def test_hide_and_label_runs_from_the_runs_table(root, serve, page, screenshot):
    with serve(app_of(root)) as url:
        page.goto(f"{url}/")
        page.wait_for_selector('#runs-table tbody tr[data-run="gamma"]')
        assert page.locator("#show-hidden-label").text_content() == "Show hidden (0)"
        page.check('#runs-table tbody input[data-run="beta"]')
        page.click("#hide-selected")
        page.wait_for_function("() => document.getElementById('show-hidden-label').textContent === 'Show hidden (1)'")
        assert rows(page) == ["alpha", "gamma"]
        assert "Hid 1 run." in page.locator("#manage-status").text_content()

        page.check("#show-hidden")
        page.wait_for_selector('#runs-table tbody tr.run-hidden[data-run="beta"] .hidden-badge')
        assert rows(page) == ["alpha", "beta", "gamma"] and "hidden=1" in page.url

        page.check('#runs-table tbody input[data-run="alpha"]')  # beta is still ticked
        page.fill("#bulk-label", "sweep")
        page.click("#add-label")
        page.wait_for_selector('#runs-table tbody tr[data-run="alpha"] .label-chip')
        assert page.locator('#runs-table tbody tr[data-run="beta"] .label-chip').all_text_contents() == ["sweep"]
        page.select_option("#label-filter", "sweep")
        page.wait_for_function("() => document.querySelectorAll('#runs-table tbody tr').length === 2")
        assert rows(page) == ["alpha", "beta"] and "label=sweep" in page.url
        screenshot("manage_runs_table")

        page.uncheck("#show-hidden")
        page.wait_for_function("() => document.querySelectorAll('#runs-table tbody tr').length === 1")
        assert rows(page) == ["alpha"]
        page.reload()  # the filters are in the URL; the hidden flag and labels on the server
        page.wait_for_selector('#runs-table tbody tr[data-run="alpha"]')
        assert rows(page) == ["alpha"] and page.locator("#label-filter").input_value() == "sweep"


def test_name_notes_labels_hide_and_trash_from_a_runs_page_then_restore(root, serve, page, screenshot):
    with serve(app_of(root)) as url:
        page.goto(f"{url}/runs/alpha")
        page.wait_for_selector("#run-facts dt")
        page.fill("#run-display-name", "Baseline <b>run</b>")
        page.fill("#run-labels", "baseline, lr-0.1")
        page.fill("#run-notes", "first try\nlr too high?")
        page.click("#run-save")
        page.wait_for_function("() => document.getElementById('run-manage-status').textContent === 'Saved.'")
        page.reload()
        page.wait_for_function("() => document.getElementById('run-display-name').value !== ''")
        assert page.locator("#run-display-name").input_value() == "Baseline <b>run</b>"
        assert page.locator("#run-labels").input_value() == "baseline, lr-0.1"
        assert page.locator("#run-notes").input_value() == "first try\nlr too high?"
        assert page.locator("#run-title").text_content() == "Baseline <b>run</b> alpha"
        assert page.locator("#run-title b").count() == 0
        screenshot("manage_run_page")

        page.click("#run-hide")
        page.wait_for_selector("#run-title .hidden-badge")
        assert page.locator("#run-hide").text_content() == "Unhide"

        page.click("#run-delete")
        assert page.locator("#run-delete").text_content() == "Confirm: move to trash"
        page.click("#run-delete")
        page.wait_for_selector("#run-manage-status a[href='/trash']")
        assert not (root / "alpha").exists()

        page.goto(f"{url}/")
        page.wait_for_selector('#runs-table tbody tr[data-run="beta"]')
        page.check("#show-hidden")
        page.wait_for_function("() => document.getElementById('show-hidden-label').textContent === 'Show hidden (0)'")
        assert rows(page) == ["beta", "gamma"]
        page.check('#runs-table tbody input[data-run="gamma"]')
        page.click("#delete-selected")
        assert page.locator("#delete-selected").text_content() == "Confirm: move 1 run to trash"
        page.click("#delete-selected")
        page.wait_for_function("() => document.querySelectorAll('#runs-table tbody tr').length === 1")

        page.click("#open-trash")
        page.wait_for_selector('#trash-table tbody tr[data-run="gamma"]')
        assert page.locator("#trash-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.run)") == [
            "alpha", "gamma"]
        screenshot("manage_trash")
        page.click('#trash-table tbody tr[data-run="alpha"] button')
        page.wait_for_function("() => document.querySelectorAll('#trash-table tbody tr').length === 1")
        assert (root / "alpha" / "events.sqlite").is_file()
        page.click("#empty-trash")
        assert page.locator("#empty-trash").text_content() == "Confirm: remove 1 run for good"
        page.click("#empty-trash")
        page.wait_for_selector("#trash-empty:not([hidden])")
        assert not list((root / ".liteboard" / "trash").iterdir())
        assert [run["name"] for run in runs_api(url, hidden=1)["runs"]] == ["alpha", "beta"]
        assert runs_api(url, hidden=1)["runs"][0]["display_name"] == "Baseline <b>run</b>"


@pytest.mark.allow_console_errors  # the refused requests log their 403s
def test_a_change_from_another_site_or_without_the_token_is_refused_in_chromium(root, serve, page):
    with serve(app_of(root)) as url:
        page.route("http://evil.example/**", lambda route: route.fulfill(
            status=200, content_type="text/html", body="<!doctype html><title>evil</title>"))
        page.goto("http://evil.example/")
        # A cross-site request a page may send without a preflight: it reaches the server, which refuses it.
        page.evaluate("""url => Promise.all([
            fetch(url + '/api/manage/run', {method: 'PUT', mode: 'no-cors', body: '{"run": "alpha", "hidden": true}',
                                            headers: {'Content-Type': 'text/plain'}}).catch(() => null),
            fetch(url + '/api/manage/trash', {method: 'POST', mode: 'no-cors', body: '{"run": "beta"}',
                                              headers: {'Content-Type': 'text/plain'}}).catch(() => null)])""", url)
        # The JSON a script would need the token for cannot be read from another origin either.
        readable = page.evaluate("url => fetch(url + '/api/manage/state').then(r => r.json()).then(() => true, () => false)", url)
        assert readable is False

        page.goto(f"{url}/")
        page.wait_for_selector('#runs-table tbody tr[data-run="alpha"]')
        answer = page.evaluate("""async () => {
            const response = await fetch('/api/manage/run', {method: 'PUT', headers: {'Content-Type': 'application/json'},
                                                               body: JSON.stringify({run: 'alpha', hidden: true})});
            return [response.status, (await response.json()).error];
        }""")
        assert answer[0] == 403 and "X-Liteboard-Token header is missing" in answer[1]
        get = page.evaluate("() => fetch('/api/manage/run?run=alpha&hidden=true').then(r => r.status)")
        assert get == 405
        listing = runs_api(url, hidden=1)
        assert listing["hidden_count"] == 0 and [r["name"] for r in listing["runs"]] == ["alpha", "beta", "gamma"]
        assert not (root / ".liteboard" / "runs.sqlite").exists()  # only the run index, a cache, is there


def test_a_read_only_server_shows_its_controls_disabled(root, serve, page):
    with serve(app_of(root, READ_ONLY=True)) as url:
        page.goto(f"{url}/")
        page.wait_for_selector('#runs-table tbody tr[data-run="alpha"]')
        page.check('#runs-table tbody input[data-run="alpha"]')
        for control in ("#hide-selected", "#delete-selected", "#add-label"):
            assert page.locator(control).is_disabled()
        page.goto(f"{url}/runs/alpha")
        page.wait_for_function("() => document.getElementById('run-manage-status').textContent.includes('read-only')")
        assert page.locator("#run-save").is_disabled() and page.locator("#run-notes").is_disabled()


@pytest.mark.parametrize("path", ["/scalars", "/compare", "/text"])
def test_the_run_selector_leaves_hidden_runs_out_until_show_hidden(root, serve, page, path, screenshot):
    app = app_of(root)
    client = app.test_client()
    for run, fields in (("beta", {"hidden": True}), ("gamma", {"display_name": "Gamma (best)"})):
        response = client.put("/api/manage/run", json={"run": run, **fields},
                              headers={"X-Liteboard-Token": app.config["CSRF_TOKEN"]})
        assert response.status_code == 200
    listed = "() => [...document.querySelectorAll('[data-run-list] ul.runs input')].map(b => b.dataset.run)"
    with serve(app) as url:
        page.goto(f"{url}{path}")
        page.wait_for_function(f"() => ({listed})().length === 2")
        assert page.evaluate(listed) == ["alpha", "gamma"]
        assert page.locator("[data-run-list] .show-hidden-label").text_content() == "Show hidden (1)"
        assert "Gamma (best)" in page.locator("[data-run-list] ul.runs").text_content()
        page.check("[data-run-list] .show-hidden-box")
        page.wait_for_function(f"() => ({listed})().length === 3")
        assert page.evaluate(listed) == ["alpha", "beta", "gamma"] and "hidden=1" in page.url
        assert page.locator("[data-run-list] .hidden-badge").count() == 1
        screenshot(f"manage_run_selector_{path.strip('/')}")


@pytest.mark.allow_console_errors  # runs without a graph answer the Graph page's lookups with 404s
def test_a_hidden_run_named_in_the_url_stays_shown_and_the_runs_table_passes_hidden_on(root, serve, page):
    app = app_of(root)
    response = app.test_client().put("/api/manage/run", json={"run": "beta", "hidden": True},
                                     headers={"X-Liteboard-Token": app.config["CSRF_TOKEN"]})
    assert response.status_code == 200
    options = "() => [...document.querySelectorAll('#graph-run option')].map(o => o.value)"
    with serve(app) as url:
        page.goto(f"{url}/graph?run=beta")
        page.wait_for_function(f"() => ({options})().length === 3")
        assert page.locator("#graph-run").input_value() == "beta"
        page.goto(f"{url}/graph")
        page.wait_for_function(f"() => ({options})().length === 2")
        assert page.evaluate(options) == ["alpha", "gamma"]

        page.goto(f"{url}/?hidden=1")
        page.wait_for_selector('#runs-table tbody tr[data-run="beta"]')
        page.check('#runs-table tbody input[data-run="beta"]')
        page.click("#open-scalars")
        page.wait_for_url("**/scalars?*")
        assert "hidden=1" in page.url and "run=beta" in page.url
        page.wait_for_function("() => document.querySelectorAll('[data-run-list] ul.runs input:checked').length === 1")
        assert page.locator("[data-run-list] ul.runs input:checked").evaluate("b => b.dataset.run") == "beta"
