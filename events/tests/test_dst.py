"""Across the clock changes: a fair on the Monday after the last Sunday of October
and of March shows, emails and exports the local time the coordinator entered."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from events.booking import booking_create
from events.models import Slot
from tests_support import factories

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def monday_after_last_sunday(year, month):
    last = dt.date(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(year, 12, 31)
    last_sunday = last - dt.timedelta(days=(last.weekday() - 6) % 7)
    return last_sunday + dt.timedelta(days=1)


def fair_after(day, utc_offset_hours, name):
    """The case, run a week before the fair (the other side of the clock change), with booking open."""
    week_before = dt.datetime.combine(day - dt.timedelta(days=7), dt.time(12), tzinfo=LONDON)
    return pytest.param(day, utc_offset_hours, marks=pytest.mark.time_machine(week_before), id=name)


@pytest.mark.parametrize(
    "day, utc_offset_hours",
    [
        fair_after(monday_after_last_sunday(2027, 10), 0, "after-clocks-go-back"),
        fair_after(monday_after_last_sunday(2027, 3), 1, "after-clocks-go-forward"),
    ],
)
def test_fair_after_clock_change_shows_the_local_time_entered(
    day, utc_offset_hours, admin_client, provider, client, mailoutbox, django_capture_on_commit_callbacks
):
    assert day.weekday() == 0
    event = factories.JointEventFactory(
        title="Autumn fair", slug="dst-fair",
        starts_at=dt.datetime.combine(day, dt.time(9, 30), tzinfo=LONDON),
        ends_at=dt.datetime.combine(day, dt.time(16, 0), tzinfo=LONDON),
    )
    surgery = factories.SurgeryFactory(event=event, title="Leadership")
    # The coordinator enters 10:00 in the admin's slot generator.
    response = admin_client.post(
        reverse("admin:events_surgery_generate_slots", args=[surgery.pk]),
        {"day": day.isoformat(), "start": "10:00", "end": "10:20", "length_minutes": 20, "break_minutes": 0,
         "capacity": 1},
    )
    assert response.status_code == 302
    slot = Slot.objects.get(surgery=surgery)
    # Stored in UTC: 10:00 GMT is 10:00 UTC; 10:00 BST is 09:00 UTC.
    assert slot.starts_at == dt.datetime.combine(day, dt.time(10 - utc_offset_hours), tzinfo=dt.UTC)

    page = client.get(event.get_absolute_url()).content.decode()
    # The slot's button reads 10:00; neither UTC (09:00) nor a doubled offset (11:00) appears.
    assert ">10:00<" in page
    assert "09:00" not in page and "11:00" not in page
    assert ", 09:30</time>" in page

    with django_capture_on_commit_callbacks(execute=True):
        booking_create(user=provider, slot_id=slot.pk)
    (message,) = mailoutbox
    assert "at 10:00" in message.subject
    assert "10:00 to 10:20 (UK time)" in message.body
    cal = Calendar.from_ical(message.attachments[0][1])
    (vevent,) = cal.walk("VEVENT")
    assert vevent["dtstart"].to_ical().decode() == f"{day:%Y%m%d}T100000"
    assert str(vevent["dtstart"].params["TZID"]) == "Europe/London"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert vevent.decoded("dtstart").utcoffset() == dt.timedelta(hours=utc_offset_hours)
    assert b"DTSTART;TZID=Europe/London:" + f"{day:%Y%m%d}T100000".encode() in message.attachments[0][1].encode()
