"""Weekly review reminders: each worker is emailed the offers nobody has checked
for REVIEW_AFTER_MONTHS months, once per offer per reminder period.

1. `review_reminders_plan` (run by the weekly beat task) writes one
   OfferReviewReminder row per (offer, worker, period). The unique constraint
   and `ignore_conflicts` make a second run, or two overlapping runs, add nothing.
2. `review_reminder_send` claims a worker's pending rows of the period with a
   compare-and-set update (programmes/claims.py, stamped with a fresh token)
   and, in the same transaction, writes ONE email to the outbox and marks the
   rows sent. The outbox sends it after the commit and retries SMTP failures
   (programmes/outbox.py); "sent" here means handed to the outbox.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from people.services import email_language_for

from ..choices import ReminderStatus
from ..claims import rows_claim
from ..models import OfferReviewReminder, RegionalWorker
from ..outbox import email_queue
from .selectors import REVIEW_AFTER_MONTHS, offers_due_for_review

# Periods are counted in whole blocks of this many days from a fixed Monday, so
# every run in the same block agrees on the period without any stored state.
PERIOD_EPOCH = dt.date(2024, 1, 1)


def reminder_period_days():
    return getattr(settings, "OFFER_REVIEW_REMINDER_PERIOD_DAYS", 28)


def reminder_period_start(today):
    days = reminder_period_days()
    return PERIOD_EPOCH + dt.timedelta(days=((today - PERIOD_EPOCH).days // days) * days)


def reminder_recipients(offer, member_ids):
    """The offer's named contact if they work for its programme, else every worker of the programme."""
    if offer.contact_id and offer.contact_id in member_ids:
        return [offer.contact_id]
    return sorted(member_ids)


def review_reminders_plan(*, today):
    """Write this period's reminder rows; return the ids of workers with something to send."""
    period = reminder_period_start(today)
    rows = []
    offers = offers_due_for_review(today).select_related("programme").prefetch_related("programme__workers")
    for offer in offers:
        member_ids = {w.pk for w in offer.programme.workers.all()}
        for worker_id in reminder_recipients(offer, member_ids):
            rows.append(OfferReviewReminder(offer=offer, worker_id=worker_id, period_start=period))
    OfferReviewReminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return sorted(
        set(
            OfferReviewReminder.objects.filter(period_start=period, status=ReminderStatus.PENDING).values_list(
                "worker_id", flat=True
            )
        )
    )


def review_reminder_send(*, worker_id, period_start):
    """Write one worker's reminder for the period to the outbox; returns the number of offers in it."""
    period = dt.date.fromisoformat(period_start) if isinstance(period_start, str) else period_start
    token = uuid.uuid4().hex
    with transaction.atomic():
        pending = OfferReviewReminder.objects.filter(worker_id=worker_id, period_start=period)
        if not rows_claim(pending, token=token):
            return 0  # nothing pending, or another sender has it
        reminders = list(
            OfferReviewReminder.objects.filter(claim_token=token, status=ReminderStatus.SENDING)
            .select_related("offer__programme")
            .order_by("offer__last_reviewed_on", "offer__title")
        )
        worker = RegionalWorker.objects.select_related("user").get(pk=worker_id)
        address = worker.user.email or worker.public_email
        if address:
            context = {
                "worker": worker,
                "offers": [r.offer for r in reminders],
                "months": REVIEW_AFTER_MONTHS,
            }
            email_queue(
                kind="offer_review_reminder", key=f"review-reminder:{worker_id}:{period.isoformat()}:{token}",
                to=[address], template="offer_review_reminder", context=context,
                language=email_language_for(worker.user),
            )
        OfferReviewReminder.objects.filter(claim_token=token).update(
            status=ReminderStatus.SENT,
            sent_at=timezone.now(),
            last_error="" if address else "No email address for this worker",
        )
    return len(reminders)
