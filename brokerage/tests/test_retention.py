"""Retention: each rule deletes or anonymises exactly what is past its period, and nothing else."""

import datetime as dt

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from brokerage.models import Enquiry, Subscriber
from brokerage.privacy import retention
from brokerage.privacy.services import ERASED, ERASED_EMAIL
from brokerage.privacy.tasks import retention_apply_task
from programmes.choices import OutboxStatus
from programmes.models import OutboxEmail
from providers.choices import MembershipStatus
from providers.models import EmailConfirmation, Membership
from tests_support import factories

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
MINUTE = dt.timedelta(minutes=1)


def test_enquiries_older_than_the_period_are_anonymised_and_newer_kept(time_machine, settings):
    settings.ENQUIRY_RETENTION_MONTHS = 24
    time_machine.move_to(dt.datetime(2024, 11, 18, 9, 59, tzinfo=dt.UTC), tick=False)
    old = factories.EnquiryFactory(name="Old Asker", email="old@example.org")
    time_machine.shift(2 * MINUTE)  # 10:01, two years before the run
    recent = factories.EnquiryFactory(name="Recent Asker", email="recent@example.org")
    time_machine.move_to(dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC), tick=False)

    count = retention.enquiries_expire(timezone.now())

    assert count == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.name, old.email, old.message, old.offer_id) == (ERASED, ERASED_EMAIL, ERASED, old.offer_id)
    assert (recent.name, recent.email) == ("Recent Asker", "recent@example.org")
    assert retention.enquiries_expire(timezone.now()) == 0  # once only


def test_unconfirmed_subscription_is_deleted_once_its_link_has_expired(time_machine):
    sent_at = timezone.now()
    expired = factories.SubscriberFactory(email="expired@example.org", confirmed_at=None,
                                          confirmation_sent_at=sent_at)
    fresh = factories.SubscriberFactory(email="fresh@example.org", confirmed_at=None,
                                        confirmation_sent_at=sent_at + 2 * MINUTE)
    confirmed = factories.SubscriberFactory(email="confirmed@example.org", confirmed_at=sent_at,
                                            confirmation_sent_at=sent_at)
    time_machine.shift(7 * DAY + MINUTE)  # the first link has just expired, the second has not

    count = retention.unconfirmed_subscriptions_expire(timezone.now())

    assert count == 1
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [confirmed.email, fresh.email]
    assert not Subscriber.objects.filter(pk=expired.pk).exists()


def test_unconfirmed_subscription_whose_link_never_left_counts_from_its_creation(time_machine):
    never_sent = factories.SubscriberFactory(email="never@example.org", confirmed_at=None)
    time_machine.shift(7 * DAY - MINUTE)
    kept = retention.unconfirmed_subscriptions_expire(timezone.now())
    time_machine.shift(2 * MINUTE)

    gone = retention.unconfirmed_subscriptions_expire(timezone.now())

    assert (kept, gone) == (0, 1)
    assert not Subscriber.objects.filter(pk=never_sent.pk).exists()


def outbox_row(key, *, status, sent_at=None):
    return OutboxEmail.objects.create(key=key, kind="booking_confirmation", to=["someone@example.org"],
                                      subject="Your booking", body="Hello", status=status, sent_at=sent_at)


def test_sent_email_copies_are_deleted_after_the_period(settings):
    settings.SENT_EMAIL_RETENTION_DAYS = 90
    now = timezone.now()
    old = outbox_row("old", status=OutboxStatus.SENT, sent_at=now - 90 * DAY - MINUTE)
    recent = outbox_row("recent", status=OutboxStatus.SENT, sent_at=now - 90 * DAY + MINUTE)
    # Not sent: a failure a coordinator may still look into, and one waiting for the broker.
    failed = outbox_row("failed", status=OutboxStatus.FAILED)
    pending = outbox_row("pending", status=OutboxStatus.PENDING)
    OutboxEmail.objects.filter(pk__in=[failed.pk, pending.pk]).update(created_at=now - 200 * DAY)

    count = retention.sent_emails_expire(now)

    assert count == 1
    assert sorted(OutboxEmail.objects.values_list("key", flat=True)) == ["failed", "pending", "recent"]
    assert not OutboxEmail.objects.filter(pk=old.pk).exists()
    assert OutboxEmail.objects.filter(pk=recent.pk).exists()


