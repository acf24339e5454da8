"""The Runs table, the run selector and the Scalars charts on a logdir of thousands of runs, in
Chromium: the server pages, sorts and filters; selection survives paging; "select all matching";
a chart draws at most its cap of runs and says so; a poll with nothing new changes no DOM."""

import shutil
import time
from urllib.parse import parse_qs, urlparse

import pytest

import tracker
from dashboard.app import create_app

pytestmark = pytest.mark.browser

COPIES = 2400


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    """Three written runs (loss ends at 0.1, 0.2, 0.3; the first logs a text too) and 2,400 copies
    of them under sweep/."""
    root = tmp_path_factory.mktemp("many") / "logdir"
    for i in range(3):
        with tracker.SummaryWriter(str(root / f"seed{i}")) as writer:
            for step in range(10):
                writer.add_scalar("loss", (i + 1) / (step + 1), step)
            if i == 0:
                writer.add_text("notes/first", "the **first** seed", 9)
    for k in range(COPIES):
        shutil.copytree(root / f"seed{k % 3}", root / "sweep" / f"run{k:05d}")
    return root


@pytest.fixture(scope="module")
def url(root, serve):
    """The served logdir, its index built (a first build answers with its first runs, then the rest)."""
    app = create_app(root, {"TESTING": True, "REFRESH_SECONDS": 0.5})
    client = app.test_client()
    deadline = time.monotonic() + 120
    while client.get("/api/runs?limit=1").get_json()["indexing"] and time.monotonic() < deadline:
        time.sleep(0.1)
    with serve(app) as url:
        yield url


def run_requests(page):
    """The query of every /api/runs request the page makes, as {name: [values]}, in order."""
    seen = []
    page.on("request", lambda r: seen.append(parse_qs(urlparse(r.url).query, keep_blank_values=True))
            if urlparse(r.url).path == "/api/runs" else None)
    return seen


def rows(page):
    return page.locator("#runs-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.run)")


def names_sorted():
    return sorted([f"seed{i}" for i in range(3)] + [f"sweep/run{k:05d}" for k in range(COPIES)])


def count_mutations(page, selector, seconds):
    """How many DOM mutations happen under `selector` in `seconds` of polling."""
    page.evaluate("""(sel) => {
        window.__mutations = 0;
        new MutationObserver((list) => { window.__mutations += list.length; })
          .observe(document.querySelector(sel), {subtree: true, childList: true, attributes: true, characterData: true});
    }""", selector)
    page.wait_for_timeout(seconds * 1000)
    return page.evaluate("window.__mutations")


