"""Each person's journey in Chromium, start to finish, with axe-core and the Nu checker on every new page.

Provider: book a surgery, download its .ics, attend (the fair passes), evaluate from the link.
Coordinator: sign in, land on the start page, open the bulletin desk.
Worker: the workspace at 390px wide, with no sideways scrolling.
Screenshots at desktop and phone width go to SCREENSHOT_DIR (default screenshots/).
"""

import datetime as dt
import os
import re

import pytest
from icalendar import Calendar

from brokerage.demo import DEMO_PASSWORD, DemoLoader
from events.choices import BookingStatus
from events.models import Booking, Evaluation
from tests_support.nu import nu_errors, nu_missing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("SCREENSHOT_DIR", "screenshots")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(transactional_db):
    DemoLoader().run()


@pytest.fixture
def pages_checked(tmp_path):
    """Collect each page's HTML; at the end, run the Nu checker over them all at once."""
    documents = {}
    yield documents
    missing = nu_missing()
    if missing:
        return  # axe-core still ran on each page; the HTML check needs Java and vnu.jar
    errors = [e for e in nu_errors(documents, tmp_path) if not is_djangos_management_form(e)]
    assert errors == [], "\n".join(errors)


def is_djangos_management_form(error):
    # Django's formset management form marks its hidden inputs autocomplete="off" (so Firefox does not
    # restore stale counts on reload); newer HTML forbids the attribute there. Django's markup, not ours.
    return "“hidden” must not have an “autocomplete” attribute" in error and "_FORMS" in error


def sign_in(page, live_server, username, next_path=None):
    page.goto(f"{live_server.url}/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def shoot(page, name):
    """The page at desktop and at phone width, full length."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def no_sideways_scroll(page):
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(DESKTOP)
    return width


def test_provider_books_downloads_the_ics_attends_and_evaluates(
    page, live_server, demo, axe_check, pages_checked, time_machine
):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "provider", "/events/")
    page.wait_for_url(re.compile(r"/events/$"))
    page.get_by_role("link", name=re.compile("Wales Joint Learning Fair")).first.click()
    page.wait_for_url(re.compile(r"/events/[\w-]+/$"))
    # Each surgery says its language (the Welsh fair's are Welsh or bilingual).
    assert re.search(r"Language: (Welsh|Bilingual)", page.locator(".surgery-card").first.inner_text())

    # Book: the form says what is booked, the language included.
    page.locator("a.slot-button").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Book a surgery"
    facts = page.locator(".booking-facts").inner_text()
    assert "Booking for" in facts and re.search(r"Language\W+(Welsh|Bilingual)", facts)
    assert axe_check() == []
    pages_checked["booking form"] = page.content()
    shoot(page, "journey-booking-form")
    page.get_by_role("button", name="Book this slot").click()
    page.wait_for_url(re.compile(r"/events/bookings/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Your surgery is booked"
    assert re.search(r"Language\W+(Welsh|Bilingual)", page.locator(".booking-facts").inner_text())
    assert axe_check() == []
    pages_checked["booking confirmation"] = page.content()
    shoot(page, "journey-booking-confirmation")
    booking = Booking.objects.select_related("slot", "event").get(
        user__username="provider", status=BookingStatus.CONFIRMED, event__slug__startswith="wales"
    )

    # Download this booking's calendar file: one event at the slot's time.
    with page.expect_download() as download:
        page.get_by_role("link", name="This surgery").click()
    calendar = Calendar.from_ical(open(download.value.path(), "rb").read())
    [vevent] = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert vevent.decoded("dtstart") == booking.slot.starts_at
    assert str(vevent["uid"]).startswith(f"booking-{booking.pk}@")

    # Attend: the fair takes place with the booking confirmed (attendance is a confirmed booking of a
    # fair that has ended); the clock moves past it, for the server thread too.
    time_machine.move_to(booking.event.ends_at + dt.timedelta(days=2), tick=True)
    page.context.clear_cookies()  # the session lapsed meanwhile
    sign_in(page, live_server, "provider", "/account/")
    page.wait_for_url(re.compile(r"/account/$"))
    page.locator("#evaluations-due").get_by_role("link", name=re.compile(f"Evaluate {booking.event.title}")).click()
    page.wait_for_url(re.compile(rf"/events/{booking.event.slug}/evaluation/$"))
    assert axe_check() == []
    pages_checked["evaluation form"] = page.content()
    page.get_by_label("4 – good").check()
    page.locator("textarea").first.fill("Planning our Welsh-medium maths CPD with the people who run it.")
    page.get_by_role("button", name="Send my evaluation").click()
    page.wait_for_load_state()
    assert Evaluation.objects.filter(event=booking.event, user__username="provider").count() == 1


def test_coordinator_signs_in_to_the_start_page_and_opens_the_bulletin_desk(
    page, live_server, demo, axe_check, pages_checked
):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "coordinator")

    page.wait_for_url(re.compile(r"/coordinators/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "What needs attention"
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Start", exact=True).get_attribute("aria-current") == "page"
    assert axe_check() == []
    pages_checked["start page"] = page.content()
    shoot(page, "journey-coordinator-start")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)

    page.locator("#bulletin-heading").locator("xpath=..").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/admin/brokerage/bulletin/\d+/change/$"))
    assert "Bulletin desk: Draft" in page.locator("#desk-heading").inner_text()
    sections = page.locator(".desk-section h3").all_inner_texts()
    assert sections[0].startswith("Events") and len(sections) >= 3
    violations = axe_check()
    assert violations == [], "\n".join(violations)
    pages_checked["bulletin desk"] = page.content()
    shoot(page, "journey-bulletin-desk")

    page.get_by_role("link", name="Back to the site").click()
    page.wait_for_url(re.compile(r"/$"))


def test_worker_workspace_fits_a_phone(page, live_server, demo, axe_check, pages_checked):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "worker", "/workspace/")
    page.wait_for_url(re.compile(r"/workspace/$"))

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    first_cell = page.locator(".ws-table td[data-label]").first
    assert page.evaluate("(cell) => getComputedStyle(cell, '::before').content", first_cell.element_handle()) != "none"
    assert axe_check() == []
    pages_checked["workspace"] = page.content()
    os.makedirs(SCREENSHOTS, exist_ok=True)
    for section in ("#surgery-bookings", ".ws-table-wrap"):
        page.locator(section).first.screenshot(path=os.path.join(SCREENSHOTS, f"journey-workspace-phone-{section[1:]}.png"))
    shoot(page, "journey-workspace")
    page.goto(f"{live_server.url}/workspace/all-offers/")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_check() == []
    pages_checked["all offers"] = page.content()
