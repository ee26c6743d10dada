"""A Welsh reader in Chromium: the switch on a filtered page, the Welsh frame, and no serious axe violation."""

import os

import pytest

from tests_support import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("SCREENSHOT_DIR", "screenshots")


def test_switch_to_welsh_on_a_filtered_catalogue_and_back(page, live_server):
    theme = factories.ThemeFactory(slug="maths", name="Maths and numeracy")
    factories.OfferFactory(themes=[theme])
    page.goto(live_server.url + "/offers/?theme=maths&page=1")

    page.get_by_role("link", name="Cymraeg", exact=True).click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/cy/offers/?theme=maths&page=1"
    assert page.locator("html").get_attribute("lang") == "cy"

    page.get_by_role("link", name="English", exact=True).click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/offers/?theme=maths&page=1"
    assert page.locator("html").get_attribute("lang") == "en-GB"


@pytest.mark.parametrize("path", ["/cy/", "/cy/glossary/", "/cy/accounts/login/", "/cy/accounts/signup/", "/cy/privacy/", "/cy/dim-tudalen/"])
def test_welsh_pages_have_no_serious_accessibility_problem(page, live_server, axe_check, path):
    factories.OfferFactory()
    factories.JointEventFactory()
    page.goto(live_server.url + path)
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("link", name="Neidio i'r prif gynnwys").count() == 1
    assert axe_check() == []


def test_welsh_home_phone_width_menu(page, live_server):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/cy/")
    page.get_by_role("button", name="Dangos y ddewislen").click()
    assert page.get_by_role("link", name="English", exact=True).is_visible()
    page.screenshot(path=os.path.join(SCREENSHOTS, "home-welsh-phone.png"), full_page=True)
