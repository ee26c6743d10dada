"""Every .ics the portal writes reads the same in the common parsers: icalendar, vobject (behind the
Radicale CalDAV server) and ical (Home Assistant's), on both sides of the UK clock changes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.core import mail
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from events.booking import booking_create
from tests_support import factories

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")

# Fairs at 09:30 local time: a winter day (GMT), a summer day (BST), and the Mondays right after
# each clock change in 2027 and 2028.
DAYS = [dt.date(2027, 1, 18), dt.date(2027, 7, 12), dt.date(2027, 3, 29), dt.date(2027, 11, 1),
        dt.date(2028, 3, 27), dt.date(2028, 10, 30)]


def utc_starts_by_parser(ics: bytes):
    """{parser: sorted UTC start times of the VEVENTs}."""
    text = ics.decode()
    return {
        "icalendar": sorted(e.decoded("dtstart").astimezone(dt.UTC) for e in Calendar.from_ical(ics).walk("VEVENT")),
        "vobject": sorted(e.dtstart.value.astimezone(dt.UTC) for e in vobject.readOne(text).vevent_list),
        "ical": sorted(e.dtstart.astimezone(dt.UTC) for e in IcsCalendarStream.calendar_from_ics(text).events),
    }


def fair_on(day, **kwargs):
    start = dt.datetime.combine(day, dt.time(9, 30), tzinfo=LONDON)
    return factories.JointEventFactory(starts_at=start, ends_at=start + dt.timedelta(hours=6), **kwargs)


@pytest.mark.time_machine(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC))
def test_events_feed_reads_the_same_in_every_parser_across_clock_changes(client):
    fairs = [fair_on(day, title=f"Fair {day}") for day in DAYS]
    expected = sorted(fair.starts_at.astimezone(dt.UTC) for fair in fairs)

    ics = client.get("/events/calendar.ics").content

    assert utc_starts_by_parser(ics) == {"icalendar": expected, "vobject": expected, "ical": expected}
    # 09:30 local: 09:30 UTC in winter, 08:30 UTC in summer.
    assert [start.strftime("%H:%M") for start in expected] == ["09:30", "08:30", "08:30", "09:30", "08:30", "09:30"]


@pytest.mark.time_machine(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC))
@pytest.mark.parametrize("day", [dt.date(2027, 3, 29), dt.date(2027, 11, 1)], ids=["after-spring", "after-autumn"])
def test_booking_attachment_reads_the_same_in_every_parser(day, django_capture_on_commit_callbacks):
    fair = fair_on(day)
    surgery = factories.SurgeryFactory(event=fair)
    start = dt.datetime.combine(day, dt.time(10), tzinfo=LONDON)
    slot = factories.SlotFactory(surgery=surgery, starts_at=start, ends_at=start + dt.timedelta(minutes=20))
    person = factories.ProviderContactFactory().user

    with django_capture_on_commit_callbacks(execute=True):
        booking_create(user=person, slot_id=slot.pk)

    (message,) = mail.outbox
    ics = message.attachments[0][1].encode()
    expected = [start.astimezone(dt.UTC)]
    assert utc_starts_by_parser(ics) == {"icalendar": expected, "vobject": expected, "ical": expected}


def test_feed_declares_london_by_its_yearly_rules(client):
    fair_on(dt.date(2027, 3, 29))

    ics = client.get("/events/calendar.ics").content.decode()

    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in ics
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in ics
    assert "RDATE" not in ics
