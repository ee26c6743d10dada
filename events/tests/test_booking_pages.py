"""A booking as its person sees it: the form, the confirmation page and the calendar files."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.booking import booking_cancel, booking_create
from events.tests.conftest import make_provider
from tests_support import factories

pytestmark = pytest.mark.django_db


def book(user, slot, **kwargs):
    return booking_create(user=user, slot_id=slot.pk, **kwargs)


def only_vevent(response):
    return [c for c in Calendar.from_ical(response.content).walk() if c.name == "VEVENT"]


# --- calendar files -----------------------------------------------------------------


def test_booking_calendar_gives_its_person_the_slot_with_the_emails_uid(client, slots, provider):
    booking = book(provider, slots[1])
    client.force_login(provider)

    response = client.get(reverse("events:booking_calendar", args=[booking.pk]))

    [vevent] = only_vevent(response)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="surgery-{booking.pk}.ics"'
    assert str(vevent["uid"]).startswith(f"booking-{booking.pk}@")  # the email's file: one calendar entry, not two
    assert vevent.decoded("dtstart") == slots[1].starts_at
    assert str(vevent["summary"]) == "Surgery: Maths teaching excellence (South West Learning Fair)"


def test_booking_calendar_of_someone_elses_booking_not_found(client, slots, provider):
    booking = book(provider, slots[0])
    client.force_login(make_provider("nosy"))

    response = client.get(reverse("events:booking_calendar", args=[booking.pk]))

    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.content


def test_booking_calendar_signed_out_asks_to_sign_in(client, slots, provider):
    booking = book(provider, slots[0])
    url = reverse("events:booking_calendar", args=[booking.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_booking_calendar_of_a_cancelled_booking_cancels_the_entry(client, slots, provider):
    booking = book(provider, slots[0])
    booking_cancel(booking_id=booking.pk, user=provider)
    client.force_login(provider)

    response = client.get(reverse("events:booking_calendar", args=[booking.pk]))

    [vevent] = only_vevent(response)
    assert str(vevent["status"]) == "CANCELLED"


def test_event_calendar_holds_the_whole_event(client, fair):
    response = client.get(reverse("events:event_calendar", args=[fair.slug]))

    [vevent] = only_vevent(response)
    assert response["Content-Disposition"] == f'attachment; filename="{fair.slug}.ics"'
    assert str(vevent["summary"]) == "South West Learning Fair"
    assert (vevent.decoded("dtstart"), vevent.decoded("dtend")) == (fair.starts_at, fair.ends_at)
    assert str(vevent["uid"]).startswith(f"event-{fair.pk}@")  # the same entry as in the events feed


def test_event_calendar_of_a_draft_not_found(client):
    draft = factories.JointEventFactory(status="draft")

    response = client.get(reverse("events:event_calendar", args=[draft.slug]))

    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.content


def test_account_page_offers_each_upcoming_booking_as_a_calendar_file(client, slots, provider):
    first, second = book(provider, slots[0]), book(provider, slots[2])
    client.force_login(provider)

    page = client.get("/account/").content.decode()

    for booking in (first, second):
        assert f'href="{reverse("events:booking_calendar", args=[booking.pk])}">Add to calendar' in page
        assert f'href="{reverse("events:booking_detail", args=[booking.pk])}"' in page


# --- the booking form ---------------------------------------------------------------


def test_booking_form_says_who_books_for_which_organisation_and_what(client, fair, surgery, slots, provider, host):
    host.job_title = "Maths adviser"
    host.save()
    organisation = provider.provider_profile.organisation
    client.force_login(provider)

    page = client.get(reverse("events:booking_new", args=[fair.slug, slots[1].pk])).content.decode()

    start = timezone.localtime(slots[1].starts_at)
    end = timezone.localtime(slots[1].ends_at)
    assert f"<dd class=\"col-sm-9\">Priya Provider, {organisation.name}</dd>" in page
    assert f'<a href="{host.get_absolute_url()}">Hana Host</a> (Maths adviser)' in page
    assert f"{start:%A %-d %B %Y}, {start:%H:%M}–{end:%H:%M}</time> (UK time)" in page
    assert f"Room 2, {fair.venue}" in page


def test_booking_form_for_someone_not_a_provider_names_no_one(client, fair, slots, worker):
    client.force_login(worker.user)

    page = client.get(reverse("events:booking_new", args=[fair.slug, slots[0].pk])).content.decode()

    assert "Booking for" not in page
    assert "Booking is for provider contacts" in page


# --- the confirmation page ----------------------------------------------------------


def test_booking_confirmation_repeats_the_booking_and_what_to_do_next(client, fair, slots, provider, host):
    theme = factories.ThemeFactory(name="Digital learning")
    client.force_login(provider)

    response = client.post(
        reverse("events:booking_new", args=[fair.slug, slots[1].pk]),
        {"priorities": [theme.pk], "questions": "Funding for tablets?"},
        follow=True,
    )

    page = response.content.decode()
    booking = provider.bookings.get()
    cutoff = timezone.localtime(slots[1].starts_at - dt.timedelta(hours=24))
    assert "Your surgery is booked" in page
    assert f"Priya Provider, {provider.provider_profile.organisation.name}" in page
    assert "<dd class=\"col-sm-9\">Digital learning</dd>" in page and "Funding for tablets?" in page
    assert f'href="{reverse("events:booking_calendar", args=[booking.pk])}">This surgery</a>' in page
    assert f'href="{reverse("events:event_calendar", args=[fair.slug])}">The whole of South West Learning Fair</a>' in page
    assert f"Cancel online until {cutoff:%H:%M} on {cutoff:%A %-d %B %Y}" in page
    assert reverse("events:booking_cancel", args=[booking.pk]) in page
    assert "the surgery lasts 20\xa0minutes" in page


def test_booking_confirmation_after_the_cut_off_says_whom_to_email(client, time_machine, slots, provider, host):
    booking = book(provider, slots[0])
    time_machine.move_to(slots[0].starts_at - dt.timedelta(hours=2))
    client.force_login(provider)

    page = client.get(reverse("events:booking_detail", args=[booking.pk])).content.decode()

    assert "It is too late to cancel online. Please email" in page
    assert f'<a href="mailto:{host.contact_email}">Hana Host</a>' in page
    assert reverse("events:booking_cancel", args=[booking.pk]) not in page


def test_booking_confirmation_of_someone_elses_booking_not_found(client, slots, provider):
    booking = book(provider, slots[0], questions="Our budget is tight")
    client.force_login(make_provider("nosy"))

    response = client.get(reverse("events:booking_detail", args=[booking.pk]))

    assert response.status_code == 404
    assert "Our budget is tight" not in response.content.decode()


def test_booking_confirmation_email_links_the_booking_page(
    client, slots, provider, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(provider, slots[0])

    url = reverse("events:booking_detail", args=[booking.pk])
    assert f"Your booking, with calendar files and how to cancel: {settings.SITE_URL}{url}\n" in mailoutbox[0].body
