"""The Images page in headless Chromium, on the XOR example's decision surfaces (logged at epochs 50,
100 and 120) and an add_images batch: the latest step by default, a slider that changes the image,
fit or actual size, brightness and contrast, all kept in the URL."""

import io

import numpy as np
import pytest
from PIL import Image

pytestmark = pytest.mark.browser

CARD = '[data-tag="decision_surface"][data-run="xor/adam"]'


def shown_step(page):
    # The card's image may not exist yet (the card is filled once its images are read): wait for it too.
    page.wait_for_function(f"() => {{ const img = document.querySelector('{CARD} img'); "
                           "return img !== null && img.complete && img.naturalWidth > 0; }")
    return int(page.get_attribute(f"{CARD} img", "data-step"))


def test_the_slider_walks_the_steps_from_the_latest(page, example_server, example_logdir, screenshot):
    import tracker

    page.goto(f"{example_server}/images")
    page.locator(CARD).scroll_into_view_if_needed()
    assert shown_step(page) == 120
    assert page.input_value(f"{CARD} input[type=range]") == "2"
    page.fill(f"{CARD} input[type=range]", "0")
    page.wait_for_function(f"() => document.querySelector('{CARD} img').dataset.step === '50'")
    assert shown_step(page) == 50
    assert page.inner_text(f"{CARD} .step-label") == "step 50"
    # the pixels shown are the PNG logged at that step
    src = page.get_attribute(f"{CARD} img", "src")
    served = np.asarray(Image.open(io.BytesIO(page.request.get(f"{example_server}{src}").body())))
    with tracker.open_run(example_logdir, "xor/adam") as run:
        logged = np.asarray(Image.open(io.BytesIO(run.image("decision_surface", 50)["png"])))
    assert np.array_equal(served, logged)
    screenshot("images", full_page=False)


def test_a_batch_shows_every_sample(page, example_server):
    page.goto(f"{example_server}/images?tag_regex=batch")
    note = page.locator('[data-tag="batch"] .chart-note')
    note.wait_for()
    page.wait_for_function("() => document.querySelector('[data-tag=\"batch\"] .chart-note').textContent.includes('samples')")
    assert note.inner_text().startswith("3 samples, 24×8 px")  # the three 8x8 samples side by side
    assert page.evaluate("document.querySelector('[data-tag=\"batch\"] img').naturalWidth") == 24


def test_size_brightness_and_contrast_apply_and_stay_in_the_url(page, example_server):
    page.goto(f"{example_server}/images")
    shown_step(page)
    fit = page.evaluate(f"document.querySelector('{CARD} img').getBoundingClientRect().width")
    page.check("input[name=size][value=actual]")
    page.wait_for_function(f"() => document.querySelector('{CARD} img').getBoundingClientRect().width === 32")
    assert fit > 32
    page.fill("#brightness", "1.5")
    page.fill("#contrast", "0.5")
    page.wait_for_function(f"() => document.querySelector('{CARD} img').style.filter === 'brightness(1.5) contrast(0.5)'")
    page.reload()
    shown_step(page)
    assert page.is_checked("input[name=size][value=actual]")
    assert page.evaluate(f"document.querySelector('{CARD} img').style.filter") == "brightness(1.5) contrast(0.5)"
    page.click("#image-reset")
    assert page.evaluate(f"document.querySelector('{CARD} img').style.filter") == "brightness(1) contrast(1)"
    assert "brightness" not in page.url and "contrast" not in page.url
