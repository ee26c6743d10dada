"""Personalised sending: exactly once, retries, failures, pauses, the reaper."""

import datetime as dt
import email
import email.policy

import pytest
from django.core import mail
from django.utils import timezone

from brokerage.bulletins import services
from brokerage.bulletins.tasks import bulletin_send_batch_task, bulletin_send_task, bulletins_send_due_task
from brokerage.choices import BulletinStatus, DeliveryStatus
from brokerage.models import Bulletin, Delivery, Subscriber
from tests_support import factories

from .backends import FlakyBackend, outbox_recipients
from .conftest import subscriber

pytestmark = pytest.mark.django_db


def _send(bulletin, capture):
    with capture(execute=True):
        bulletin_send_task.apply(args=[bulletin.pk])


def test_send_personalised_subscriber_sees_only_own_themes_and_regions(
    composed_bulletin, themes, regions, mailoutbox, django_capture_on_commit_callbacks
):
    subscriber("maths-devon@example.org", themes=[themes["maths"]], regions=[regions["devon"]])
    subscriber("digital-gwent@example.org", themes=[themes["digital"]], regions=[regions["gwent"]])
    subscriber("digital-devon@example.org", themes=[themes["digital"]], regions=[regions["devon"]])
    subscriber("everything@example.org")

    _send(composed_bulletin, django_capture_on_commit_callbacks)

    bodies = {m.to[0]: m.body for m in mailoutbox}
    titles = ["Maths mastery in Devon", "Digital skills in Gwent", "National digital toolkit"]

    def seen(address):
        return [t for t in titles if t in bodies[address]]

    assert seen("maths-devon@example.org") == ["Maths mastery in Devon"]
    assert seen("digital-gwent@example.org") == ["Digital skills in Gwent", "National digital toolkit"]
    assert seen("digital-devon@example.org") == ["National digital toolkit"]
    assert seen("everything@example.org") == titles
    html = dict((m.to[0], m.alternatives[0][0]) for m in mailoutbox)["maths-devon@example.org"]
    assert "Maths mastery in Devon" in html and "Digital skills in Gwent" not in html


def test_send_nothing_matching_skipped_or_short_version_as_chosen(
    composed_bulletin, regions, mailoutbox, django_capture_on_commit_callbacks
):
    other = factories.RegionFactory(name="Powys", slug="powys")
    lonely = subscriber("lonely@example.org", themes=[factories.ThemeFactory(name="Governance", slug="gov")], regions=[other])

    _send(composed_bulletin, django_capture_on_commit_callbacks)

    assert mailoutbox == []
    assert Delivery.objects.get(subscriber=lonely).status == DeliveryStatus.SKIPPED

    second = factories.BulletinFactory(send_empty=True)
    services.bulletin_compose_draft(bulletin=second)
    _send(second, django_capture_on_commit_callbacks)

    assert [m.subject for m in mailoutbox] == [f"{second.title}: nothing new for your interests"]


def test_send_subject_is_the_title_as_typed(themes, regions, mailoutbox, django_capture_on_commit_callbacks):
    subscriber("reader@example.org")
    bulletin = factories.BulletinFactory(title="Maths & English: O'Brien's picks", send_empty=True)
    services.bulletin_compose_draft(bulletin=bulletin)

    _send(bulletin, django_capture_on_commit_callbacks)

    assert [m.subject for m in mailoutbox] == ["Maths & English: O'Brien's picks: nothing new for your interests"]


def test_send_only_confirmed_active_subscribers(composed_bulletin, mailoutbox, django_capture_on_commit_callbacks):
    subscriber("confirmed@example.org")
    subscriber("unconfirmed@example.org", confirmed_at=None)
    subscriber("unsubscribed@example.org", unsubscribed_at=timezone.now())
    subscriber("paused@example.org", paused_at=timezone.now())

    _send(composed_bulletin, django_capture_on_commit_callbacks)

    assert outbox_recipients() == ["confirmed@example.org"]


def test_send_task_twice_sends_nothing_twice(composed_bulletin, mailoutbox, django_capture_on_commit_callbacks):
    for n in range(5):
        subscriber(f"s{n}@example.org")

    _send(composed_bulletin, django_capture_on_commit_callbacks)
    _send(composed_bulletin, django_capture_on_commit_callbacks)
    composed_bulletin.refresh_from_db()
    Bulletin.objects.filter(pk=composed_bulletin.pk).update(status=BulletinStatus.SENDING)  # as if still running
    _send(composed_bulletin, django_capture_on_commit_callbacks)

    assert outbox_recipients() == [f"s{n}@example.org" for n in range(5)]
    assert Delivery.objects.filter(bulletin=composed_bulletin).count() == 5
    assert composed_bulletin.status == BulletinStatus.SENT