def test_expired_sessions_are_deleted_and_live_ones_kept(time_machine):
    expiring, lasting = SessionStore(), SessionStore()
    expiring.set_expiry(60)
    lasting.set_expiry(3600)
    for store in (expiring, lasting):
        store["seen"] = True
        store.save()
    time_machine.shift(2 * MINUTE)

    count = retention.sessions_expire(timezone.now())

    assert count == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [lasting.session_key]


def test_sign_in_records_older_than_the_period_are_deleted_and_newer_kept(time_machine, settings):
    settings.SIGN_IN_RECORD_RETENTION_DAYS = 90
    time_machine.move_to(dt.datetime(2026, 8, 20, 9, 59, tzinfo=dt.UTC), tick=False)
    record = {"user_agent": "Firefox", "ip_address": "192.0.2.7", "http_accept": "*/*", "path_info": "/accounts/login/"}
    AccessLog.objects.create(username="old@example.org", **record)
    AccessFailureLog.objects.create(username="old@example.org", **record)
    time_machine.shift(2 * MINUTE)  # 10:01, ninety days before the run
    AccessLog.objects.create(username="recent@example.org", **record)
    time_machine.move_to(dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC), tick=False)

    count = retention.sign_in_records_expire(timezone.now())

    assert count == 2
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["recent@example.org"]
    assert AccessFailureLog.objects.count() == 0


def test_unanswered_join_requests_are_deleted_with_their_history_and_newer_kept(time_machine, settings):
    settings.JOIN_REQUEST_RETENTION_DAYS = 60
    time_machine.move_to(dt.datetime(2026, 9, 19, 9, 59, tzinfo=dt.UTC), tick=False)
    old = factories.MembershipFactory(reason="Old reason, please let me in")
    answered = factories.MembershipFactory(status=MembershipStatus.DECLINED)
    time_machine.shift(2 * MINUTE)  # 10:01, sixty days before the run
    recent = factories.MembershipFactory(reason="Recent reason")
    time_machine.move_to(dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC), tick=False)

    count = retention.join_requests_expire(timezone.now())

    assert count == 1
    assert set(Membership.objects.values_list("pk", flat=True)) == {answered.pk, recent.pk}
    assert not Membership.history.filter(id=old.pk).exists()
    assert Membership.history.filter(id=recent.pk).exists()


def test_accounts_never_confirmed_are_erased_after_the_period(time_machine, settings):
    settings.UNCONFIRMED_ACCOUNT_RETENTION_DAYS = 30
    time_machine.move_to(dt.datetime(2026, 10, 19, 9, 59, tzinfo=dt.UTC), tick=False)
    lapsed = factories.UserFactory(username="lapsed@example.org")
    EmailConfirmation.objects.create(user=lapsed)
    factories.MembershipFactory(user=lapsed)
    confirmed = factories.UserFactory(username="confirmed@example.org")
    EmailConfirmation.objects.create(user=confirmed, confirmed_at=timezone.now())
    time_machine.shift(2 * MINUTE)  # 10:01, thirty days before the run
    recent = factories.UserFactory(username="recent@example.org")
    EmailConfirmation.objects.create(user=recent)
    time_machine.move_to(dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC), tick=False)

    count = retention.unconfirmed_accounts_expire(timezone.now())

    assert count == 1
    User = get_user_model()
    assert sorted(User.objects.values_list("username", flat=True)) == ["confirmed@example.org", "recent@example.org"]
    assert Membership.objects.count() == 0 and Membership.history.count() == 0


def test_retention_task_applies_every_rule(time_machine):
    factories.SubscriberFactory(email="lapsed@example.org", confirmed_at=None)
    factories.EnquiryFactory(email="asker@example.org")
    time_machine.shift(8 * DAY)

    result = retention_apply_task.apply().get()

    assert result == {
        "enquiries": 0, "unconfirmed-subscriptions": 1, "sent-emails": 0, "sessions": 0, "sign-in-records": 0,
        "join-requests": 0, "unconfirmed-accounts": 0,
    }
    assert list(Enquiry.objects.values_list("email", flat=True)) == ["asker@example.org"]


def test_retention_task_is_scheduled_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]

    assert entry["task"] == "privacy.retention_apply"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {41})