def test_runs_table_pages_sorts_and_filters_on_the_server(url, page, screenshot, console_errors):
    requests = run_requests(page)
    started = time.perf_counter()
    page.goto(f"{url}/")
    page.wait_for_selector("#runs-table tbody tr")
    print(f"first page of {COPIES + 3} runs shown in {time.perf_counter() - started:.2f} s")
    everyone = names_sorted()
    assert rows(page) == everyone[:100]
    assert page.locator("#run-count").text_content() == "2,403 of 2,403 runs"
    assert page.locator("#page-info").text_content() == "Rows 1–100 of 2,403"
    assert requests[0]["limit"] == ["100"] and "offset" not in requests[0]
    screenshot("runs_scale_first_page")

    page.click("#page-next")
    page.wait_for_function("() => document.querySelector('#runs-table tbody tr').dataset.run === 'sweep/run00097'")
    assert rows(page) == everyone[100:200]
    assert requests[-1]["offset"] == ["100"] and "offset=100" in page.url
    page.click("#page-last")
    page.wait_for_function("() => document.getElementById('page-info').textContent === 'Rows 2,401–2,403 of 2,403'")
    assert rows(page) == everyone[2400:]
    assert page.locator("#page-next").is_disabled()

    # a header click sorts on the server, from the first page
    page.click("#runs-table thead button[data-sort='tag:loss']")
    page.wait_for_function("() => document.querySelector('#runs-table tbody tr').dataset.run === 'seed0'")
    assert requests[-1]["sort"] == ["tag:loss"] and "offset" not in requests[-1]
    page.click("#runs-table thead button[data-sort='tag:loss']")
    page.wait_for_function("() => document.querySelector('#runs-table tbody tr').dataset.run === 'seed2'")
    assert requests[-1]["desc"] == ["1"] and "sort=tag%3Aloss" in page.url and "desc=1" in page.url
    assert rows(page)[1:4] == ["sweep/run00002", "sweep/run00005", "sweep/run00008"]  # loss 0.3, ties by name
    loss = page.locator("#runs-table tbody tr").first.locator("td").last.text_content()
    assert float(loss) == pytest.approx(0.3)

    # the filter is the server's (RE2, case-insensitive)
    page.fill("#run-filter", "RUN0001")
    page.wait_for_function("() => document.querySelectorAll('#runs-table tbody tr').length === 10")
    assert requests[-1]["run_regex"] == ["RUN0001"]
    assert page.locator("#run-count").text_content() == "10 of 2,403 runs"
    assert page.locator("#runs-pager").is_hidden()
    # a request for the good filter still on its way when the bad one is typed: its answer must
    # not make the bad pattern the one to fall back to
    page.evaluate("""() => {
        const fetch = window.fetch;
        window.fetch = (url, ...rest) => fetch(url, ...rest).then((answer) =>
          /run_regex=RUN0001/.test(String(url)) && !/since=/.test(String(url))
            ? new Promise((done) => setTimeout(() => done(answer), 150)) : answer);
    }""")
    page.check("#show-hidden")  # asks the good filter again, in full
    page.fill("#run-filter", "(a)\\1")  # a backreference: JavaScript takes it, RE2 does not
    page.wait_for_selector("#run-filter-error:not([hidden])")
    assert "run_regex" in page.locator("#run-filter-error").text_content()
    assert page.locator("#run-count").text_content() == "10 of 2,403 runs"  # the last good filter's rows stay
    page.wait_for_timeout(1500)  # polls go on with that filter, and the URL keeps it
    assert "run_regex=RUN0001&" in page.url
    # the browser logs the refused request (400); that, and only that, is expected
    assert [e for e in console_errors if "status of 400" not in e] == []
    console_errors.clear()


def test_selection_survives_paging_and_select_all_matching(url, page, screenshot):
    page.goto(f"{url}/")
    page.wait_for_selector("#runs-table tbody tr")
    page.check('#runs-table tbody input[data-run="seed0"]')
    page.check('#runs-table tbody input[data-run="sweep/run00001"]')
    page.click("#page-next")
    page.wait_for_selector('#runs-table tbody tr[data-run="sweep/run00150"]')
    page.check('#runs-table tbody input[data-run="sweep/run00150"]')
    assert page.locator("#selection-count").text_content() == "3 selected"
    page.click("#page-prev")
    page.wait_for_selector('#runs-table tbody tr[data-run="seed0"]')
    assert page.locator('#runs-table tbody input[data-run="seed0"]').is_checked()
    assert page.locator('#runs-table tbody input[data-run="sweep/run00001"]').is_checked()
    assert not page.locator('#runs-table tbody input[data-run="sweep/run00002"]').is_checked()

    page.click("#clear-selection")
    page.fill("#run-filter", "^sweep/run01")
    page.wait_for_function("() => document.getElementById('run-count').textContent === '1,000 of 2,403 runs'")
    assert page.locator("#select-matching").text_content() == "Select all 1,000 matching"
    page.click("#select-matching")
    page.wait_for_function("() => document.getElementById('selection-count').textContent === '1,000 selected'")
    assert page.locator("#select-matching").is_hidden()
    assert page.locator("#select-page").is_checked()
    page.click("#page-last")
    page.wait_for_selector('#runs-table tbody tr[data-run="sweep/run01999"]')
    assert page.locator("#runs-table tbody input:checked").count() == 100
    screenshot("runs_scale_select_all_matching")
    # every match ticked opens Scalars with the filter, not a thousand names
    page.click("#open-scalars")
    page.wait_for_url("**/scalars?**")
    query = parse_qs(urlparse(page.url).query)
    assert query == {"run_regex": ["^sweep/run01"]}