def test_send_batch_duplicated_task_claims_nothing(composed_bulletin, mailoutbox):
    subs = [subscriber(f"s{n}@example.org") for n in range(3)]
    Bulletin.objects.filter(pk=composed_bulletin.pk).update(status=BulletinStatus.SENDING, sent_at=timezone.now())
    ids = [Delivery.objects.create(bulletin=composed_bulletin, subscriber=s).pk for s in subs]

    bulletin_send_batch_task.apply(args=[composed_bulletin.pk, ids])
    bulletin_send_batch_task.apply(args=[composed_bulletin.pk, ids])

    assert len(mailoutbox) == 3
    assert list(Delivery.objects.values_list("attempts", flat=True)) == [1, 1, 1]


def test_send_row_claimed_by_another_sender_is_not_sent(composed_bulletin, mailoutbox):
    sub = subscriber("s@example.org")
    delivery = Delivery.objects.create(bulletin=composed_bulletin, subscriber=sub)
    assert [d.pk for d in services.deliveries_claim(delivery_ids=[delivery.pk], token="11111111-1111-1111-1111-111111111111")] == [delivery.pk]

    services.bulletin_send_batch(bulletin_id=composed_bulletin.pk, delivery_ids=[delivery.pk])

    assert mailoutbox == []


def test_send_email_has_list_headers_and_both_parts(composed_bulletin, mailoutbox, django_capture_on_commit_callbacks):
    sub = subscriber("s@example.org")

    _send(composed_bulletin, django_capture_on_commit_callbacks)

    parsed = email.message_from_bytes(mailoutbox[0].message().as_bytes(), policy=email.policy.default)
    assert parsed["List-Unsubscribe"].strip() == f"<http://127.0.0.1:8000/bulletins/unsubscribe/{sub.token}/>"
    assert parsed["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    assert parsed["List-Id"].strip().endswith("<bulletin.127.0.0.1>")
    assert sorted(p.get_content_type() for p in parsed.walk() if not p.is_multipart()) == ["text/html", "text/plain"]
    assert f"/bulletins/unsubscribe/{sub.token}/" in mailoutbox[0].body


def test_send_temporary_failure_retries_then_failed_with_reason(
    composed_bulletin, settings, mailoutbox, django_capture_on_commit_callbacks, eager_retries
):
    settings.EMAIL_BACKEND = "brokerage.bulletins.tests.backends.TemporaryFailureBackend"
    sub = subscriber("busy@example.org")

    _send(composed_bulletin, django_capture_on_commit_callbacks)

    delivery = Delivery.objects.get(subscriber=sub)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS
    assert "451" in delivery.last_error and "Gave up after 4 attempts" in delivery.last_error
    assert Subscriber.objects.get(pk=sub.pk).consecutive_failures == 0  # temporary: not counted as a bounce
    composed_bulletin.refresh_from_db()
    assert composed_bulletin.status == BulletinStatus.SENT


def test_send_temporary_failure_then_success_sends_once(
    composed_bulletin, settings, django_capture_on_commit_callbacks, eager_retries
):
    settings.EMAIL_BACKEND = "brokerage.bulletins.tests.backends.FlakyBackend"
    FlakyBackend.seen = set()
    mail.outbox = []
    sub = subscriber("flaky@example.org")

    _send(composed_bulletin, django_capture_on_commit_callbacks)

    delivery = Delivery.objects.get(subscriber=sub)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert outbox_recipients() == ["flaky@example.org"]


def test_send_permanent_failure_three_bulletins_running_pauses(
    composed_bulletin, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "brokerage.bulletins.tests.backends.PermanentFailureBackend"
    gone = subscriber("gone@bounce.example")
    fine = subscriber("fine@example.org")
    bulletins = [composed_bulletin] + [factories.BulletinFactory() for _ in range(2)]
    for b in bulletins[1:]:
        services.bulletin_compose_draft(bulletin=b)

    for n, bulletin in enumerate(bulletins, start=1):
        _send(bulletin, django_capture_on_commit_callbacks)
        gone.refresh_from_db()
        assert gone.consecutive_failures == n

    assert gone.paused_at is not None
    assert Delivery.objects.filter(subscriber=gone, status=DeliveryStatus.FAILED, permanent_failure=True).count() == 3
    assert "550" in Delivery.objects.filter(subscriber=gone).first().last_error
    fine.refresh_from_db()
    assert fine.paused_at is None
    fourth = factories.BulletinFactory()
    services.bulletin_compose_draft(bulletin=fourth)
    _send(fourth, django_capture_on_commit_callbacks)
    assert not Delivery.objects.filter(bulletin=fourth, subscriber=gone).exists()


def test_send_success_resets_failure_count(composed_bulletin, mailoutbox, django_capture_on_commit_callbacks):
    sub = subscriber("back@example.org", consecutive_failures=2)

    _send(composed_bulletin, django_capture_on_commit_callbacks)

    sub.refresh_from_db()
    assert sub.consecutive_failures == 0


def test_reaper_requeues_stuck_rows_counting_the_attempt(composed_bulletin, mailoutbox, django_capture_on_commit_callbacks):
    subs = [subscriber(f"s{n}@example.org") for n in range(2)]
    Bulletin.objects.filter(pk=composed_bulletin.pk).update(status=BulletinStatus.SENDING, sent_at=timezone.now())
    ids = [Delivery.objects.create(bulletin=composed_bulletin, subscriber=s).pk for s in subs]
    services.deliveries_claim(delivery_ids=ids, token="22222222-2222-2222-2222-222222222222")  # then the worker died
    Delivery.objects.update(claimed_at=timezone.now() - dt.timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        result = services.deliveries_reap()

    assert result["requeued"] == 2
    assert outbox_recipients() == ["s0@example.org", "s1@example.org"]
    assert sorted(Delivery.objects.values_list("status", "attempts")) == [("sent", 2), ("sent", 2)]


def test_reaper_leaves_recent_claims_alone(composed_bulletin, mailoutbox, django_capture_on_commit_callbacks):
    sub = subscriber("s@example.org")
    Bulletin.objects.filter(pk=composed_bulletin.pk).update(status=BulletinStatus.SENDING, sent_at=timezone.now())
    delivery = Delivery.objects.create(bulletin=composed_bulletin, subscriber=sub)
    services.deliveries_claim(delivery_ids=[delivery.pk], token="33333333-3333-3333-3333-333333333333")

    with django_capture_on_commit_callbacks(execute=True):
        result = services.deliveries_reap()

    assert result["requeued"] == 0
    assert mailoutbox == []


def test_reaper_gives_up_after_max_attempts(composed_bulletin):
    sub = subscriber("s@example.org")
    Bulletin.objects.filter(pk=composed_bulletin.pk).update(status=BulletinStatus.SENDING, sent_at=timezone.now())
    Delivery.objects.create(
        bulletin=composed_bulletin, subscriber=sub, status=DeliveryStatus.SENDING, attempts=services.MAX_ATTEMPTS,
        claimed_at=timezone.now() - dt.timedelta(hours=2),
    )

    result = services.deliveries_reap()

    assert result["gave_up"] == 1
    assert Delivery.objects.get().status == DeliveryStatus.FAILED


def test_send_due_starts_scheduled_bulletins_only_when_due(
    composed_bulletin, mailoutbox, django_capture_on_commit_callbacks
):
    subscriber("s@example.org")
    services.bulletin_schedule(bulletin=composed_bulletin, when=timezone.now() + dt.timedelta(minutes=5))

    with django_capture_on_commit_callbacks(execute=True):
        bulletins_send_due_task.apply()
    assert mailoutbox == []

    Bulletin.objects.filter(pk=composed_bulletin.pk).update(scheduled_for=timezone.now() - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        bulletins_send_due_task.apply()

    assert outbox_recipients() == ["s@example.org"]
    composed_bulletin.refresh_from_db()
    assert composed_bulletin.status == BulletinStatus.SENT


def test_schedule_in_the_past_refused(composed_bulletin):
    with pytest.raises(services.BulletinError):
        services.bulletin_schedule(bulletin=composed_bulletin, when=timezone.now() - dt.timedelta(minutes=1))
    composed_bulletin.refresh_from_db()
    assert composed_bulletin.status == BulletinStatus.DRAFT


def test_send_over_real_smtp_personalises_prepared_messages(
    composed_bulletin, themes, regions, settings, django_capture_on_commit_callbacks
):
    from .smtp_sink import SmtpSink

    maths = subscriber("maths@example.org", themes=[themes["maths"]], regions=[regions["devon"]], name="Zoë <O'Neil>")
    digital = subscriber("digital@example.org", themes=[themes["digital"]], regions=[regions["gwent"]], name="Dai")
    twin = subscriber("twin@example.org", themes=[themes["digital"]], regions=[regions["gwent"]], name="Twin")
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        _send(composed_bulletin, django_capture_on_commit_callbacks)
        received = {rcpts[0]: message for rcpts, message in sink.handler.parsed()}

    assert sorted(received) == ["digital@example.org", "maths@example.org", "twin@example.org"]
    for sub in (maths, digital, twin):
        message = received[sub.email]
        assert message["To"].strip() == sub.email
        assert message["List-Unsubscribe"].strip() == f"<{settings.SITE_URL}/bulletins/unsubscribe/{sub.token}/>"
        assert message["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
        assert f"/bulletins/unsubscribe/{sub.token}/" in message.get_body(("plain",)).get_content()
    text = received["maths@example.org"].get_body(("plain",)).get_content()
    html = received["maths@example.org"].get_body(("html",)).get_content()
    assert "Dear Zoë <O'Neil>," in text and "Dear Zoë &lt;O&#x27;Neil&gt;," in html
    assert "Maths mastery in Devon" in html and "Digital skills in Gwent" not in html
    assert "Digital skills in Gwent" in received["twin@example.org"].get_body(("plain",)).get_content()
    assert received["digital@example.org"]["Message-ID"] != received["twin@example.org"]["Message-ID"]
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 3
