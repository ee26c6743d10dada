"""Celery tasks of the programmes app: interfaces to services, taking ids and dates."""

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import outbox
from .workspace.reminders import reminder_period_start, review_reminder_send, review_reminders_plan


@shared_task(name="programmes.review_reminders_weekly")
def review_reminders_weekly(today=None):
    """Weekly (beat): plan this period's reminders and send one email per worker."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    period = reminder_period_start(day).isoformat()
    with transaction.atomic():
        worker_ids = review_reminders_plan(today=day)
        for worker_id in worker_ids:
            transaction.on_commit(
                lambda worker_id=worker_id: send_review_reminder.delay(worker_id=worker_id, period_start=period)
            )
    return len(worker_ids)


@shared_task(name="programmes.send_review_reminder")
def send_review_reminder(*, worker_id, period_start):
    return review_reminder_send(worker_id=worker_id, period_start=period_start)


@shared_task(name="programmes.outbox_send", acks_late=True, ignore_result=True)
def outbox_send(email_id):
    return outbox.outbox_deliver(email_id)


@shared_task(name="programmes.outbox_drain", ignore_result=True)
def outbox_drain():
    """Every minute (beat): send what the broker dropped, what failed for a while, what a dead worker held."""
    return outbox.outbox_drain()
