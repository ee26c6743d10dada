"""Weekly review reminders: each worker is emailed the offers nobody has checked
for REVIEW_AFTER_MONTHS months, once per offer per reminder period.

1. `review_reminders_plan` (run by the weekly beat task) writes one
   OfferReviewReminder row per (offer, worker, period). The unique constraint
   and `ignore_conflicts` make a second run, or two overlapping runs, add nothing.
2. `review_reminder_send` claims a worker's pending rows of the period with a
   compare-and-set update (status pending -> sending, stamped with a fresh
   token), commits, then sends ONE email outside any transaction (a slow SMTP
   server must not hold locks), then marks the rows sent. A failed send puts
   the rows back to pending for the retry. Rows stuck in "sending" (a worker
   died mid-send) are put back by the next plan after SENDING_STUCK_AFTER.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from ..choices import ReminderStatus
from ..emails import render_subject
from ..models import OfferReviewReminder, RegionalWorker
from .selectors import REVIEW_AFTER_MONTHS, offers_due_for_review

# Periods are counted in whole blocks of this many days from a fixed Monday, so
# every run in the same block agrees on the period without any stored state.
PERIOD_EPOCH = dt.date(2024, 1, 1)
SENDING_STUCK_AFTER = dt.timedelta(hours=1)


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
    OfferReviewReminder.objects.filter(
        status=ReminderStatus.SENDING, claimed_at__lt=timezone.now() - SENDING_STUCK_AFTER
    ).update(status=ReminderStatus.PENDING, claim_token="")
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


def _claim(worker_id, period):
    token = uuid.uuid4().hex
    with transaction.atomic():
        claimed = OfferReviewReminder.objects.filter(
            worker_id=worker_id, period_start=period, status=ReminderStatus.PENDING
        ).update(
            status=ReminderStatus.SENDING, claim_token=token, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
    return token if claimed else None


def review_reminder_send(*, worker_id, period_start):
    """Send one worker their reminder for the period; returns the number of offers in it."""
    period = dt.date.fromisoformat(period_start) if isinstance(period_start, str) else period_start
    token = _claim(worker_id, period)
    if token is None:
        return 0  # nothing pending, or another sender has it
    reminders = list(
        OfferReviewReminder.objects.filter(claim_token=token, status=ReminderStatus.SENDING)
        .select_related("offer__programme")
        .order_by("offer__last_reviewed_on", "offer__title")
    )
    worker = RegionalWorker.objects.select_related("user").get(pk=worker_id)
    address = worker.user.email or worker.public_email
    if address:
        try:
            _send_email(worker, address, [r.offer for r in reminders])
        except Exception as error:  # noqa: BLE001 - rows go back to pending, then the task retries
            OfferReviewReminder.objects.filter(claim_token=token).update(
                status=ReminderStatus.PENDING, claim_token="", last_error=str(error)[:300]
            )
            raise
    OfferReviewReminder.objects.filter(claim_token=token).update(
        status=ReminderStatus.SENT,
        sent_at=timezone.now(),
        last_error="" if address else "No email address for this worker",
    )
    return len(reminders)


def _send_email(worker, address, offers):
    context = {
        "worker": worker,
        "offers": offers,
        "months": REVIEW_AFTER_MONTHS,
        "workspace_url": f"{settings.SITE_URL}/workspace/",
        "site_url": settings.SITE_URL,
        "SITE_NAME": settings.SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=render_subject("emails/offer_review_reminder_subject.txt", context),
        body=render_to_string("emails/offer_review_reminder.txt", context),
        to=[address],
    )
    message.attach_alternative(render_to_string("emails/offer_review_reminder.html", context), "text/html")
    message.send()
