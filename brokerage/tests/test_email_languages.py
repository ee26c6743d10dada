"""Every kind of email goes in its reader's language: Welsh, English, or both (Welsh first) when not known.

The kinds and their triggers are test_email_pipeline's SCENARIOS. Here every
person the scenario involves has the same email language (a user's
Preferences, a subscriber's `language`), and the action runs on a page in
the *other* language, so only the person's choice can explain the language
of what is written. An enquirer without an account gets the page's language.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from brokerage.bulletins.services import subscription_request
from brokerage.catalogue.services import enquiry_create
from brokerage.models import Subscriber
from people.models import Preferences
from programmes.models import OutboxEmail
from tests_support import factories

from .test_email_pipeline import SCENARIOS, arrange

pytestmark = pytest.mark.django_db

WELSH, ENGLISH, UNKNOWN = "cy", "en-gb", ""

# kind -> (words only its Welsh version says, words only its English version says), in subject or text.
MARKERS = {
    "booking_confirmation": ("Wedi'i harchebu:", "Booked:"),
    "booking_cancelled": ("Wedi'i chanslo:", "Cancelled:"),
    "waitlist_offer": ("Mae lle ar gael i chi", "A slot is free for you"),
    "event_cancelled": ("Digwyddiad wedi'i ganslo", "Event cancelled"),
    "waitlist_closed": ("Rhestr aros wedi cau", "Waiting list closed"),
    "waitlist_offer_withdrawn": ("Nid yw'r lle a gadwyd i chi ar gael mwyach", "The slot held for you is no longer"),
    "booking_reminder": ("Yfory:", "Tomorrow:"),
    "host_list": ("Archebion eich cymhorthfa", "Your surgery bookings"),
    "evaluation_invitation": ("Dywedwch wrthym mewn pum munud", "Tell us in five minutes"),
    "enquiry": ("wedi gofyn cwestiwn am", "asked a question about"),
    "enquiry_acknowledgement": ("Mae eich cwestiwn am", "We have your question about"),
    "offer_review_reminder": ("i'w wirio", "offer to check"),
    "insights_digest": ("mewnwelediadau ar gyfer yr wythnos", "insights for the week"),
    "account_confirm": ("Cadarnhewch eich cyfeiriad e-bost", "Confirm your email address"),
    "membership_request": ("yn gofyn am gael gweithredu ar ran", "asks to act for"),
    "membership_decision": ("Rydych bellach yn gweithredu ar ran", "You now act for"),
    "bulletin_confirm": ("Cadarnhewch eich tanysgrifiad", "Confirm your subscription"),
    "password_reset": ("ailosod eich cyfrinair", "reset your password"),
    "bulletin_test": ("Annwyl Coordinator", "Dear Coordinator"),
}
CALENDAR_KINDS = {"booking_confirmation", "booking_cancelled", "event_cancelled", "booking_reminder"}


def enquiry_from_a_signed_in_contact():
    """An offer with a named contact, asked about by a signed-in provider contact: both people have accounts."""
    offer = factories.OfferFactory(contact=factories.RegionalWorkerFactory())
    asker = factories.ProviderContactFactory().user
    return lambda: enquiry_create(
        offer=offer, user=asker, name="Sam", email=asker.email, organisation="", message="A place?"
    )


def bulletin_confirm_for_a_known_address():
    """An address already on the list asks again: the link goes in the language recorded for it."""
    factories.SubscriberFactory(email="reader@example.org", confirmed_at=None)
    return lambda: subscription_request(email="reader@example.org", name="Reader")


# The anonymous enquirer and the new subscriber are covered by the page- and form-language tests below.
LANGUAGE_SCENARIOS = {
    **SCENARIOS,
    "enquiry": enquiry_from_a_signed_in_contact,
    "enquiry_acknowledgement": enquiry_from_a_signed_in_contact,
    "bulletin_confirm": bulletin_confirm_for_a_known_address,
}


def test_language_scenarios_cover_every_kind():
    assert set(LANGUAGE_SCENARIOS) == set(SCENARIOS) == set(MARKERS)


def everyone_reads(language):
    """Every account and every subscriber has `language` as their email language."""
    for user in factories.UserFactory._meta.model.objects.all():
        Preferences.objects.update_or_create(user=user, defaults={"email_language": language})
    Subscriber.objects.update(language=language)


def written(kind, action, *, page_language, django_capture_on_commit_callbacks):
    """The rows of `kind` the action writes while a page in `page_language` is being answered."""
    with django_capture_on_commit_callbacks(), translation.override(page_language), transaction.atomic():
        action()
    rows = list(OutboxEmail.objects.filter(kind=kind))
    assert rows, f"{kind}: nothing written"
    return rows


def words(row):
    return f"{row.subject}\n{row.body}"


def assert_welsh(kind, row):
    welsh, english = MARKERS[kind]
    assert welsh in words(row) and english not in words(row)
    assert '<html lang="cy">' in row.html and " / " not in row.subject.removeprefix("[Test] ")
    assert row.language == WELSH


def assert_english(kind, row):
    welsh, english = MARKERS[kind]
    assert english in words(row) and welsh not in words(row)
    assert '<html lang="en-gb">' in row.html and "Mae'r neges Saesneg isod" not in row.body
    assert row.language == ENGLISH


ENGLISH_PART = "\n" + "-" * 60 + "\nEnglish\n" + "-" * 60 + "\n"


def assert_both_welsh_first(kind, row):
    welsh, english = MARKERS[kind]
    welsh_subject, english_subject = row.subject.removeprefix("[Test] ").split(" / ")
    welsh_text, english_text = row.body.split(ENGLISH_PART)
    welsh_half, english_half = f"{welsh_subject}\n{welsh_text}", f"{english_subject}\n{english_text}"
    assert welsh in welsh_half and english not in welsh_half
    assert english in english_half and welsh not in english_half
    assert row.html.count("<html") == 1
    assert row.html.index('<div lang="cy">') < row.html.index('<div lang="en-GB" id="english">')
    assert row.language == UNKNOWN


@pytest.mark.parametrize("kind", sorted(LANGUAGE_SCENARIOS))
@pytest.mark.parametrize(
    "reader, page_language, check",
    [
        (WELSH, ENGLISH, assert_welsh),
        (ENGLISH, WELSH, assert_english),
        (UNKNOWN, ENGLISH, assert_both_welsh_first),
    ],
    ids=["welsh-reader", "english-reader", "unknown-reader"],
)
def test_email_goes_in_the_readers_language(
    kind, reader, page_language, check, request, django_capture_on_commit_callbacks
):
    action = arrange(LANGUAGE_SCENARIOS[kind], request)
    everyone_reads(reader)

    rows = written(kind, action, page_language=page_language,
                   django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)

    for row in rows:
        check(kind, row)
        if kind in CALENDAR_KINDS:  # the .ics goes as it is, in every language
            assert (row.attachment_name, row.attachment_type) == ("surgery.ics", "text/calendar")


def test_email_dates_are_in_the_readers_language(request, django_capture_on_commit_callbacks):
    action = arrange(SCENARIOS["booking_confirmation"], request)
    everyone_reads(WELSH)

    [row] = written("booking_confirmation", action, page_language=ENGLISH,
                    django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)

    # The factories' slot is on a weekday in a month Django names in Welsh.
    assert any(day in row.body for day in ("Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau", "Dydd Gwener",
                                           "Dydd Sadwrn", "Dydd Sul"))
    assert "(amser y DU)" in row.body and "UK time" not in row.body


@pytest.mark.parametrize("page_language, check", [(WELSH, assert_welsh), (ENGLISH, assert_english)])
def test_enquiry_acknowledgement_without_an_account_goes_in_the_pages_language(
    page_language, check, django_capture_on_commit_callbacks
):
    offer = factories.OfferFactory()
    action = lambda: enquiry_create(  # noqa: E731 - the same shape as the scenarios' actions
        offer=offer, user=None, name="Sam", email="sam@college.example", organisation="", message="A place?"
    )

    [row] = written("enquiry_acknowledgement", action, page_language=page_language,
                    django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)

    check("enquiry_acknowledgement", row)


@pytest.mark.parametrize(
    "path, answer, check",
    [
        ("/cy/bulletins/subscribe/", WELSH, assert_welsh),
        ("/bulletins/subscribe/", WELSH, assert_welsh),
        ("/cy/bulletins/subscribe/", ENGLISH, assert_english),
        ("/cy/bulletins/subscribe/", UNKNOWN, assert_both_welsh_first),
    ],
)
def test_subscribe_form_records_the_language_and_confirms_in_it(
    client, path, answer, check, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        client.post(path, {"email": "reader@example.org", "name": "Reader", "language": answer})

    [row] = OutboxEmail.objects.filter(kind="bulletin_confirm")
    check("bulletin_confirm", row)
    assert Subscriber.objects.get(email="reader@example.org").language == answer


def test_subscriber_changes_the_bulletins_language_on_their_account_page(client):
    contact = factories.ProviderContactFactory()
    subscriber = factories.SubscriberFactory(email=contact.user.email, user=contact.user, language="")
    client.force_login(contact.user)

    client.post(reverse("bulletins:preferences"), {"language": WELSH})

    subscriber.refresh_from_db()
    assert subscriber.language == WELSH


def site_links(text):
    """Every web link in a text or HTML body: all of them to this site (a password reset's, to the asked-for host)."""
    return re.findall(r"https?://[^\s\"'<>]*", text)


def is_welsh_link(link):
    path = urlsplit(link).path
    return path == "/cy" or path.startswith("/cy/")


def assert_links_in(language, text):
    links = site_links(text)
    assert links, text
    wrong = [link for link in links if is_welsh_link(link) != (language == WELSH)]
    assert not wrong, f"links not in {language}: {wrong}"


# A bilingual bulletin's one-click unsubscribe link is one address in both halves (content.py):
# the English one, which the Welsh half keeps.
ONE_LINK_FOR_BOTH = {"bulletin_test": "/bulletins/unsubscribe"}


@pytest.mark.parametrize("kind", sorted(LANGUAGE_SCENARIOS))
@pytest.mark.parametrize("reader", [WELSH, ENGLISH, UNKNOWN], ids=["welsh-reader", "english-reader", "unknown-reader"])
def test_email_links_open_the_pages_in_the_readers_language(kind, reader, request, django_capture_on_commit_callbacks):
    """Links built before the email is rendered (a signed token in them, say) follow the reader too.

    The action runs on a page in the other language (or, for a reader of both,
    on a Welsh page), so a link made from the page's language would be wrong.
    """
    action = arrange(LANGUAGE_SCENARIOS[kind], request)
    everyone_reads(reader)

    rows = written(kind, action, page_language=ENGLISH if reader == WELSH else WELSH,
                   django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)

    for row in rows:
        if reader != UNKNOWN:
            assert_links_in(reader, row.body)
            assert_links_in(reader, row.html)
            continue
        welsh_text, english_text = row.body.split(ENGLISH_PART)
        welsh_html, english_html = row.html.split('<div lang="en-GB" id="english">')
        if kind in ONE_LINK_FOR_BOTH:
            shared = ONE_LINK_FOR_BOTH[kind]
            welsh_text, welsh_html = (re.sub(re.escape(settings.SITE_URL + shared) + r"[^\s\"'<>]*", "", half)
                                      for half in (welsh_text, welsh_html))
        assert_links_in(WELSH, welsh_text)
        assert_links_in(WELSH, welsh_html)
        assert_links_in(ENGLISH, english_text)
        assert_links_in(ENGLISH, english_html)


def calendar_entry(row):
    """The summary, description and link of the attached .ics's one entry, unfolded and unescaped."""
    from icalendar import Calendar

    [entry] = Calendar.from_ical(row.attachment).walk("VEVENT")
    return str(entry["summary"]), str(entry["description"]), str(entry["url"])


@pytest.mark.parametrize("kind", sorted(CALENDAR_KINDS))
@pytest.mark.parametrize("reader", [WELSH, ENGLISH, UNKNOWN], ids=["welsh-reader", "english-reader", "unknown-reader"])
def test_calendar_file_speaks_the_readers_language(kind, reader, request, django_capture_on_commit_callbacks):
    """The .ics's words and link follow the reader; a reader of both gets both in it, Welsh first."""
    action = arrange(LANGUAGE_SCENARIOS[kind], request)
    everyone_reads(reader)

    rows = written(kind, action, page_language=ENGLISH if reader == WELSH else WELSH,
                   django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)

    for row in rows:
        summary, description, url = calendar_entry(row)
        if reader == WELSH:
            assert summary.startswith("Cymhorthfa:") and "Surgery:" not in summary
            assert description.startswith("Cymhorthfa un-i-un yn ") and "One-to-one" not in description
            assert f"{settings.SITE_URL}/cy/events/" in description and is_welsh_link(url)
        elif reader == ENGLISH:
            assert summary.startswith("Surgery:") and "Cymhorthfa" not in summary
            assert description.startswith("One-to-one surgery at ") and "Cymhorthfa" not in description
            assert "/cy/" not in description and not is_welsh_link(url)
        else:
            welsh_summary, english_summary = summary.split(" / ")
            assert welsh_summary.startswith("Cymhorthfa:") and english_summary.startswith("Surgery:")
            welsh_text, english_text = description.split("\n\n")
            assert welsh_text.startswith("Cymhorthfa un-i-un yn ") and f"{settings.SITE_URL}/cy/events/" in welsh_text
            assert english_text.startswith("One-to-one surgery at ") and f"{settings.SITE_URL}/events/" in english_text
