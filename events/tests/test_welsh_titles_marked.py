"""Event and surgery titles and the venue: on a Welsh page, English shown for want of Welsh is read as English.

The home page's events, a booking's own page and its cancel page, the
provider's bookings on /account/ and the host's on /workspace/. Each text is
read as a screen reader takes it: the language in force where it stands
(WCAG 3.1.2). brokerage/tests/test_welsh_content_names.py does the same for
the other names around the content.
"""

import datetime as dt
import re

import pytest

from events.booking import booking_create
from tests_support import factories
from tests_support.clock import TEST_NOW
from tests_support.html_language import languages_of, main_of

pytestmark = pytest.mark.django_db

SURGERY, EVENT, VENUE = "Maths support", "Spring fair", "Exeter Conference Centre"
SURGERY_CY, EVENT_CY, VENUE_CY = "Cymorth mathemateg", "Ffair y gwanwyn", "Canolfan Gynadledda Caerwysg"



@pytest.fixture
def booking():
    """A provider's booking with a host, of a surgery at a fair, in English only or with Welsh too."""

    def make(welsh):
        cy = (lambda text: text) if welsh else (lambda text: "")
        event = factories.JointEventFactory(
            title=EVENT, title_cy=cy(EVENT_CY), venue=VENUE, venue_cy=cy(VENUE_CY),
            summary="Meet the workers.", summary_cy=cy("Cwrdd â'r gweithwyr."),
        )
        surgery = factories.SurgeryFactory(event=event, title=SURGERY, title_cy=cy(SURGERY_CY))
        surgery.hosts.set([factories.RegionalWorkerFactory(job_title_cy=cy("Cynghorydd rhanbarthol"))])
        user = factories.ProviderContactFactory().user
        priority = factories.ThemeFactory(name="Numeracy", name_cy=cy("Rhifedd"))
        return booking_create(user=user, slot_id=factories.SlotFactory(surgery=surgery).pk, priorities=[priority])

    return make


def test_home_page_reads_event_titles_and_venues_without_welsh_in_english(client, booking):
    booking(welsh=False)
    main = main_of(client, "/cy/")
    assert languages_of(main, EVENT) == ["en"]
    assert languages_of(main, VENUE) == ["en"]
    assert languages_of(main, "Meet the workers.") == ["en"]


def test_home_page_reads_welsh_event_titles_and_venues_in_welsh(client, booking):
    booking(welsh=True)
    main = main_of(client, "/cy/")
    assert languages_of(main, EVENT_CY) == ["cy"]
    assert languages_of(main, VENUE_CY) == ["cy"]
    assert EVENT not in main and VENUE not in main


def test_home_page_reads_offers_without_welsh_in_english(client):
    programme = factories.ProgrammeFactory(plain_name="Maths hub", plain_name_cy="")
    factories.OfferFactory(programme=programme, title="Maths basics", title_cy="", summary="Fractions.", summary_cy="")
    main = main_of(client, "/cy/")
    assert [languages_of(main, text) for text in ("Maths hub", "Maths basics", "Fractions.")] == [["en"]] * 3


def booking_pages(client, booking):
    client.force_login(booking.user)
    return (
        main_of(client, f"/cy/events/bookings/{booking.pk}/"),
        main_of(client, f"/cy/events/bookings/{booking.pk}/cancel/"),
    )


def test_booking_pages_read_titles_and_venue_without_welsh_in_english(client, booking):
    detail, cancel = booking_pages(client, booking(welsh=False))
    # The breadcrumb, the facts, the whole event's calendar link and "Back to …".
    assert languages_of(detail, EVENT) == ["en"] * 4
    assert languages_of(detail, SURGERY) == ["en"]
    assert languages_of(detail, VENUE) == ["en"]
    assert languages_of(detail, "Numeracy") == ["en"]  # what they want to discuss
    assert languages_of(cancel, SURGERY) == ["en"]
    assert languages_of(cancel, EVENT) == ["en"]