def test_a_poll_with_nothing_new_changes_nothing_and_a_new_run_shows(url, root, page):
    requests = run_requests(page)
    page.goto(f"{url}/")
    page.wait_for_selector("#runs-table tbody tr")
    assert count_mutations(page, "main", 2.5) == 0
    polls = [q for q in requests if "since" in q]
    assert len(polls) >= 2 and all(q["limit"] == ["100"] for q in polls)

    with tracker.SummaryWriter(str(root / "aaa_new")) as writer:
        writer.add_scalar("loss", 0.5, 0)
    try:
        page.wait_for_selector('#runs-table tbody tr[data-run="aaa_new"]')
        assert page.locator("#run-count").text_content() == "2,404 of 2,404 runs"
    finally:
        shutil.rmtree(root / "aaa_new")
    page.wait_for_function("() => !document.querySelector('#runs-table tbody tr[data-run=\"aaa_new\"]')")


def test_scalars_draws_at_most_the_cap_and_says_so(url, page, screenshot):
    requests = run_requests(page)
    page.goto(f"{url}/scalars?run_regex=^sweep/run00[0-4]")
    page.wait_for_selector('.scalar-chart[data-chart="loss"] .chart-note')
    page.wait_for_function("() => document.querySelector('.scalar-chart[data-chart=\"loss\"]')?.dataset.leftOut === '400'")
    main = "() => document.querySelector('.scalar-chart[data-chart=\"loss\"] .chart-plot').data.filter((t) => t.meta.kind === 'main')"
    assert page.evaluate(f"({main})().length") == 100
    note = page.locator('.scalar-chart[data-chart="loss"] .chart-note').text_content()
    assert "Showing 100 of 500 selected runs; narrow the run filter or raise “Runs per chart” in Settings." in note
    # the run selector lists the first few hundred matches and counts the rest
    assert page.locator("[data-run-list] ul.runs li").count() == 300
    assert page.locator("[data-run-list] .run-list-more").text_content().startswith("200 more match")
    assert page.locator("[data-run-list] .run-count").text_content() == "500 shown · 2,403 selected of 2,403 · 500 match"
    screenshot("scalars_scale_cap")

    # a live poll with nothing new leaves the selector and the charts alone
    assert count_mutations(page, "[data-run-list]", 2.5) == 0
    assert any("since" in q for q in requests)

    page.fill("#max-runs", "150")
    page.dispatch_event("#max-runs", "change")
    page.wait_for_function(f"() => ({main})().length === 150")
    assert "Showing 150 of 500 selected runs" in page.locator('.scalar-chart[data-chart="loss"] .chart-note').text_content()
    assert "max_runs=150" in page.url
    page.fill("#max-runs", "0")
    page.dispatch_event("#max-runs", "change")
    assert page.locator("#status").text_content() == "Runs per chart must be a whole number from 1 to 10,000, got '0'"
    assert page.locator("#max-runs").input_value() == "150" and "max_runs=150" in page.url
    page.goto(f"{url}/scalars?run_regex=^sweep/run00[0-4]")  # the choice is remembered
    page.wait_for_function("() => document.querySelector('.scalar-chart[data-chart=\"loss\"]')?.dataset.leftOut === '350'")
    assert page.locator("#max-runs").input_value() == "150"

    # None deselects every match (listed or not), All selects them again
    page.click("[data-run-list] [data-select=none]")
    assert page.locator("[data-run-list] .run-count").text_content() == "0 shown · 1,903 selected of 2,403 · 500 match"
    page.click("[data-run-list] [data-select=all]")
    assert page.locator("[data-run-list] .run-count").text_content() == "500 shown · 2,403 selected of 2,403 · 500 match"


