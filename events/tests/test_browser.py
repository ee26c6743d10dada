"""In Chromium: the demo provider books a surgery at the next fair, sees it on /account/, cancels it."""

import re

import pytest

from brokerage.demo import DEMO_PASSWORD, DemoLoader
from events.choices import BookingStatus
from events.models import Booking
from events.selectors import upcoming_public_events

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username, next_path):
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_demo_provider_books_sees_and_cancels_a_surgery(page, live_server, axe_check):
    DemoLoader().run()
    fair = upcoming_public_events().filter(kind="learning_fair").first()

    page.goto(f"{live_server.url}/events/")
    assert axe_check() == []
    page.get_by_role("link", name=fair.title).click()
    page.wait_for_url(re.compile(rf"/events/{fair.slug}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == fair.title
    assert axe_check() == []

    sign_in(page, live_server, "provider", f"/events/{fair.slug}/")
    page.wait_for_url(re.compile(rf"/events/{fair.slug}/$"))
    first_slot = page.locator("a.slot-button").first
    time_label = first_slot.inner_text().split("–")[0].strip()[:5]
    first_slot.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Book a surgery"
    assert axe_check() == []
    page.get_by_label("Questions for the host (optional)").fill("How do we get started with the maths coaching?")
    page.get_by_role("button", name="Book this slot").click()
    page.wait_for_url(re.compile(r"/events/bookings/\d+/$"))
    assert "A confirmation email with a calendar file is on its way." in page.locator("main [role=status]").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Your surgery is booked"
    assert time_label in page.locator(".booking-facts").inner_text()
    assert axe_check() == []
    booking = Booking.objects.get(user__username="provider", status=BookingStatus.CONFIRMED)

    page.goto(f"{live_server.url}/account/")
    section = page.locator("#bookings")
    assert booking.slot.surgery.title in section.inner_text()
    assert axe_check() == []
    section.get_by_role("link", name=re.compile(r"^Cancel")).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cancel your booking"
    assert axe_check() == []
    page.get_by_role("button", name="Cancel this booking").click()
    page.wait_for_url(re.compile(r"/account/$"))
    assert "is cancelled" in page.locator("main [role=status]").inner_text()
    assert "No upcoming surgeries." in page.locator("#bookings").inner_text()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