def test_booking_pages_read_welsh_titles_and_venue_in_welsh(client, booking):
    detail, cancel = booking_pages(client, booking(welsh=True))
    assert languages_of(detail, EVENT_CY) == ["cy"] * 4
    assert languages_of(detail, SURGERY_CY) == ["cy"]
    assert languages_of(detail, VENUE_CY) == ["cy"]
    assert languages_of(detail, "Rhifedd") == ["cy"]
    assert languages_of(cancel, SURGERY_CY) == ["cy"] and languages_of(cancel, EVENT_CY) == ["cy"]
    for main in (detail, cancel):
        assert SURGERY not in main and EVENT not in main
        assert 'lang="en"' not in main


def test_booking_pages_in_english_mark_nothing(client, booking):
    made = booking(welsh=False)
    client.force_login(made.user)
    for path in (f"/events/bookings/{made.pk}/", f"/events/bookings/{made.pk}/cancel/"):
        main = main_of(client, path)
        assert SURGERY in main and " lang=" not in main.split(">", 1)[1]


def test_account_bookings_read_titles_without_welsh_in_english(client, booking):
    made = booking(welsh=False)
    other = factories.SurgeryFactory(event=made.slot.surgery.event, title="Reading support", title_cy="")
    factories.WaitlistEntryFactory(surgery=other, user=made.user)
    client.force_login(made.user)
    main = main_of(client, "/cy/account/")
    # The booking's link and its two buttons' words for screen readers.
    assert languages_of(main, SURGERY) == ["en"] * 3
    assert languages_of(main, "Reading support") == ["en"] * 2  # the waiting list, and its Leave button
    assert languages_of(main, EVENT) == ["en"] * 2  # under the booking, and the waiting list's event


def test_account_bookings_read_welsh_titles_in_welsh(client, booking):
    made = booking(welsh=True)
    client.force_login(made.user)
    main = main_of(client, "/cy/account/")
    assert languages_of(main, SURGERY_CY) == ["cy"] * 3
    assert languages_of(main, EVENT_CY) == ["cy"]
    assert SURGERY not in main and EVENT not in main


@pytest.mark.parametrize("welsh", [False, True], ids=["English only", "with Welsh"])
def test_workspace_bookings_read_titles_in_the_language_they_are_shown_in(client, booking, welsh):
    made = booking(welsh=welsh)
    client.force_login(made.slot.surgery.hosts.get().user)
    main = main_of(client, "/cy/workspace/")
    section = re.search(r"<html[^>]*>", main).group() + main.split('id="surgery-bookings"', 1)[1] + "</html>"
    expected = ["cy"] if welsh else ["en"]
    assert languages_of(section, SURGERY_CY if welsh else SURGERY) == expected
    assert languages_of(section, EVENT_CY if welsh else EVENT) == expected
    assert languages_of(section, "Rhifedd" if welsh else "Numeracy") == expected


def past_fair(**texts):
    ended = TEST_NOW - dt.timedelta(days=10)
    return factories.JointEventFactory(
        starts_at=ended - dt.timedelta(hours=6), ends_at=ended,
        booking_opens_at=ended - dt.timedelta(days=20), booking_closes_at=ended - dt.timedelta(days=2), **texts,
    )


def test_past_events_list_reads_titles_without_welsh_in_english(client):
    past_fair(title=EVENT, title_cy="")
    past_fair(title="Autumn fair", title_cy="Ffair yr hydref")
    main = main_of(client, "/cy/events/")
    assert languages_of(main, EVENT) == ["en"]
    assert languages_of(main, "Ffair yr hydref") == ["cy"]


@pytest.mark.parametrize("welsh", [False, True], ids=["English only", "with Welsh"])
def test_evaluation_page_reads_the_event_title_in_the_language_it_is_shown_in(client, booking, welsh):
    made = booking(welsh=welsh)
    client.force_login(made.user)
    main = main_of(client, f"/cy/events/{made.slot.surgery.event.slug}/evaluation/")
    # The heading, and "You can evaluate … once it has finished" (the fair is still to come).
    assert languages_of(main, EVENT_CY if welsh else EVENT) == (["cy"] * 2 if welsh else ["en"] * 2)
