"""A bulletin goes to each subscriber in their language (both, Welsh first, when not known), exactly once."""

import email
import email.policy
import re

import pytest
from django.conf import settings
from django.utils import translation

from brokerage.bulletins import services
from brokerage.bulletins.tasks import bulletin_send_task
from brokerage.choices import DeliveryStatus
from brokerage.models import Delivery
from programmes.emails import BILINGUAL
from tests_support.html_language import languages_of

from .conftest import subscriber
from .smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db

ENGLISH_PART = "\n" + "-" * 60 + "\nEnglish\n" + "-" * 60 + "\n"


@pytest.fixture
def readers():
    return {
        "cy": subscriber("cymraeg@example.org", name="Elin", language="cy"),
        "en-gb": subscriber("english@example.org", name="Sam", language="en-gb"),
        "": subscriber("unknown@example.org", name="Alex", language=""),
    }


def by_address(messages):
    """{address: (subject, text, html, List-Unsubscribe)} from (to, subject, text, html, List-Unsubscribe)
    tuples; an address twice fails."""
    found = {}
    for to, *parts in messages:
        assert to not in found, f"{to} got the bulletin twice"
        found[to] = tuple(parts)
    return found


def assert_each_in_their_language(sent, readers, composed_bulletin):
    welsh = sent["cymraeg@example.org"]
    english = sent["english@example.org"]
    both = sent["unknown@example.org"]
    assert set(sent) == {r.email for r in readers.values()}

    assert "Annwyl Elin," in welsh[1] and "Dear" not in welsh[1]
    assert f"/cy/bulletins/unsubscribe/{readers['cy'].token}/" in welsh[1]
    assert "Bwletin ar y cyd" in welsh[1] and "joint bulletin" not in welsh[1]
    # Its links open the Welsh pages: the web copy, the preferences and the offers.
    assert '<html lang="cy">' in welsh[2] and f"/cy{composed_bulletin.get_absolute_url()}" in welsh[2]
    assert "/cy/bulletins/subscribe/" in welsh[2]
    assert "Dear Sam," in english[1] and "Annwyl" not in english[1]
    assert '<html lang="en-gb">' in english[2] and "/cy/" not in english[2]

    welsh_half, english_half = both[1].split(ENGLISH_PART)
    assert "Annwyl Alex," in welsh_half and "Dear Alex," in english_half
    assert both[2].index('<div lang="cy">') < both[2].index('<div lang="en-GB" id="english">')
    token = readers[""].token
    # Both halves carry the reader's own unsubscribe link, each to the page in its language;
    # the one-click header, which no one reads, keeps the address without language prefix.
    welsh_html, english_html = both[2].split('<div lang="en-GB" id="english">')
    for welsh_part, english_part in ((welsh_half, english_half), (welsh_html, english_html)):
        assert welsh_part.count(f"/cy/bulletins/unsubscribe/{token}/") == 1
        assert english_part.count(f"/bulletins/unsubscribe/{token}/") == 1
        assert "/cy/bulletins/unsubscribe/" not in english_part
    assert both[3] == f"<{settings.SITE_URL}/bulletins/unsubscribe/{token}/>"
    assert english[3] == f"<{settings.SITE_URL}/bulletins/unsubscribe/{readers['en-gb'].token}/>"
    # With no Welsh version yet, the Welsh texts stand in English, which screen readers are told.
    assert languages_of(welsh[2], "Maths mastery in Devon") == ["en"]
    assert languages_of(welsh[2], "November bulletin") == ["cy", "en"]  # the <title>, the heading
    assert languages_of(welsh[2], "Maths and numeracy") == ["en"]
    assert languages_of(english[2], "Maths mastery in Devon") == ["en-gb"]
    assert languages_of(both[2], "Maths mastery in Devon") == ["en", "en-GB"]  # the Welsh half, the English
    # The titles are the same in both (no Welsh version yet), and the offers appear in each half.
    assert both[0] == "November bulletin / November bulletin"
    assert welsh_half.count("Maths mastery in Devon") == english_half.count("Maths mastery in Devon") == 1


def test_bulletin_each_subscriber_gets_their_language_once(
    composed_bulletin, readers, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_send_task.apply(args=[composed_bulletin.pk])
        bulletin_send_task.apply(args=[composed_bulletin.pk])  # a duplicated task sends nothing more

    sent = by_address(
        (m.to[0], m.subject, m.body, m.alternatives[0][0], m.extra_headers["List-Unsubscribe"]) for m in mailoutbox
    )
    assert_each_in_their_language(sent, readers, composed_bulletin)
    assert list(Delivery.objects.values_list("status", flat=True)) == [DeliveryStatus.SENT] * 3
    assert translation.get_language() == "en-gb"  # rendering in Welsh left the worker's language alone


def test_bulletin_languages_over_smtp_prepared_messages(
    composed_bulletin, readers, settings, django_capture_on_commit_callbacks
):
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        with django_capture_on_commit_callbacks(execute=True):
            services.bulletin_fan_out(bulletin_id=composed_bulletin.pk)
        raw = list(sink.handler.messages)

    messages = []
    for rcpts, data in raw:
        parsed = email.message_from_bytes(data, policy=email.policy.default)
        text, html = (parsed.get_body((kind,)).get_content().replace("\r\n", "\n") for kind in ("plain", "html"))
        messages.append((rcpts[0], str(parsed["Subject"]), text, html, str(parsed["List-Unsubscribe"])))
    assert_each_in_their_language(by_address(messages), readers, composed_bulletin)


def test_bilingual_test_copy_links_each_half_to_the_test_page_in_its_language(
    client, composed_bulletin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_send_test(
            bulletin=composed_bulletin, to="reviewer@example.org", name="Alex", language=BILINGUAL
        )
    welsh_half, english_half = mailoutbox[0].body.split(ENGLISH_PART)
    welsh_link = re.search(r"https?://\S+/unsubscribe/\S+/", welsh_half).group()
    english_link = re.search(r"https?://\S+/unsubscribe/\S+/", english_half).group()

    assert welsh_link == f"{settings.SITE_URL}/cy/bulletins/unsubscribe/test-email/"
    assert english_link == f"{settings.SITE_URL}/bulletins/unsubscribe/test-email/"
    # The Welsh page says, in Welsh, that nothing was unsubscribed.
    page = client.get(welsh_link.removeprefix(settings.SITE_URL))
    assert page.headers["Content-Language"] == "cy"
