"""A bulletin goes to each subscriber in their language (both, Welsh first, when not known), exactly once."""

import email
import email.policy

import pytest
from django.utils import translation

from brokerage.bulletins import services
from brokerage.bulletins.tasks import bulletin_send_task
from brokerage.choices import DeliveryStatus
from brokerage.models import Delivery

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
    """{address: (subject, text, html)} from (to, subject, text, html) tuples; an address twice fails."""
    found = {}
    for to, subject, text, html in messages:
        assert to not in found, f"{to} got the bulletin twice"
        found[to] = (subject, text, html)
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
    # Both halves carry the reader's own unsubscribe link.
    assert both[1].count(f"/bulletins/unsubscribe/{token}/") == 2
    # The titles are the same in both (no Welsh version yet), and the offers appear in each half.
    assert both[0] == "November bulletin / November bulletin"
    assert welsh_half.count("Maths mastery in Devon") == english_half.count("Maths mastery in Devon") == 1


def test_bulletin_each_subscriber_gets_their_language_once(
    composed_bulletin, readers, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_send_task.apply(args=[composed_bulletin.pk])
        bulletin_send_task.apply(args=[composed_bulletin.pk])  # a duplicated task sends nothing more

    sent = by_address((m.to[0], m.subject, m.body, m.alternatives[0][0]) for m in mailoutbox)
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
        messages.append((rcpts[0], str(parsed["Subject"]), text, html))
    assert_each_in_their_language(by_address(messages), readers, composed_bulletin)
