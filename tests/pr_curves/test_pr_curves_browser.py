"""The PR curves page in headless Chromium: a chart per tag, a line per run, a step slider."""

import pytest

from dashboard.app import create_app
from pr_runs import pr_logdir  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pr_server(pr_logdir, serve):  # noqa: F811
    with serve(create_app(pr_logdir, {"TESTING": True})) as url:
        yield url


def traces(page):
    return page.evaluate("() => document.querySelector('.pr-plot').data.map("
                         "t => ({name: t.name, n: t.x.length, x0: t.x[0], y0: t.y[0]}))")


def test_a_chart_per_tag_with_each_run_at_the_chosen_step(page, pr_server, screenshot):
    page.goto(f"{pr_server}/pr_curves")
    page.wait_for_function("() => document.querySelector('.pr-plot')?.data?.length === 2")
    assert page.locator(".pr-card h2").all_text_contents() == ["val/pr"]
    shown = traces(page)
    assert [t["name"] for t in shown] == ["cls_good (step 10)", "cls_poor (step 10)"]
    assert all(t["n"] == 51 and t["x0"] == 1.0 for t in shown)  # recall 1 at threshold 0
    # thresholds where nothing is predicted positive are gaps, not a fall to precision 0
    assert page.evaluate("() => document.querySelector('.pr-plot').data[0].y.at(-1)") is None
    assert page.locator(".pr-step output").text_content() == "10"
    screenshot("pr-curves-latest")

    page.locator(".pr-step input").fill("0")  # the slider's first position: step 0
    page.wait_for_function("() => document.querySelector('.pr-plot').data[0].name.endsWith('(step 0)')")
    assert page.locator(".pr-step output").text_content() == "0"
    assert [t["name"] for t in traces(page)] == ["cls_good (step 0)", "cls_poor (step 0)"]
    screenshot("pr-curves-step0")


def test_a_logdir_without_pr_curves_says_how_to_log_them(page, serve, tmp_path):
    import tracker
    with tracker.SummaryWriter(tmp_path / "run") as writer:
        writer.add_scalar("loss", 1.0, 0)
    with serve(create_app(tmp_path, {"TESTING": True})) as url:
        page.goto(f"{url}/pr_curves")
        page.wait_for_selector("#pr-empty:not([hidden])")
        assert "add_pr_curve" in page.locator("#pr-empty").text_content()
        assert str(tmp_path) in page.locator("#pr-empty").text_content()
