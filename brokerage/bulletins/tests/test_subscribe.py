"""Double opt-in with signed links, and one-click unsubscribe."""

import datetime as dt
import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brokerage.models import Subscriber
from tests_support import factories

from .conftest import subscriber

pytestmark = pytest.mark.django_db


def _confirm_link(message):
    # The last one: a bilingual email's English half, after the Welsh half's /cy/ link.
    return re.findall(r"https?://\S+/bulletins/subscribe/confirm/[^/\s]+/", message.body)[-1]


def _path(url):
    return "/" + url.split("/", 3)[3]


def test_subscribe_creates_unconfirmed_subscriber_and_emails_signed_link(
    client, mailoutbox, themes, regions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("bulletins:subscribe"),
            {"email": "ana@college.example", "name": "Ana", "themes": [themes["maths"].pk], "regions": [regions["devon"].pk]},
        )

    assert response.status_code == 200
    assert b"Check your inbox" in response.content
    sub = Subscriber.objects.get(email="ana@college.example")
    assert sub.confirmed_at is None
    assert [m.to for m in mailoutbox] == [["ana@college.example"]]
    assert "/bulletins/subscribe/confirm/" in mailoutbox[0].body
    assert mailoutbox[0].alternatives[0][1] == "text/html"


def test_subscribe_confirmation_email_leaves_out_the_typed_name(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    name = "Your account is suspended\nsign in at https://evil.example"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("bulletins:subscribe"), {"email": "victim@college.example", "name": name, "language": "en-gb"}
        )

    [message] = mailoutbox
    html = message.alternatives[0][0]
    for part in (message.subject, message.body, html):
        assert "suspended" not in part and "evil.example" not in part
    assert message.body.startswith("Hello,\n")
    assert "<p>Hello,</p>" in html


