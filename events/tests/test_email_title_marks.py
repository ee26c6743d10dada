"""A Welsh email marks an event or surgery title, or a venue, it shows in English for want of Welsh (WCAG 3.1.2).

Each events email kind is written by its real action (brokerage/tests/
test_email_pipeline.py's SCENARIOS) for readers who chose Welsh; the titles
and venue are then set to English only, or given Welsh too, before the
action runs. The HTML part marks English lang="en"; the text part stays
plain text, whatever the language.
"""

import re

import pytest

from brokerage.tests.test_email_languages import ENGLISH, UNKNOWN, WELSH, everyone_reads, written
from brokerage.tests.test_email_pipeline import SCENARIOS, arrange
from events.models import Booking, JointEvent, Surgery
from tests_support import factories
from tests_support.html_language import languages_of

pytestmark = pytest.mark.django_db

SURGERY, EVENT, VENUE = "Maths support", "Spring fair", "Exeter Conference Centre"
SURGERY_CY, EVENT_CY, VENUE_CY = "Cymorth mathemateg", "Ffair y gwanwyn", "Canolfan Gynadledda Caerwysg"

# kind -> the texts its HTML body shows (the <title> in the head is plain text: it cannot hold markup).
SHOWN = {
    "booking_confirmation": ("surgery", "event", "venue"),
    "booking_reminder": ("surgery", "event", "venue"),
    "booking_cancelled": ("surgery", "event"),
    "waitlist_offer": ("surgery", "event"),
    "waitlist_offer_withdrawn": ("surgery", "event"),
    "waitlist_closed": ("surgery", "event"),
    "event_cancelled": ("surgery", "event"),
    "host_list": ("surgery", "event"),
    "evaluation_invitation": ("event",),
}
ENGLISH_TEXT = {"surgery": SURGERY, "event": EVENT, "venue": VENUE}
WELSH_TEXT = {"surgery": SURGERY_CY, "event": EVENT_CY, "venue": VENUE_CY}


def name_everything(*, welsh):
    """Every surgery and event gets the same English title and venue, and Welsh ones too or none."""
    Surgery.objects.update(title_en_gb=SURGERY, title_cy=SURGERY_CY if welsh else "")
    JointEvent.objects.update(
        title_en_gb=EVENT, title_cy=EVENT_CY if welsh else "", venue_en_gb=VENUE, venue_cy=VENUE_CY if welsh else "",
    )


def body_of(html):
    """The HTML part's body, inside its <html lang>, as a mail reader's screen reader meets it."""
    return re.search(r"<html[^>]*>", html).group() + html.split("</head>", 1)[1]


def has_markup(text):
    """Tags or entities in a text part (a host list's "Name <address>" is plain text, not a tag)."""
    return bool(re.search(r"</?(span|strong|p|td|a)\b|lang=|&(amp|lt|gt|quot|#\d+);", text))


def emails(kind, *, reader, welsh, request, django_capture_on_commit_callbacks):
    action = arrange(SCENARIOS[kind], request)
    everyone_reads(reader)
    name_everything(welsh=welsh)
    return written(kind, action, page_language=ENGLISH if reader == WELSH else WELSH,
                   django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)


@pytest.mark.parametrize("kind", sorted(SHOWN))
def test_welsh_email_marks_english_titles_and_venue(kind, request, django_capture_on_commit_callbacks):
    for row in emails(kind, reader=WELSH, welsh=False, request=request,
                      django_capture_on_commit_callbacks=django_capture_on_commit_callbacks):
        body = body_of(row.html)
        for text in SHOWN[kind]:
            assert set(languages_of(body, ENGLISH_TEXT[text])) == {"en"}, text
        assert not has_markup(row.body)
        assert all(ENGLISH_TEXT[text] in row.body for text in SHOWN[kind])


@pytest.mark.parametrize("kind", sorted(SHOWN))
def test_welsh_email_with_welsh_titles_marks_nothing(kind, request, django_capture_on_commit_callbacks):
    for row in emails(kind, reader=WELSH, welsh=True, request=request,
                      django_capture_on_commit_callbacks=django_capture_on_commit_callbacks):
        body = body_of(row.html)
        for text in SHOWN[kind]:
            assert set(languages_of(body, WELSH_TEXT[text])) == {"cy"}, text
            assert ENGLISH_TEXT[text] not in row.html and ENGLISH_TEXT[text] not in row.body
        assert 'lang="en"' not in body
        assert not has_markup(row.body)


def test_bilingual_booking_confirmation_marks_english_only_in_its_welsh_half(
    request, django_capture_on_commit_callbacks
):
    [row] = emails("booking_confirmation", reader=UNKNOWN, welsh=False, request=request,
                   django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    body = body_of(row.html)
    welsh_half, english_half = body.split('id="english"', 1)
    # The Welsh half wraps the English title in lang="en"; the English half is English already.
    assert languages_of(body, SURGERY) == ["en", "en-GB"]
    assert welsh_half.count('lang="en"') == 3  # surgery, event and venue
    assert 'lang="en"' not in english_half
    assert not has_markup(row.body) and SURGERY in row.body


def test_english_email_marks_nothing(request, django_capture_on_commit_callbacks):
    [row] = emails("booking_confirmation", reader=ENGLISH, welsh=False, request=request,
                   django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert languages_of(body_of(row.html), SURGERY) == ["en-gb"]
    assert 'lang="en"' not in row.html


@pytest.mark.parametrize("welsh", [False, True], ids=["English only", "with Welsh"])
def test_welsh_host_list_reads_priorities_in_the_language_they_are_shown_in(
    welsh, request, django_capture_on_commit_callbacks
):
    action = arrange(SCENARIOS["host_list"], request)
    everyone_reads(WELSH)
    theme = factories.ThemeFactory(name="Numeracy", name_cy="Rhifedd" if welsh else "")
    for booking in Booking.objects.all():
        booking.priorities.set([theme])
    [row] = written("host_list", action, page_language=ENGLISH,
                    django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    shown = "Rhifedd" if welsh else "Numeracy"
    assert languages_of(body_of(row.html), shown) == ["cy" if welsh else "en"]
    assert shown in row.body and not has_markup(row.body)
