"""A Welsh reader in Chromium: the switch on a filtered page, booking a surgery from an offer in Welsh,
the Welsh frame, and no serious axe violation."""

import datetime as dt
import os
import re
from urllib.parse import quote

import pytest

from events.choices import BookingStatus
from events.models import Booking
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


def test_welsh_reader_switches_on_a_filtered_catalogue_opens_an_offer_and_books_a_surgery(page, live_server, axe_check):
    theme = factories.ThemeFactory(slug="maths", name="Maths and numeracy", name_cy="Mathemateg a rhifedd")
    programme = factories.ProgrammeFactory(plain_name="Maths hubs", plain_name_cy="Hybiau mathemateg")
    factories.OfferFactory(title="Maths coaching", title_cy="Hyfforddiant mathemateg", programme=programme,
                           themes=[theme])
    surgery = factories.SurgeryFactory(title="Maths surgery", title_cy="Cymhorthfa fathemateg")
    surgery.programmes.add(programme)
    factories.SlotFactory(surgery=surgery, starts_at=surgery.event.starts_at + dt.timedelta(hours=1))
    contact = factories.ProviderContactFactory(user=factories.UserFactory(username="rhian@ysgol.example"))
    page.goto(live_server.url + "/accounts/login/?next=" + quote("/offers/?theme=maths"))
    page.fill("input[name=username]", contact.user.username)
    page.fill("input[name=password]", "test-password-123")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/offers/\?theme=maths$"))

    # Switch on the filtered page: the same filter, in Welsh.
    page.get_by_role("link", name="Cymraeg", exact=True).click()
    page.wait_for_url(live_server.url + "/cy/offers/?theme=maths")
    assert page.locator("html").get_attribute("lang") == "cy"
    page.get_by_role("link", name="Hyfforddiant mathemateg").first.click()
    page.wait_for_url(re.compile(r"/cy/offers/[^/]+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Hyfforddiant mathemateg"
    assert axe_check() == []

    # The offer names its programme's surgeries at a fair; booking one stays in Welsh.
    page.get_by_role("link", name="Cymhorthfa fathemateg").click()
    page.wait_for_url(re.compile(r"/cy/events/[^/]+/"))
    assert axe_check() == []
    page.locator(f"#surgery-{surgery.pk} a.slot-button").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Archebu cymhorthfa"
    assert axe_check() == []
    page.get_by_label("Cwestiynau i'r gwesteiwr (dewisol)").fill("Sut mae dechrau?")
    page.get_by_role("button", name="Archebu'r slot hwn").click()
    page.wait_for_url(re.compile(r"/cy/events/bookings/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Mae eich cymhorthfa wedi'i harchebu"
    assert page.locator("html").get_attribute("lang") == "cy"
    assert axe_check() == []
    booking = Booking.objects.get(user=contact.user)
    assert (booking.status, booking.slot.surgery, booking.questions) == (BookingStatus.CONFIRMED, surgery, "Sut mae dechrau?")


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
