"""The outbox: every email is written in the caller's transaction and sent after it.

`email_queue` renders the message (programmes/emails.py) and stores it as an
`OutboxEmail` row inside the caller's transaction, then asks for a Celery task
once that transaction commits: a rolled-back change sends nothing. If the
broker is unreachable at that moment the change is unaffected: the row stays
pending and the periodic `outbox_drain` task sends it when Celery runs again.
`outbox_deliver` claims one row (programmes/claims.py), so a task delivered
twice sends nothing twice; a temporary SMTP failure puts the row back with a
back-off, a permanent one (or the last attempt) marks it failed.

It lives in `programmes`, the lowest app, so that programmes (review
reminders), providers (confirmations, join requests), events (bookings) and
brokerage (enquiries, digests, bulletin sign-ups) all write to the same table.

Bulletins are the one exception: they keep their own per-subscriber
`Delivery` rows for speed, with the same claim helper and failure judgement.
"""

import logging
import smtplib
import uuid
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .choices import OutboxStatus
from .claims import claims_release_lapsed, failure_outcome, retry_delay, rows_claim
from .emails import RenderedEmail, email_message, render_email
from .models import OutboxEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 60  # then 2, 4 and 8 minutes
# A row claimed longer ago than this belonged to a worker that died mid-send.
STUCK_AFTER = timezone.timedelta(minutes=15)


def email_queue(*, kind, to, template=None, context=None, rendered=None, headers=None, key=None, language=None,
                attachments=(), reply_to=(), may_exist=False, secret=False):
    """Render templates/emails/<template>* and store it to send once the current transaction commits.

    `key` is unique: a second row with the same key is refused, which is how
    reminders and invitations go out exactly once. With may_exist=True that
    refusal returns None (inside a savepoint, so the caller's transaction goes
    on); otherwise it raises IntegrityError. Without a key the row gets a
    fresh one. `attachments` holds at most one (filename, mimetype, text).
    `rendered` (a RenderedEmail) stands in for template and context when the
    caller renders its own way (a bulletin's test copy); `headers` go on the message.
    `language` is the recipient's, from people.services.email_language_for
    ("" when not known: both languages, Welsh first); it must be given.
    `secret=True` (a sign-in or confirmation link) deletes the row once it is
    sent or has failed, so nobody reading the outbox later can use the link.
    Returns the row, or None when there is nobody to send it to.
    """
    to = [address for address in to if address]
    if not to:
        logger.info("outbox: %s has no recipient address; nothing written", kind)
        return None
    if rendered is None and language is None:
        raise ValueError("Say which language the email goes in: people.services.email_language_for(...).")
    if len(attachments) > 1:
        raise ValueError("An outbox email carries at most one attachment.")
    email = rendered if rendered is not None else render_email(template, context, language=language,
                                                              attachments=attachments)
    name, mimetype, content = email.attachments[0] if email.attachments else ("", "", "")
    fields = dict(
        key=key or f"{kind}:{uuid.uuid4().hex}", kind=kind, to=to, reply_to=list(reply_to), headers=dict(headers or {}), language=email.language,
        subject=email.subject, body=email.text, html=email.html,
        attachment_name=name, attachment_type=mimetype, attachment=content, forget_after_send=secret,
    )
    if may_exist:
        try:
            with transaction.atomic():
                row = OutboxEmail.objects.create(**fields)
        except IntegrityError:
            logger.info("outbox: %s already written, not again", fields["key"])
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


def outbox_deliver(pk):
    """Send one pending row; returns True if this call sent it."""
    if not rows_claim(OutboxEmail.objects.filter(pk=pk)):
        return False  # sent, failed, or another sender holds it
    row = OutboxEmail.objects.get(pk=pk)
    attachments = [(row.attachment_name, row.attachment_type, row.attachment)] if row.attachment else []
    message = email_message(
        RenderedEmail(row.subject, row.body, row.html, tuple(attachments)), to=row.to, reply_to=row.reply_to,
        headers=row.headers or None,
    )
    # SMTP runs here in autocommit, outside any transaction: the claim is
    # already committed, so a slow mail server holds no database locks.
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        failure = failure_outcome(error, attempts=row.attempts, max_attempts=MAX_ATTEMPTS)
        retry_at = timezone.now() + retry_delay(row.attempts, base_seconds=RETRY_BASE_SECONDS)
        OutboxEmail.objects.filter(pk=pk).update(
            status=failure.status, last_error=failure.reason,
            next_attempt_at=retry_at if failure.status == OutboxStatus.PENDING else None,
        )
        logger.warning("outbox: sending %s failed (%s): %s", pk, failure.status, failure.reason)
        if failure.status == OutboxStatus.FAILED:
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


def outbox_due(now):
    """Pending rows whose back-off (if any) is over, oldest first."""
    return OutboxEmail.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), status=OutboxStatus.PENDING
    ).order_by("created_at")


def outbox_drain(*, now=None, limit=500):
    """Send what the on-commit task did not: broker outages, failed tries, dead workers."""
    now = now or timezone.now()
    claims_release_lapsed(OutboxEmail.objects.all(), before=now - STUCK_AFTER)
    sent = 0
    for pk in list(outbox_due(now).values_list("pk", flat=True)[:limit]):
        sent += outbox_deliver(pk)
    return sent
