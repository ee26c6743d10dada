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


@pytest.mark.parametrize("width", [1200, 1440])
def test_welsh_signed_in_navigation_fits_at_desktop_widths(page, live_server, coordinator, width):
    """Welsh words are longer: a coordinator who is also a worker still has every link on the bar."""
    coordinator.set_password("a-long-passphrase-2026")
    coordinator.save()
    factories.RegionalWorkerFactory(user=coordinator)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/cy/accounts/login/")
    page.fill("input[name=username]", coordinator.username)
    page.fill("input[name=password]", "a-long-passphrase-2026")
    page.click("button[type=submit]")
    page.goto(live_server.url + "/cy/glossary/")
    toggler = page.get_by_role("button", name="Dangos y ddewislen")
    if toggler.is_visible():
        toggler.click()
    navigation = page.get_by_role("navigation", name="Prif ddewislen")
    for name in ("Cynigion", "Bwletin", "Fy man gwaith", "Mewnwelediadau", "Gweinyddu"):
        link = navigation.get_by_role("link", name=name, exact=True)
        link.wait_for(state="visible")
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box, width)
    box = navigation.get_by_role("button", name="Allgofnodi").bounding_box()
    assert box["x"] + box["width"] <= width
