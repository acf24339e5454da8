"""The dark theme in headless Chromium: it follows prefers-color-scheme, a top-bar choice overrides it
and is remembered, and the charts take the theme's colours from the one shared plotly config."""

import pytest

pytestmark = pytest.mark.browser

LOSS = "train/loss"
PLOT = f"""() => document.querySelector('[data-chart="{LOSS}"] .chart-plot')"""


def drawn(page):
    page.locator(f'[data-chart="{LOSS}"]').scroll_into_view_if_needed()
    page.wait_for_function(f"() => {{ const p = ({PLOT})(); return p && p.data && p.data.length > 0; }}")


def colours(page):
    """The page's background, the plot's background and font as plotly drew them."""
    return page.evaluate(f"""() => {{
      const plot = ({PLOT})();
      return {{page: getComputedStyle(document.documentElement).backgroundColor,
               card: getComputedStyle(plot.closest('.chart-card')).backgroundColor,
               plot: plot._fullLayout.plot_bgcolor, font: plot._fullLayout.font.color,
               grid: plot._fullLayout.yaxis.gridcolor}};
    }}""")


def is_dark(rgb):
    assert rgb.startswith("rgb("), f"not an opaque colour: {rgb}"
    r, g, b = (int(v) for v in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3])
    return (r + g + b) / 3 < 100


def test_the_theme_follows_the_system_and_a_choice_overrides_it(page, live_server, screenshot):
    page.emulate_media(color_scheme="dark")
    page.goto(f"{live_server}/scalars?run=linreg_lr%3D0.1")
    drawn(page)
    assert page.input_value("#theme-choice") == "system"
    dark = colours(page)
    assert is_dark(dark["page"]) and is_dark(dark["card"])
    assert dark["plot"] == "#1b1f27" and dark["font"] == "#e2e6ec" and dark["grid"] == "#2f3541"
    screenshot("scalars-dark")
    page.select_option("#theme-choice", "light")
    page.wait_for_function(f"() => ({PLOT})()._fullLayout.plot_bgcolor === '#ffffff'")
    light = colours(page)
    assert not is_dark(light["page"]) and light["font"] == "#1d2330"
    # The choice is remembered on every page, over the system's dark setting.
    page.goto(f"{live_server}/")
    assert page.input_value("#theme-choice") == "light"
    assert not is_dark(page.evaluate("getComputedStyle(document.documentElement).backgroundColor"))
    # "system" follows a change of the system setting at once, charts included.
    page.goto(f"{live_server}/scalars?run=linreg_lr%3D0.1")
    drawn(page)
    page.select_option("#theme-choice", "system")
    page.wait_for_function(f"() => ({PLOT})()._fullLayout.plot_bgcolor === '#1b1f27'")
    page.emulate_media(color_scheme="light")
    page.wait_for_function(f"() => ({PLOT})()._fullLayout.plot_bgcolor === '#ffffff'")
    assert not is_dark(colours(page)["page"])


def test_a_theme_in_the_url_wins_over_the_remembered_one(page, live_server):
    page.goto(f"{live_server}/scalars?run=linreg_lr%3D0.1")
    page.select_option("#theme-choice", "light")
    page.goto(f"{live_server}/scalars?run=linreg_lr%3D0.1&theme=dark")
    drawn(page)
    assert page.input_value("#theme-choice") == "dark" and colours(page)["plot"] == "#1b1f27"
    page.goto(f"{live_server}/scalars?run=linreg_lr%3D0.1")
    assert page.input_value("#theme-choice") == "light"  # the link did not change what was remembered


PARCOORDS = "() => document.querySelector('#compare-parcoords')._fullLayout.font.color"


def test_the_compare_page_follows_the_theme(page, live_server, screenshot):
    page.emulate_media(color_scheme="dark")
    page.goto(f"{live_server}/compare?run=linreg_lr%3D0.1&run=linreg_lr%3D0.02&metric=train/loss")
    page.wait_for_selector("#compare-parcoords .parcoords")
    page.wait_for_function(f"() => {{ const p = ({PLOT})(); return p && p._fullLayout; }}")
    assert page.evaluate(f"() => ({PLOT})()._fullLayout.plot_bgcolor") == "#1b1f27"
    assert page.evaluate(PARCOORDS) == "#e2e6ec"
    # The table's shaded rows (head, sections, differences) are dark too, so its light text reads.
    shades = page.evaluate("""() => ['thead th', 'tr.section th', 'tr.differs td'].map(s =>
      getComputedStyle(document.querySelector('#compare-table ' + s)).backgroundColor)""")
    assert all(is_dark(shade) for shade in shades), shades
    screenshot("compare-dark")
    # A change of theme redraws the parallel coordinates as well as the curves.
    page.select_option("#theme-choice", "light")
    page.wait_for_function(f"() => ({PARCOORDS})() === '#1d2330'")
    page.wait_for_function(f"() => ({PLOT})()._fullLayout.plot_bgcolor === '#ffffff'")
    # Its one chart has no grid to be enlarged over, and no Pinned group to go to.
    assert page.locator("#compare-curves .chart-enlarge").is_hidden()
    assert page.locator("#compare-curves .chart-pin").is_hidden()
