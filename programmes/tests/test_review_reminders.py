"""Review reminders: each worker is emailed their stale offers once per offer per period."""

import datetime as dt
import smtplib
import threading

import pytest
from django.db import connection
from django.utils import timezone

from programmes.choices import OfferStatus, OutboxStatus, ReminderStatus
from programmes.models import OfferReviewReminder, OutboxEmail
from programmes.outbox import outbox_drain
from programmes.tasks import review_reminders_weekly, send_review_reminder
from programmes.workspace.reminders import reminder_period_start, review_reminder_send, review_reminders_plan
from tests_support import factories

TODAY = dt.date(2027, 3, 10)
STALE = dt.date(2026, 9, 1)  # more than 5 months before TODAY
FRESH = dt.date(2027, 1, 5)


@pytest.fixture
def keeper(db):
    programme = factories.ProgrammeFactory(plain_name="Skills for Life improvement")
    worker = factories.RegionalWorkerFactory(
        programmes=[programme], user__email="keeper@example.org", user__email_language="en-gb"
    )
    return programme, worker


def stale_offer(programme, contact, **kwargs):
    return factories.OfferFactory(programme=programme, contact=contact, last_reviewed_on=STALE, **kwargs)


def run_week(django_capture_on_commit_callbacks, day=TODAY):
    with django_capture_on_commit_callbacks(execute=True):
        review_reminders_weekly.apply(kwargs={"today": day.isoformat()}).get()


@pytest.mark.django_db(transaction=False)
def test_review_reminders_sends_once_not_twice(keeper, mailoutbox, django_capture_on_commit_callbacks):
    programme, worker = keeper
    stale_offer(programme, worker, title="Stale coaching")
    factories.OfferFactory(programme=programme, contact=worker, last_reviewed_on=FRESH, title="Fresh course")

    run_week(django_capture_on_commit_callbacks)
    run_week(django_capture_on_commit_callbacks, TODAY + dt.timedelta(days=7))

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["keeper@example.org"]
    assert message.subject.startswith("1 offer to check")
    assert "Stale coaching" in message.body and "Fresh course" not in message.body
    assert "Stale coaching" in message.alternatives[0][0]


@pytest.mark.django_db
def test_review_reminders_sends_again_in_the_next_period(keeper, mailoutbox, django_capture_on_commit_callbacks):
    programme, worker = keeper
    stale_offer(programme, worker)
    next_period = reminder_period_start(TODAY) + dt.timedelta(days=28)

    run_week(django_capture_on_commit_callbacks)
    run_week(django_capture_on_commit_callbacks, next_period)

    assert len(mailoutbox) == 2
    assert OfferReviewReminder.objects.filter(status=ReminderStatus.SENT).count() == 2


@pytest.mark.django_db
def test_review_reminders_one_email_per_worker_listing_all_stale_offers(
    keeper, mailoutbox, django_capture_on_commit_callbacks
):
    programme, worker = keeper
    stale_offer(programme, worker, title="First stale")
    stale_offer(programme, worker, title="Second stale", status=OfferStatus.DRAFT)
    stale_offer(programme, worker, title="Retired stale", status=OfferStatus.ARCHIVED)

    run_week(django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "First stale" in body and "Second stale" in body and "Retired stale" not in body


@pytest.mark.django_db
def test_review_reminders_without_contact_go_to_every_programme_worker(
    keeper, mailoutbox, django_capture_on_commit_callbacks
):
    programme, worker = keeper
    colleague = factories.RegionalWorkerFactory(programmes=[programme], user__email="colleague@example.org")
    factories.RegionalWorkerFactory(user__email="outsider@example.org")
    stale_offer(programme, None)

    run_week(django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mailoutbox) == ["colleague@example.org", "keeper@example.org"]
    assert colleague.review_reminders.count() == 1


@pytest.mark.django_db
def test_review_reminder_send_twice_for_same_worker_sends_once(keeper, mailoutbox, django_capture_on_commit_callbacks):
    programme, worker = keeper
    stale_offer(programme, worker)
    review_reminders_plan(today=TODAY)
    period = reminder_period_start(TODAY).isoformat()

    with django_capture_on_commit_callbacks(execute=True):
        first = send_review_reminder.apply(kwargs={"worker_id": worker.pk, "period_start": period}).get()
        second = send_review_reminder.apply(kwargs={"worker_id": worker.pk, "period_start": period}).get()

    assert (first, second, len(mailoutbox)) == (1, 0, 1)


@pytest.mark.django_db
def test_review_reminder_smtp_failure_is_retried_by_the_outbox_and_sent_once(
    keeper, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    programme, worker = keeper
    stale_offer(programme, worker)
    review_reminders_plan(today=TODAY)
    period = reminder_period_start(TODAY)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection lost")

    with monkeypatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        patch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
        review_reminder_send(worker_id=worker.pk, period_start=period)
    row = OfferReviewReminder.objects.get()
    email = OutboxEmail.objects.get(kind="offer_review_reminder")
    state_after_failure = (row.status, email.status, email.attempts, email.last_error)
    review_reminder_send(worker_id=worker.pk, period_start=period)  # a second run writes nothing
    outbox_drain(now=timezone.now() + dt.timedelta(minutes=1))

    assert state_after_failure == (ReminderStatus.SENT, OutboxStatus.PENDING, 1, "SMTPServerDisconnected: connection lost")
    assert [m.to for m in mailoutbox] == [["keeper@example.org"]]


@pytest.mark.django_db
def test_review_reminders_plan_twice_writes_one_row_per_offer_and_period(keeper):
    programme, worker = keeper
    stale_offer(programme, worker)

    review_reminders_plan(today=TODAY)
    review_reminders_plan(today=TODAY + dt.timedelta(days=7))

    assert OfferReviewReminder.objects.count() == 1


def test_beat_schedule_runs_the_weekly_task(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["offer-review-reminders"]
    assert entry["task"] == review_reminders_weekly.name


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_review_reminder_concurrent_senders_send_once(keeper, mailoutbox):
    programme, worker = keeper
    for n in range(5):
        stale_offer(programme, worker, title=f"Stale {n}")
    review_reminders_plan(today=TODAY)
    period = reminder_period_start(TODAY)
    barrier = threading.Barrier(6)
    results, errors = [], []

    def sender():
        try:
            barrier.wait()
            results.append(review_reminder_send(worker_id=worker.pk, period_start=period))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(results) == [0, 0, 0, 0, 0, 5]
    assert len(mailoutbox) == 1
