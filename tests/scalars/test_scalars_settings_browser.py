"""Settings remembered across sessions, in headless Chromium: smoothing, x axis, ignore outliers and
tooltip sorting come back on the next visit (localStorage), while a value in the URL wins."""

import pytest

pytestmark = pytest.mark.browser

BASE = "/scalars?run=linreg_lr%3D0.1"


def ready(page):
    page.wait_for_selector("ul.runs li")
    page.locator('[data-chart="train/loss"]').scroll_into_view_if_needed()
    page.wait_for_function("""() => { const p = document.querySelector('[data-chart="train/loss"] .chart-plot');
      return p && p.data && p.data.length > 0; }""")


def controls(page):
    return {"smoothing": page.input_value("#smoothing-value"),
            "x": page.evaluate("document.querySelector('input[name=x]:checked').value"),
            "outliers": page.is_checked("#ignore-outliers"),
            "sort": page.input_value("#tooltip-sort")}


def test_chosen_settings_come_back_next_session_and_the_url_wins(page, live_server):
    page.goto(f"{live_server}{BASE}")
    ready(page)
    assert controls(page) == {"smoothing": "0.6", "x": "step", "outliers": True, "sort": "default"}
    page.fill("#smoothing-value", "0.9")
    page.dispatch_event("#smoothing-value", "change")
    page.check("input[name=x][value=relative]")
    page.uncheck("#ignore-outliers")
    page.select_option("#tooltip-sort", "descending")
    chosen = {"smoothing": "0.9", "x": "relative", "outliers": False, "sort": "descending"}
    # A new session: the same browser profile, a URL that names none of them.
    page.goto(f"{live_server}{BASE}")
    ready(page)
    assert controls(page) == chosen
    assert page.evaluate("document.querySelector('[data-chart=\"train/loss\"] .chart-plot').layout.xaxis.title.text") \
        .startswith("relative")
    page.wait_for_url("**smoothing=0.9**")  # the URL shows the view, so it can be shared as it is
    # A shared link's values win for that page and leave the remembered ones alone.
    page.goto(f"{live_server}{BASE}&smoothing=0.3&x=step&outliers=1")
    ready(page)
    assert controls(page) == {"smoothing": "0.3", "x": "step", "outliers": True, "sort": "descending"}
    page.goto(f"{live_server}{BASE}")
    ready(page)
    assert controls(page) == chosen


def test_a_damaged_store_is_ignored(page, live_server):
    page.goto(f"{live_server}/")
    page.evaluate("""() => localStorage.setItem('liteboard.settings',
      JSON.stringify({smoothing: 'lots', x: 'sideways', tooltip_sort: 7, pinned: 'train/loss', theme: 'neon'}))""")
    page.goto(f"{live_server}{BASE}")
    ready(page)
    assert controls(page) == {"smoothing": "0.6", "x": "step", "outliers": True, "sort": "default"}
    assert page.input_value("#theme-choice") == "system"
    assert page.locator("details.pinned [data-chart]").count() == 0
    page.evaluate("() => localStorage.setItem('liteboard.settings', '{not json')")
    page.goto(f"{live_server}{BASE}")
    ready(page)
    assert controls(page)["smoothing"] == "0.6"