def test_compare_tables_the_first_hundred_and_draws_at_most_the_cap(url, page, screenshot):
    page.goto(f"{url}/compare?run_regex=^sweep/run00[0-1]")  # 200 runs chosen
    page.wait_for_selector("#compare-table tbody tr.section")
    assert page.locator("#compare-table thead th a").count() == 100
    assert page.locator("#compare-table thead th a").first.text_content() == "sweep/run00000"
    assert page.locator("#compare-table-note").text_content() == (
        "The table compares the first 100 of 200 selected runs; narrow the run filter to compare the rest.")
    assert page.locator("#compare-error").is_hidden()
    page.wait_for_function("() => document.querySelector('#compare-parcoords').data?.[0]?.meta.runs.length === 100")
    assert page.locator("#parcoords-note").text_content() == (
        "100 runs, coloured by loss. Showing 100 of 200 selected runs; narrow the run filter or raise "
        "“Runs per chart” in the Scalars page's Settings.")
    screenshot("compare_scale_cap")

    page.fill("[data-run-list] .run-filter", "^sweep/run000[0-4]")  # 50 runs: nothing left out
    page.wait_for_function("() => document.querySelectorAll('#compare-table thead th a').length === 50")
    assert page.locator("#compare-table-note").is_hidden()
    page.wait_for_function("() => document.querySelector('#compare-parcoords').data?.[0]?.meta.runs.length === 50")
    assert page.locator("#parcoords-note").text_content() == "50 runs, coloured by loss."


def test_the_run_selector_merges_what_changed(url, root, page):
    requests = run_requests(page)
    page.goto(f"{url}/histograms")
    page.wait_for_selector('[data-run-list] input[data-run="seed0"]')
    first = page.locator("[data-run-list] ul.runs li").first.element_handle()
    with tracker.SummaryWriter(str(root / "aaa_late")) as writer:
        writer.add_scalar("loss", 0.5, 0)
    try:
        page.wait_for_selector('[data-run-list] input[data-run="aaa_late"]')
        assert page.locator("[data-run-list] .run-count").text_content() == "2,404 shown · 2,404 selected of 2,404"
        # the new run came as a delta: one full answer, then only `since` polls
        assert ["since" in q for q in requests].count(False) == 1
        # the items already drawn are the same nodes, not drawn again
        assert page.evaluate("(li) => li.isConnected", first)
    finally:
        shutil.rmtree(root / "aaa_late")
    page.wait_for_function("() => !document.querySelector('[data-run-list] input[data-run=\"aaa_late\"]')")
    assert page.locator("[data-run-list] .run-count").text_content() == "2,403 shown · 2,403 selected of 2,403"


def test_a_tag_page_makes_cards_for_the_first_runs_of_each_tag_only(url, page, screenshot):
    page.goto(f"{url}/text")
    page.wait_for_selector(".chart-card[data-tag='notes/first']")
    page.wait_for_selector("[data-group='notes'] .chart-cap:not([hidden])")
    assert page.locator(".chart-card").count() == 100  # of the 801 runs that logged the tag
    assert page.locator("[data-group='notes'] .group-count").text_content() == "100 cards"
    assert page.locator("[data-group='notes'] .chart-cap").text_content() == (
        "Showing the first 100 selected runs of each tag; 701 cards left out: narrow the run filter or raise "
        "“Runs per chart” in the Scalars page's Settings.")
    screenshot("text_scale_cap")
    page.fill("[data-run-list] .run-filter", "^sweep/run0000")
    page.wait_for_selector("[data-group='notes'] .chart-cap", state="hidden")
    cards = page.locator(".chart-card:not([hidden])").evaluate_all("cs => cs.map((c) => c.dataset.run)")
    assert sorted(cards) == ["sweep/run00000", "sweep/run00003", "sweep/run00006", "sweep/run00009"]
