"""The events outbox: emails written in the booking's transaction, sent after it.

`outbox_add` renders the message and stores it as a row inside the caller's
transaction, then asks for a Celery task once that transaction commits. If the
broker is unreachable at that moment the booking is unaffected: the row stays
pending and the periodic `outbox_drain` task sends it when Celery runs again.
`outbox_deliver` claims one row with a compare-and-set update, so a task that is
delivered twice (acks_late, a redelivery after a crash) sends nothing twice.
"""

import logging
import smtplib
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from programmes.emails import render_subject

from .choices import OutboxStatus
from .models import OutboxEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A row claimed longer ago than this belonged to a worker that died mid-send.
STUCK_AFTER = timezone.timedelta(minutes=15)


def render_email(template, context):
    context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME, **context}
    base = f"emails/events/{template}"
    subject = render_subject(f"{base}_subject.txt", context)
    body = render_to_string(f"{base}.txt", context)
    html = render_to_string(f"{base}.html", context)
    return subject, body, html


def outbox_add(*, key, kind, to, template, context, booking=None, attachment=None, may_exist=False):
    """Store one email to send once the current transaction commits.

    `key` is unique: a second row with the same key is refused, which is how
    reminders and invitations go out exactly once. With may_exist=True that
    refusal returns None (inside a savepoint, so the caller's transaction
    goes on); otherwise it raises IntegrityError.
    `attachment` is (filename, mimetype, text).
    """
    subject, body, html = render_email(template, context)
    name, mimetype, content = attachment or ("", "", "")
    fields = dict(
        key=key, kind=kind, to=list(to), subject=subject, body=body, html=html, booking=booking,
        attachment_name=name, attachment_type=mimetype, attachment=content,
    )
    if may_exist:
        try:
            with transaction.atomic():
                row = OutboxEmail.objects.create(**fields)
        except IntegrityError:
            logger.info("outbox: %s already written, not again", key)
            return None
    else:
        row = OutboxEmail.objects.create(**fields)
    transaction.on_commit(partial(outbox_enqueue, row.pk))
    return row


def outbox_enqueue(pk):
    """Hand one row to Celery; a broker outage leaves it for the drain task."""
    from kombu.exceptions import OperationalError as BrokerError

    from .tasks import outbox_send

    try:
        outbox_send.delay(pk)
    except (BrokerError, ConnectionError, OSError) as error:
        # Expected while the broker is down; nothing is lost (see module docstring).
        logger.warning("outbox: broker unreachable (%s); email %s waits for outbox_drain", error, pk)


def _is_permanent(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and 500 <= code < 600


def outbox_deliver(pk):
    """Send one pending row; returns True if this call sent it."""
    now = timezone.now()
    # Compare-and-set claim: only one caller moves the row out of "pending".
    claimed = OutboxEmail.objects.filter(pk=pk, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    row = OutboxEmail.objects.get(pk=pk)
    message = EmailMultiAlternatives(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, row.to)
    if row.html:
        message.attach_alternative(row.html, "text/html")
    if row.attachment:
        message.attach(row.attachment_name, row.attachment, row.attachment_type)
    # SMTP runs here in autocommit, outside any transaction: the claim above is
    # already committed, so a slow mail server holds no database locks.
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        permanent = _is_permanent(error) or row.attempts >= MAX_ATTEMPTS
        OutboxEmail.objects.filter(pk=pk).update(
            status=OutboxStatus.FAILED if permanent else OutboxStatus.PENDING, last_error=repr(error)[:2000]
        )
        logger.warning("outbox: sending %s failed (%s): %r", pk, "permanent" if permanent else "will retry", error)
        if permanent:
            _forget_if_asked(pk)
        return False
    OutboxEmail.objects.filter(pk=pk).update(status=OutboxStatus.SENT, sent_at=timezone.now())
    _forget_if_asked(pk)
    return True


def _forget_if_asked(pk):
    # After the status update, and reading the flag afresh: an erasure that flags
    # the row meanwhile either waited for that update (and deletes a sent row
    # itself) or committed first, and is seen here.
    OutboxEmail.objects.filter(pk=pk, forget_after_send=True).delete()


def outbox_drain(*, now=None, limit=500):
    """Send what the on-commit task did not: broker outages, failed tries, dead workers."""
    now = now or timezone.now()
    OutboxEmail.objects.filter(status=OutboxStatus.SENDING, claimed_at__lt=now - STUCK_AFTER).update(
        status=OutboxStatus.PENDING
    )
    pending = OutboxEmail.objects.filter(Q(status=OutboxStatus.PENDING)).order_by("created_at")
    sent = 0
    for pk in list(pending.values_list("pk", flat=True)[:limit]):
        sent += outbox_deliver(pk)
    return sent
