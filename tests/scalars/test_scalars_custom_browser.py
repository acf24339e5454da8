"""Custom-scalars charts on the Scalars page in headless Chromium: several tags of several runs
on one chart, and a margin chart drawn as each run's band around its line."""

import pytest

from custom_runs import custom_logdir  # noqa: F401  (fixture)
from dashboard.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def custom_server(custom_logdir, serve):  # noqa: F811
    with serve(create_app(custom_logdir, {"TESTING": True})) as url:
        yield url


def traces(page, chart):
    return page.evaluate(f"""() => document.querySelector('[data-chart="{chart}"] .chart-plot').data
        .map(t => ({{name: t.name, kind: t.meta.kind, tag: t.meta.tag, fill: t.fill || null,
                    fillcolor: t.fillcolor || null, n: t.y.length}}))""")


def test_custom_charts_come_first_with_several_tags_and_runs_and_margin_bands(page, custom_server, screenshot):
    page.goto(f"{custom_server}/scalars?smoothing=0")
    multiline = '[data-chart="custom:Taiwan/twse"] .chart-plot'
    margin = '[data-chart="custom:USA/dow"] .chart-plot'
    page.wait_for_function(f"() => document.querySelector('{multiline}')?.data?.length === 4")
    page.wait_for_function(f"() => document.querySelector('{margin}')?.data?.length === 6")
    groups = page.locator("#charts > details.tag-group:not([hidden]) > summary .group-name").all_text_contents()
    assert groups[:2] == ["Taiwan", "USA"]
    assert page.locator('[data-group="custom:Taiwan"] .group-kind').text_content() == "custom scalars"
    assert page.locator('[data-chart="custom:Taiwan/twse"] .chart-title').text_content() == "twse"
    names = sorted(t["name"] for t in traces(page, "custom:Taiwan/twse"))
    assert names == ["market_a · twse/0050", "market_a · twse/2330", "market_b · twse/0050", "market_b · twse/2330"]

    drawn = traces(page, "custom:USA/dow")
    mains = [t for t in drawn if t["kind"] == "main"]
    assert sorted((t["name"], t["tag"]) for t in mains) == [("market_a", "dow/aaa"), ("market_b", "dow/aaa")]
    lowers = [t for t in drawn if t["kind"] == "lower"]
    assert len(lowers) == 2 and all(t["fill"] == "tonexty" and t["fillcolor"].startswith("rgba(") for t in lowers)
    assert sum(t["kind"] == "upper" for t in drawn) == 2
    note = page.locator('[data-chart="custom:USA/dow"] .chart-note').text_content()
    assert note == "Line: dow/aaa; band: dow/bbb to dow/ccc."
    page.locator('[data-chart="custom:USA/dow"]').scroll_into_view_if_needed()
    screenshot("scalars-custom")
