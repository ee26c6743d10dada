"""iCalendar documents for bookings and the public events feed (Europe/London).

Their words (summary, description, the venue's name) are in the active
language, as a page's are. A booking's .ics attached to an email is made for
the email's language (`booking_ics_attachment`): a reader of both gets one
entry carrying both, Welsh first, as the email itself does.
"""

import datetime as dt
from functools import lru_cache, partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from programmes.emails import BILINGUAL, ENGLISH, WELSH
from programmes.words import site_name

LONDON = ZoneInfo("Europe/London")
PRODID = "-//South West CPD Brokerage//events//EN"


def _calendar(method=None):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    return cal


@lru_cache(maxsize=1)
def _london_vtimezone():
    """Europe/London as the two yearly rules Google and Outlook emit (last Sunday of March and of October).

    icalendar's from_tzid writes the tz database's history as long RDATE lists,
    which vobject (behind Radicale) reads an hour out; every common parser reads
    the RRULE form alike. Serialised once: it never changes while the process runs.
    """
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("tzoffsetfrom", dt.timedelta(0))
    summer.add("tzoffsetto", dt.timedelta(hours=1))
    summer.add("dtstart", dt.datetime(1970, 3, 29, 1, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("tzoffsetfrom", dt.timedelta(hours=1))
    winter.add("tzoffsetto", dt.timedelta(0))
    winter.add("dtstart", dt.datetime(1970, 10, 25, 2, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    london = Timezone()
    london.add("tzid", "Europe/London")
    london.add_component(summer)
    london.add_component(winter)
    return london.to_ical()


def _finish(cal):
    # A VTIMEZONE for Europe/London, so clients show the local time entered
    # on both sides of the clock change. It goes before the first component.
    text = cal.to_ical()
    marker = b"BEGIN:VEVENT" if b"BEGIN:VEVENT" in text else b"END:VCALENDAR"
    at = text.index(marker)
    return text[:at] + _london_vtimezone() + text[at:]


def _host_names(surgery):
    return ", ".join(host.name for host in surgery.hosts.select_related("user"))


def _booking_words(booking, hosts):
    """(summary, location, description, url) of a booking's entry in the active language."""
    surgery = booking.slot.surgery
    event = surgery.event
    url = f"{settings.SITE_URL}{event.get_absolute_url()}"
    summary = gettext("Surgery: %(surgery)s (%(event)s)") % {"surgery": surgery.title, "event": event.title}
    location = ", ".join(part for part in [event.venue, surgery.room, event.address] if part)
    if hosts:
        about = gettext("One-to-one surgery at %(event)s with %(hosts)s.") % {"event": event.title, "hosts": hosts}
    else:
        about = gettext("One-to-one surgery at %(event)s.") % {"event": event.title}
    return summary, location, f"{about}\n{url}", url


def _both(welsh, english, separator):
    """Welsh then English; once when they are the same (a room, an untranslated title)."""
    return welsh if welsh == english else f"{welsh}{separator}{english}"


def booking_ics(booking, *, cancelled=False, hosts=None, language=None):
    """The booking's calendar entry; its words in `language` (the active one if None; BILINGUAL: both, Welsh first)."""
    slot = booking.slot
    surgery = slot.surgery
    hosts = ", ".join(host.name for host in hosts) if hosts is not None else _host_names(surgery)
    if language == BILINGUAL:
        with translation.override(WELSH):
            welsh = _booking_words(booking, hosts)
        with translation.override(ENGLISH):
            english = _booking_words(booking, hosts)
        summary, location, description = (_both(w, e, sep) for w, e, sep in zip(welsh, english, (" / ", " / ", "\n\n")))
        url = welsh[3]
    else:
        with translation.override(language or translation.get_language()):
            summary, location, description, url = _booking_words(booking, hosts)
    cal = _calendar("CANCEL" if cancelled else "PUBLISH")
    item = Event()
    item.add("uid", f"booking-{booking.pk}@{settings.SITE_URL.split('://')[-1]}")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", slot.starts_at.astimezone(LONDON))
    item.add("dtend", slot.ends_at.astimezone(LONDON))
    item.add("summary", summary)
    item.add("location", location)
    item.add("description", description)
    item.add("url", url)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    item.add("sequence", 1 if cancelled else 0)
    cal.add_component(item)
    return _finish(cal)


def _booking_attachment(booking, cancelled, hosts, language):
    return ("surgery.ics", "text/calendar",
            booking_ics(booking, cancelled=cancelled, hosts=hosts, language=language).decode())


def booking_ics_attachment(booking, *, cancelled=False, hosts=None):
    """The booking's .ics for programmes.outbox.email_queue: made, once the email's language is known, in it."""
    return partial(_booking_attachment, booking, cancelled, hosts)


def _event_item(event):
    item = Event()
    item.add("uid", f"event-{event.pk}@{settings.SITE_URL.split('://')[-1]}")
    item.add("dtstamp", event.created_at or timezone.now())
    item.add("dtstart", event.starts_at.astimezone(LONDON))
    item.add("dtend", event.ends_at.astimezone(LONDON))
    item.add("summary", event.title)
    item.add("location", ", ".join(part for part in [event.venue, event.address] if part))
    item.add("description", f"{event.summary}\n{settings.SITE_URL}{event.get_absolute_url()}")
    item.add("url", f"{settings.SITE_URL}{event.get_absolute_url()}")
    return item


def events_feed_ics(events):
    cal = _calendar()
    cal.add("x-wr-calname", gettext("%(site)s: events") % {"site": site_name()})
    cal.add("x-wr-timezone", "Europe/London")
    for event in events:
        cal.add_component(_event_item(event))
    return _finish(cal)


def event_ics(event):
    """One event, the whole day, for "add to calendar": the same entry (UID) as in the events feed."""
    cal = _calendar("PUBLISH")
    cal.add_component(_event_item(event))
    return _finish(cal)
