"""The public archive and the coordinators' bulletin desk in the admin."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brokerage.choices import BulletinStatus, DeliveryStatus
from brokerage.models import Bulletin, BulletinItem, Delivery
from tests_support import factories

from .conftest import subscriber

pytestmark = pytest.mark.django_db


def _sent(bulletin):
    Bulletin.objects.filter(pk=bulletin.pk).update(status=BulletinStatus.SENT, sent_at=timezone.now())
    bulletin.refresh_from_db()
    return bulletin


@pytest.mark.parametrize("count", [1, 3])
def test_bulletin_list_shows_sent_only_in_bounded_queries(client, django_assert_max_num_queries, count):
    for n in range(count):
        _sent(factories.BulletinFactory(title=f"Sent number {n}"))
    factories.BulletinFactory(title="Still a draft")

    with django_assert_max_num_queries(4):
        response = client.get(reverse("bulletins:bulletin_list"))

    assert [b.title for b in response.context["page"].object_list] == [f"Sent number {n}" for n in range(count)][::-1]
    assert b"Still a draft" not in response.content


def test_bulletin_detail_shows_everything_grouped_by_theme(client, composed_bulletin):
    _sent(composed_bulletin)

    response = client.get(reverse("bulletins:bulletin_detail", args=[composed_bulletin.slug]))

    assert response.status_code == 200
    text = response.content.decode()
    assert text.index("Maths and numeracy") < text.index("Maths mastery in Devon") < text.index("Digital learning")
    assert "National digital toolkit" in text


def test_bulletin_detail_draft_not_found(client, composed_bulletin):
    response = client.get(reverse("bulletins:bulletin_detail", args=[composed_bulletin.slug]))

    assert response.status_code == 404


def test_bulletin_detail_dropped_item_left_out(client, composed_bulletin):
    BulletinItem.objects.filter(offer__title="Maths mastery in Devon").update(dropped=True)
    _sent(composed_bulletin)

    response = client.get(reverse("bulletins:bulletin_detail", args=[composed_bulletin.slug]))

    assert b"Maths mastery in Devon" not in response.content
    assert b"Digital skills in Gwent" in response.content


def test_admin_preview_as_subscriber_html_and_text(client, coordinator, composed_bulletin, themes, regions):
    subscriber("maths@example.org", themes=[themes["maths"]], regions=[regions["devon"]])
    client.force_login(coordinator)
    url = reverse("admin:bulletins_bulletin_preview", args=[composed_bulletin.pk])

    html = client.get(url, {"email": "maths@example.org", "format": "html"})
    text = client.get(url, {"email": "maths@example.org", "format": "text"})

    assert b"Maths mastery in Devon" in html.content and b"Digital skills in Gwent" not in html.content
    assert "'unsafe-inline'" in html["Content-Security-Policy"] and "script-src 'none'" in html["Content-Security-Policy"]
    assert text["Content-Type"].startswith("text/plain")
    assert text.content.decode().startswith("Subject: November bulletin")
    assert b"Digital skills in Gwent" not in text.content


def test_admin_preview_refused_to_provider_contact(client, provider_contact, composed_bulletin):
    client.force_login(provider_contact.user)

    response = client.get(reverse("admin:bulletins_bulletin_preview", args=[composed_bulletin.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_send_test_goes_to_coordinator_only(
    client, coordinator, composed_bulletin, mailoutbox, django_capture_on_commit_callbacks
):
    subscriber("reader@example.org")
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):  # it leaves through the outbox
        client.post(reverse("admin:bulletins_bulletin_test", args=[composed_bulletin.pk]))

    # The coordinator has not chosen a language: both, Welsh first (the title has no Welsh version yet).
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([coordinator.email], "[Test] November bulletin / November bulletin")
    ]
    assert not Delivery.objects.exists()


def test_admin_send_test_unsubscribe_link_explains_and_unsubscribes_nobody(
    client, coordinator, composed_bulletin, mailoutbox, themes, django_capture_on_commit_callbacks
):
    # The coordinator reads the bulletin too: the test copy must still not carry their real link.
    own = subscriber(coordinator.email, themes=[themes["maths"]], confirmed_at=timezone.now())
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:bulletins_bulletin_test", args=[composed_bulletin.pk]))
    message = mailoutbox[0]
    link = r"https?://[^/\s]+(/bulletins/unsubscribe/[^\s\"<>]+/)"
    links = {
        "text": re.search(link, message.body).group(1),
        "html": re.search(link, message.alternatives[0][0]).group(1),
        "header": re.search(link, message.extra_headers["List-Unsubscribe"]).group(1),
    }
    client.logout()

    page = client.get(links["text"])
    one_click = Client(enforce_csrf_checks=True).post(links["header"], {"List-Unsubscribe": "One-Click"})

    assert set(links.values()) == {"/bulletins/unsubscribe/test-email/"}
    assert page.status_code == 200
    assert "This was a test email" in page.content.decode()
    assert "Nothing was unsubscribed." in page.content.decode()
    assert one_click.status_code == 200
    own.refresh_from_db()
    assert own.unsubscribed_at is None


def test_unsubscribe_tampered_token_still_refused(client):
    sub = subscriber("reader@example.org", confirmed_at=timezone.now())
    tampered = sub.token[:-1] + ("y" if sub.token.endswith("x") else "x")

    responses = [client.post(reverse("bulletins:unsubscribe", args=[token])) for token in (tampered, "test-link")]

    assert [r.status_code for r in responses] == [404, 404]
    sub.refresh_from_db()
    assert sub.unsubscribed_at is None


def test_admin_send_now_sends_and_shows_progress(
    client, coordinator, composed_bulletin, mailoutbox, django_capture_on_commit_callbacks
):
    for n in range(3):
        subscriber(f"s{n}@example.org")
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:bulletins_bulletin_send", args=[composed_bulletin.pk]))
    progress = client.get(reverse("admin:bulletins_bulletin_progress", args=[composed_bulletin.pk]))
    change = client.get(reverse("admin:brokerage_bulletin_change", args=[composed_bulletin.pk]))

    assert len(mailoutbox) == 3
    assert b"3 sent, 0 failed, 0 skipped, 0 remaining (of 3)" in progress.content
    assert b"data-hx-get" not in progress.content  # finished: polling stops
    assert b"3 sent" in change.content


def test_admin_progress_polls_while_sending(client, coordinator, composed_bulletin):
    Bulletin.objects.filter(pk=composed_bulletin.pk).update(status=BulletinStatus.SENDING, sent_at=timezone.now())
    Delivery.objects.create(bulletin=composed_bulletin, subscriber=subscriber("a@example.org"), status=DeliveryStatus.SENT,
                            sent_at=timezone.now())
    Delivery.objects.create(bulletin=composed_bulletin, subscriber=subscriber("b@example.org"))
    client.force_login(coordinator)

    response = client.get(reverse("admin:bulletins_bulletin_progress", args=[composed_bulletin.pk]))

    assert b'data-hx-trigger="every 2s"' in response.content
    assert b"1 sent, 0 failed, 0 skipped, 1 remaining (of 2)" in response.content


def test_admin_schedule_then_unschedule(client, coordinator, composed_bulletin):
    client.force_login(coordinator)
    when = (timezone.localtime() + timezone.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    client.post(reverse("admin:bulletins_bulletin_schedule", args=[composed_bulletin.pk]), {"scheduled_for": when})
    composed_bulletin.refresh_from_db()
    assert composed_bulletin.status == BulletinStatus.SCHEDULED

    client.post(reverse("admin:bulletins_bulletin_unschedule", args=[composed_bulletin.pk]))
    composed_bulletin.refresh_from_db()
    assert (composed_bulletin.status, composed_bulletin.scheduled_for) == (BulletinStatus.DRAFT, None)


def test_admin_add_bulletin_drafts_its_content(client, coordinator, themes):
    factories.OfferFactory(title="Fresh offer", themes=[themes["maths"]])
    client.force_login(coordinator)
    today = timezone.localdate()

    response = client.post(
        reverse("admin:brokerage_bulletin_add"),
        {"title_en_gb": "December", "slug": "december", "period_start": today.replace(day=1), "period_end": today,
         "introduction_en_gb": "Hi", "items-TOTAL_FORMS": 0, "items-INITIAL_FORMS": 0},
    )

    assert response.status_code == 302, response.content[:2000]
    assert [str(i) for i in BulletinItem.objects.filter(bulletin__slug="december")] == ["Fresh offer"]


def test_admin_subscribers_paused_filter_shows_paused_only(client, coordinator):
    subscriber("paused@example.org", paused_at=timezone.now(), consecutive_failures=3)
    subscriber("fine@example.org")
    client.force_login(coordinator)

    response = client.get(reverse("admin:brokerage_subscriber_changelist"), {"state": "paused"})

    assert [s.email for s in response.context["cl"].result_list] == ["paused@example.org"]


def test_admin_resume_action_unpauses(client, coordinator):
    paused = subscriber("paused@example.org", paused_at=timezone.now(), consecutive_failures=3)
    client.force_login(coordinator)

    client.post(reverse("admin:brokerage_subscriber_changelist"),
                {"action": "resume", "_selected_action": [paused.pk]})

    paused.refresh_from_db()
    assert (paused.paused_at, paused.consecutive_failures) == (None, 0)