def test_subscribe_confirm_get_shows_button_and_confirms_nobody(client, mailoutbox, themes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bulletins:subscribe"), {"email": "ana@college.example", "name": "Ana"})

    response = client.get(_path(_confirm_link(mailoutbox[0])))

    assert response.status_code == 200
    assert b"Yes, send me the bulletin" in response.content
    assert Subscriber.objects.get().confirmed_at is None


def test_subscribe_confirm_page_shows_the_greeting_before_the_owner_agrees(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bulletins:subscribe"), {"email": "victim@college.example", "name": "<b>Your account is suspended</b>"})

    page = client.get(_path(_confirm_link(mailoutbox[0]))).content.decode()

    assert "Each bulletin will begin “Dear &lt;b&gt;Your account is suspended&lt;/b&gt;”." in page
    assert "subscribe again with your own name" in page
    assert Subscriber.objects.get().confirmed_at is None


def test_subscribe_confirm_post_confirms_with_chosen_themes(
    client, mailoutbox, themes, regions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("bulletins:subscribe"),
            {"email": "ana@college.example", "name": "Ana", "themes": [themes["digital"].pk], "regions": [regions["gwent"].pk]},
        )

    response = client.post(_path(_confirm_link(mailoutbox[0])))

    assert response.status_code == 200
    sub = Subscriber.objects.get()
    assert sub.confirmed_at is not None
    assert list(sub.themes.all()) == [themes["digital"]]
    assert list(sub.regions.all()) == [regions["gwent"]]


def test_subscribe_confirm_tampered_token_refused(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bulletins:subscribe"), {"email": "ana@college.example", "name": "Ana"})
    token = _confirm_link(mailoutbox[0]).rstrip("/").rsplit("/", 1)[1]
    payload = signing.loads(token, salt="brokerage.bulletins.confirm")
    forged = signing.dumps({**payload, "email": "victim@example.org"}, salt="not-our-salt")
    flipped = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")

    responses = [
        client.post(reverse("bulletins:confirm", args=[bad])) for bad in (flipped, forged, "nonsense")
    ]

    assert [r.status_code for r in responses] == [400, 400, 400]
    assert Subscriber.objects.get().confirmed_at is None


def test_subscribe_existing_address_changes_nothing_until_confirmed(
    client, mailoutbox, themes, django_capture_on_commit_callbacks
):
    existing = subscriber("ana@college.example", themes=[themes["maths"]])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("bulletins:subscribe"), {"email": "ana@college.example", "name": "Someone else", "themes": [themes["digital"].pk]}
        )

    assert list(existing.themes.all()) == [themes["maths"]]
    assert Subscriber.objects.get().name == "A Subscriber"

    client.post(_path(_confirm_link(mailoutbox[0])))

    assert list(existing.themes.all()) == [themes["digital"]]


def test_subscribe_invalid_email_says_what_and_keeps_typed(client, mailoutbox):
    response = client.post(reverse("bulletins:subscribe"), {"email": "not-an-address", "name": "Ana Typed"})

    assert response.status_code == 200
    assert b"Enter a valid email address" in response.content
    assert b'value="Ana Typed"' in response.content
    assert Subscriber.objects.count() == 0
    assert mailoutbox == []


def test_unsubscribe_get_unsubscribes_nobody(client):
    sub = factories.SubscriberFactory()

    response = client.get(reverse("bulletins:unsubscribe", args=[sub.token]))

    assert response.status_code == 200
    assert b"Unsubscribe</button>" in response.content
    sub.refresh_from_db()
    assert sub.unsubscribed_at is None


def test_unsubscribe_one_click_post_without_cookies_unsubscribes(db):
    sub = factories.SubscriberFactory()
    mail_client = Client(enforce_csrf_checks=True)  # no cookies, no CSRF token: as a mail client posts

    response = mail_client.post(
        reverse("bulletins:unsubscribe", args=[sub.token]),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    sub.refresh_from_db()
    assert sub.unsubscribed_at is not None


def test_unsubscribe_unknown_token_not_found(client):
    factories.SubscriberFactory()

    response = client.post(reverse("bulletins:unsubscribe", args=["no-such-token"]))

    assert response.status_code == 404
    assert Subscriber.objects.filter(unsubscribed_at__isnull=False).count() == 0


def test_subscribe_again_after_unsubscribing_needs_confirmation(client, mailoutbox, django_capture_on_commit_callbacks):
    sub = factories.SubscriberFactory(email="ana@college.example")
    client.post(reverse("bulletins:unsubscribe", args=[sub.token]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bulletins:subscribe"), {"email": "ana@college.example", "name": "Ana"})
    sub.refresh_from_db()
    assert sub.unsubscribed_at is not None

    client.post(_path(_confirm_link(mailoutbox[0])))

    sub.refresh_from_db()
    assert sub.unsubscribed_at is None
    assert sub.is_active


def test_subscribe_repeated_requests_mail_one_link_per_interval(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            response = client.post(reverse("bulletins:subscribe"), {"email": "ana@college.example", "name": "Ana"})

    assert b"Check your inbox" in response.content
    assert len(mailoutbox) == 1

    Subscriber.objects.update(confirmation_sent_at=timezone.now() - dt.timedelta(minutes=6))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bulletins:subscribe"), {"email": "ana@college.example", "name": "Ana"})

    assert len(mailoutbox) == 2


def test_unsubscribe_page_does_not_show_the_address(client):
    sub = factories.SubscriberFactory(email="head.teacher@ysgol.example")

    shown = client.get(reverse("bulletins:unsubscribe", args=[sub.token])).content.decode()
    done = client.post(reverse("bulletins:unsubscribe", args=[sub.token])).content.decode()
    again = client.get(reverse("bulletins:unsubscribe", args=[sub.token])).content.decode()

    assert "Stop sending the joint bulletin to the address this link came to?" in shown
    assert "That address will get no more joint bulletins." in done
    assert "already unsubscribed" in again
    for page in (shown, done, again):
        assert "head.teacher" not in page and "ysgol.example" not in page


@pytest.mark.parametrize(
    "token, status",
    # A NUL character in the address is refused before any view (brokerage.middleware): 400.
    [("a\x00b", 400), ("a b", 404), ("a%00b", 400), ("x" * 500, 404)],
)
def test_unsubscribe_hostile_token_not_found(client, token, status):
    sub = factories.SubscriberFactory()

    response = client.post(f"/bulletins/unsubscribe/{token}/")

    assert response.status_code == status
    sub.refresh_from_db()
    assert sub.unsubscribed_at is None


def test_rotating_tokens_retires_the_old_unsubscribe_link(admin_client):
    sub, other = factories.SubscriberFactory(), factories.SubscriberFactory()
    old_token, other_token = sub.token, other.token

    response = admin_client.post(
        reverse("admin:brokerage_subscriber_changelist"),
        {"action": "rotate_tokens", "_selected_action": [sub.pk]},
        follow=True,
    )

    assert "New unsubscribe links for 1 address." in response.content.decode()
    sub.refresh_from_db()
    other.refresh_from_db()
    assert sub.token != old_token and other.token == other_token
    assert admin_client.post(reverse("bulletins:unsubscribe", args=[old_token])).status_code == 404
    assert admin_client.post(reverse("bulletins:unsubscribe", args=[sub.token])).status_code == 200
    sub.refresh_from_db()
    assert sub.unsubscribed_at is not None
