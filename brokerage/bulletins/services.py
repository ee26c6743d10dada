"""Writes for the joint bulletin: subscriptions, composition and sending.

Sending keeps one invariant: a bulletin reaches each confirmed subscriber
exactly once. Every (bulletin, subscriber) pair has one Delivery row (a
unique constraint); a sender claims rows with a compare-and-set UPDATE
(pending -> sending, under SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL)
and commits before it talks SMTP, then marks each row sent the moment the
server accepted the message. A duplicated or redelivered task finds nothing
left to claim. A claim is a lease: a thread beside the sender renews the
rows' claimed_at while the batch runs, so a worker killed mid-batch leaves
rows "sending" whose lease lapses, and the reaper (on a short beat) puts them
back to pending (their attempt stays counted) and queues them again. At most
the one message in flight at the instant of the kill can go out twice.
"""

import datetime as dt
import logging
import smtplib
import threading
import uuid

from django.conf import settings
from django.core import signing
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import DatabaseError, connections, transaction
from django.db import connection as db_connection
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from people.services import email_language_for
from programmes.claims import failure_outcome, retry_delay, rows_claim
from programmes.emails import RenderedEmail
from programmes.models import Region, Theme
from programmes.outbox import email_queue

from ..choices import BulletinItemKind, BulletinStatus, DeliveryStatus
from ..models import Bulletin, BulletinItem, Delivery, Subscriber, new_token
from . import selectors
from .content import absolute, bulletin_renderer, renderer_for, unsubscribe_path
from .emails import bulletin_headers, bulletin_message, confirmation_queue, from_address

logger = logging.getLogger(__name__)

CONFIRM_SALT = "brokerage.bulletins.confirm"
CONFIRM_MAX_AGE = dt.timedelta(days=7)
CONFIRMATION_INTERVAL = dt.timedelta(minutes=5)
MAX_ATTEMPTS = getattr(settings, "BULLETIN_MAX_ATTEMPTS", 4)
RETRY_BACKOFF_SECONDS = getattr(settings, "BULLETIN_RETRY_BACKOFF_SECONDS", 30)
FAILURES_BEFORE_PAUSE = 3


# Batch size and lease times are read per call (settings.py documents them).
def _lease():
    return dt.timedelta(seconds=settings.BULLETIN_LEASE_SECONDS)


def _redispatch_after():
    return dt.timedelta(seconds=settings.BULLETIN_REDISPATCH_SECONDS)


class BulletinError(Exception):
    """An expected problem, with a message for the coordinator."""


# --- Subscribing -------------------------------------------------------------


def subscription_request(*, email, name, organisation="", themes=(), regions=(), language="", user=None):
    """Start a double opt-in: nothing is sent to the address until the signed link is followed.

    A new address gets an unconfirmed row; for an existing one the requested
    choices (language included) travel inside the signed link and apply only
    on confirmation, so a stranger cannot change someone else's preferences,
    and the confirmation email goes in the language the address already has.
    Returns the link.
    """
    email = email.strip()
    subscriber = Subscriber.objects.filter(email__iexact=email).first()
    if subscriber is None:
        subscriber = Subscriber.objects.create(
            email=email, name=name, organisation=organisation, user=user, language=language
        )
        subscriber.themes.set(themes)
        subscriber.regions.set(regions)
    payload = {
        "id": subscriber.pk,
        "email": subscriber.email,
        "name": name,
        "org": organisation,
        "themes": sorted(t.pk for t in themes),
        "regions": sorted(r.pk for r in regions),
        "language": language,
    }
    confirm_url = absolute(
        reverse("bulletins:confirm", args=[signing.dumps(payload, salt=CONFIRM_SALT, compress=True)])
    )
    # Compare-and-set: only one request per address per interval mails a link.
    now = timezone.now()
    may_send = Subscriber.objects.filter(pk=subscriber.pk).filter(
        Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lte=now - CONFIRMATION_INTERVAL)
    ).update(confirmation_sent_at=now)
    if may_send:
        confirmation_queue(email=subscriber.email, confirm_url=confirm_url, language=email_language_for(subscriber))
    return confirm_url


def confirmation_payload(token):
    """The signed payload of a confirmation link; raises signing.BadSignature if tampered or expired."""
    return signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)


def subscription_confirm(*, token):
    """Confirm from a signed link: apply the choices it carries and start sending."""
    payload = confirmation_payload(token)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=payload["id"], email=payload["email"]).first()
        if subscriber is None:
            raise signing.BadSignature("The subscription no longer exists.")
        now = timezone.now()
        subscriber.name = payload["name"] or subscriber.name
        subscriber.organisation = payload["org"]
        subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.unsubscribed_at = None
        subscriber.paused_at = None
        subscriber.consecutive_failures = 0
        # Links mailed before the language question existed carry none: keep the one recorded.
        subscriber.language = payload.get("language", subscriber.language)
        subscriber.save()
        subscriber.themes.set(Theme.objects.filter(pk__in=payload["themes"]))
        subscriber.regions.set(Region.objects.filter(pk__in=payload["regions"]))
    return subscriber


def unsubscribe(*, token):
    """Stop all bulletins to this address at once. Returns the subscriber, or None for an unknown token."""
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is None:
        return None
    Subscriber.objects.filter(pk=subscriber.pk, unsubscribed_at__isnull=True).update(unsubscribed_at=timezone.now())
    subscriber.refresh_from_db()
    return subscriber


def subscriber_tokens_rotate(*, subscribers):
    """Give each subscriber a new unsubscribe link; the old links (in forwarded or leaked bulletins) stop working."""
    with transaction.atomic():
        for subscriber in subscribers:
            subscriber.token = new_token()
            subscriber.save(update_fields=["token"])
    return len(subscribers)


def preferences_update(*, subscriber, themes, regions, language=None):
    """A signed-in provider contact changes what their (confirmed) subscription covers, and its language."""
    with transaction.atomic():
        if language is not None:
            subscriber.language = language
            subscriber.save(update_fields=["language"])
        subscriber.themes.set(themes)
        subscriber.regions.set(regions)


# --- Composing ---------------------------------------------------------------


def bulletin_compose_draft(*, bulletin):
    """Fill the bulletin with the period's offers and events.

    Redoing it keeps pinned and dropped items as the coordinator left them,
    adds new candidates and removes unpinned items that no longer qualify.
    """
    if not bulletin.is_editable:
        raise BulletinError("This bulletin has been sent; its content can no longer change.")
    offers = list(
        selectors.bulletin_candidate_offers(period_start=bulletin.period_start, period_end=bulletin.period_end)
        .values_list("pk", flat=True)
    )
    events = list(
        selectors.bulletin_candidate_events(period_start=bulletin.period_start, period_end=bulletin.period_end)
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        items = BulletinItem.objects.filter(bulletin=bulletin)
        items.filter(pinned=False, dropped=False).exclude(Q(offer_id__in=offers) | Q(event_id__in=events)).delete()
        have_offers = set(items.filter(offer__isnull=False).values_list("offer_id", flat=True))
        have_events = set(items.filter(event__isnull=False).values_list("event_id", flat=True))
        BulletinItem.objects.bulk_create(
            [
                BulletinItem(bulletin=bulletin, kind=BulletinItemKind.OFFER, offer_id=pk, position=n)
                for n, pk in enumerate(offers)
                if pk not in have_offers
            ]
            + [
                BulletinItem(bulletin=bulletin, kind=BulletinItemKind.EVENT, event_id=pk, position=n)
                for n, pk in enumerate(events)
                if pk not in have_events
            ],
            ignore_conflicts=True,
        )
    return {"offers": len(offers), "events": len(events)}


def bulletin_schedule(*, bulletin, when):
    if not bulletin.is_editable:
        raise BulletinError("This bulletin is already being sent.")
    if when <= timezone.now():
        raise BulletinError("Choose a time in the future, or send it now.")
    if not BulletinItem.objects.filter(bulletin=bulletin, dropped=False).exists():
        raise BulletinError("The bulletin has no content yet: draft it from its period first.")
    updated = Bulletin.objects.filter(
        pk=bulletin.pk, status__in=[BulletinStatus.DRAFT, BulletinStatus.SCHEDULED]
    ).update(status=BulletinStatus.SCHEDULED, scheduled_for=when)
    if not updated:
        raise BulletinError("This bulletin is already being sent.")


def bulletin_unschedule(*, bulletin):
    Bulletin.objects.filter(pk=bulletin.pk, status=BulletinStatus.SCHEDULED).update(
        status=BulletinStatus.DRAFT, scheduled_for=None
    )


def bulletin_send_now(*, bulletin):
    """Queue the fan-out after this transaction commits."""
    if not bulletin.is_editable:
        raise BulletinError("This bulletin is already being sent.")
    if not BulletinItem.objects.filter(bulletin=bulletin, dropped=False).exists():
        raise BulletinError("The bulletin has no content yet: draft it from its period first.")
    from .tasks import bulletin_send_task

    transaction.on_commit(lambda: bulletin_send_task.delay(bulletin.pk))


def bulletin_send_test(*, bulletin, to, name, language, subscriber=None):
    """Queue the bulletin to one address (a coordinator's test), marked as a test, in the outbox.

    The subscriber only chooses the content; `language` is the one the copy is
    written in (email_language_for the subscriber, or for the coordinator).
    The copy carries no real unsubscribe link (token None): a test copy is often
    forwarded for review, and its link must not stop anyone's bulletin.
    """
    renderer = bulletin_renderer(bulletin, language)
    rendered = renderer.render_for(
        name=name,
        token=None,
        theme_ids=frozenset(subscriber.themes.values_list("pk", flat=True)) if subscriber else frozenset(),
        region_ids=frozenset(subscriber.regions.values_list("pk", flat=True)) if subscriber else frozenset(),
    )
    if rendered is None:
        raise BulletinError("Nothing in this bulletin matches that subscriber's themes and regions.")
    subject, text, html = rendered
    return email_queue(
        kind="bulletin_test", to=[to], rendered=RenderedEmail(f"[Test] {subject}", text, html, language=language),
        headers=bulletin_headers(None),
    )


def bulletins_send_due(*, now=None):
    """Start every scheduled bulletin whose time has come (the beat task)."""
    now = now or timezone.now()
    due = list(
        Bulletin.objects.filter(status=BulletinStatus.SCHEDULED, scheduled_for__lte=now).values_list("pk", flat=True)
    )
    for pk in due:
        bulletin_fan_out(bulletin_id=pk)
    return due


def bulletin_fan_out(*, bulletin_id):
    """Create one pending delivery per active subscriber and queue the batches.

    Idempotent: running it again creates no second delivery (unique
    constraint) and queues only rows still pending, which the batches claim
    at most once.
    """
    now = timezone.now()
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin_id)
        if bulletin.status == BulletinStatus.SENT:
            return 0
        if bulletin.status != BulletinStatus.SENDING:
            bulletin.status = BulletinStatus.SENDING
            bulletin.sent_at = now
            bulletin.save(update_fields=["status", "sent_at"])
            subscriber_ids = selectors.active_subscribers().values_list("pk", flat=True)
            Delivery.objects.bulk_create(
                [Delivery(bulletin_id=bulletin_id, subscriber_id=pk) for pk in subscriber_ids.iterator()],
                batch_size=1000,
                ignore_conflicts=True,
            )
    pending = Delivery.objects.filter(bulletin_id=bulletin_id, status=DeliveryStatus.PENDING)
    return _dispatch(bulletin_id, list(pending.order_by("pk").values_list("pk", flat=True)))


def _dispatch(bulletin_id, ids):
    """Queue one batch task per BULLETIN_BATCH_SIZE ids after commit; finish the bulletin if there are none."""
    from .tasks import bulletin_send_batch_task

    size = settings.BULLETIN_BATCH_SIZE
    chunks = [ids[n : n + size] for n in range(0, len(ids), size)]
    for chunk in chunks:
        transaction.on_commit(lambda chunk=chunk: bulletin_send_batch_task.delay(bulletin_id, chunk))
    if not chunks:
        bulletin_finish_if_done(bulletin_id=bulletin_id)
    return len(chunks)


def deliveries_claim(*, delivery_ids, token):
    """Claim pending rows for this sender: pending -> sending, attempts + 1, committed before any SMTP."""
    rows_claim(Delivery.objects.filter(pk__in=delivery_ids), token=token, skip_locked=True)
    return list(
        Delivery.objects.filter(claim_token=token, status=DeliveryStatus.SENDING).select_related("subscriber")
    )


def deliveries_renew_lease(*, token, now=None):
    """Renew the lease on the rows this sender still holds; returns how many it holds."""
    return Delivery.objects.filter(claim_token=token, status=DeliveryStatus.SENDING).update(
        claimed_at=now or timezone.now()
    )


class LeaseKeeper:
    """Renews a batch's lease from a thread of its own while the batch runs.

    A thread rather than a renewal between messages: one SMTP exchange may
    block for several EMAIL_TIMEOUTs, longer than the lease, while the worker
    is alive and well. When the process dies the thread dies with it and the
    lease lapses. If a renewal finds none of the rows still held (the reaper
    took them back), `lost` tells the sender to stop rather than send a row
    that another sender may now hold.
    """

    def __init__(self, token, every):
        self.token = token
        self.every = every
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"bulletin-lease-{token}", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self):
        try:
            while not self._stop.wait(self.every):
                try:
                    held = deliveries_renew_lease(token=self.token)
                except DatabaseError as exc:
                    # Try again next time; the lease is three renewals long.
                    logger.warning("Could not renew the lease of batch %s: %s", self.token, exc)
                    continue
                if not held and not self._stop.is_set():
                    self.lost = True
        finally:
            connections.close_all()  # this thread's own connections only


def _finish_row(delivery, token, **fields):
    # Only the sender holding the claim may finish the row.
    return Delivery.objects.filter(pk=delivery.pk, claim_token=token, status=DeliveryStatus.SENDING).update(**fields)


def _subscriber_choices(subscriber_ids):
    """{subscriber id: theme ids} and {subscriber id: region ids}, in two queries."""
    themes, regions = {}, {}
    for sid, tid in Subscriber.themes.through.objects.filter(subscriber_id__in=subscriber_ids).values_list(
        "subscriber_id", "theme_id"
    ):
        themes.setdefault(sid, set()).add(tid)
    for sid, rid in Subscriber.regions.through.objects.filter(subscriber_id__in=subscriber_ids).values_list(
        "subscriber_id", "region_id"
    ):
        regions.setdefault(sid, set()).add(rid)
    return themes, regions


def subscribers_record_outcomes(*, delivered, failed_permanently):
    """A delivery resets the failure count; a permanent failure adds one, and the third running pauses."""
    if delivered:
        Subscriber.objects.filter(pk__in=delivered, consecutive_failures__gt=0).update(consecutive_failures=0)
    if failed_permanently:
        Subscriber.objects.filter(pk__in=failed_permanently).update(consecutive_failures=F("consecutive_failures") + 1)
        Subscriber.objects.filter(
            pk__in=failed_permanently, consecutive_failures__gte=FAILURES_BEFORE_PAUSE, paused_at__isnull=True
        ).update(paused_at=timezone.now())


def _relaxed_commits(on):
    """Don't wait for the WAL flush on each row's "sent" mark (PostgreSQL).

    A worker dying cannot lose a committed mark (the server has it); only a
    crash of the database server itself could lose the last fraction of a
    second of marks, whose messages would then be sent again. That trade
    removes one disk flush per message from the send rate.
    """
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off" if on else "RESET synchronous_commit")


def bulletin_send_batch(*, bulletin_id, delivery_ids):
    """Send one batch over one SMTP connection. Returns (ids to retry, countdown in seconds)."""
    token = uuid.uuid4()
    claimed = deliveries_claim(delivery_ids=delivery_ids, token=token)
    if not claimed:
        bulletin_finish_if_done(bulletin_id=bulletin_id)
        return [], 0
    bulletin = Bulletin.objects.get(pk=bulletin_id)
    themes, regions = _subscriber_choices([d.subscriber_id for d in claimed])

    connection = get_connection()
    # With a real SMTP backend, send prepared bytes over its smtplib connection
    # (see PreparedMessage); other backends (console, files, tests) get messages.
    fast_path = isinstance(connection, SmtpBackend)
    sender = from_address()
    is_open = False
    retry, delivered, failed_permanently = [], [], []
    _relaxed_commits(True)
    try:
        with LeaseKeeper(token, every=settings.BULLETIN_LEASE_SECONDS / 3) as keeper:
            for delivery in claimed:
                if keeper.lost:
                    logger.warning("Bulletin %s: batch %s lost its lease; stopping.", bulletin_id, token)
                    break
                subscriber = delivery.subscriber
                if not subscriber.is_active:
                    _finish_row(delivery, token, status=DeliveryStatus.SKIPPED, last_error="Unsubscribed or paused before sending.")
                    continue
                choices = {
                    "theme_ids": frozenset(themes.get(subscriber.pk, ())),
                    "region_ids": frozenset(regions.get(subscriber.pk, ())),
                }
                # Each reader in their language (both, Welsh first, when not known).
                renderer = renderer_for(bulletin, email_language_for(subscriber))
                prepared = renderer.prepared_for(**choices) if fast_path and subscriber.email.isascii() else None
                if prepared is False:
                    _finish_row(delivery, token, status=DeliveryStatus.SKIPPED, last_error="Nothing matched their interests.")
                    continue
                if prepared is None:
                    rendered = renderer.render_for(name=subscriber.name, token=subscriber.token, **choices)
                    if rendered is None:
                        _finish_row(
                            delivery, token, status=DeliveryStatus.SKIPPED, last_error="Nothing matched their interests."
                        )
                        continue
                    subject, text, html = rendered
                    message = bulletin_message(
                        subject=subject, text=text, html=html, to=subscriber.email, token=subscriber.token,
                        connection=connection,
                    )
                try:
                    if not is_open:
                        connection.open()
                        is_open = True
                    # SMTP runs outside any database transaction: the claim is
                    # committed, so a slow server holds no locks.
                    if prepared is None:
                        connection.send_messages([message])
                    else:
                        data = prepared.personalise(
                            to=subscriber.email, name=subscriber.name,
                            unsubscribe_path=unsubscribe_path(subscriber.token),
                        )
                        connection.connection.sendmail(sender, [subscriber.email], data)
                except (smtplib.SMTPException, OSError) as exc:
                    failure = failure_outcome(exc, attempts=delivery.attempts, max_attempts=MAX_ATTEMPTS)
                    reason = failure.reason
                    if failure.status == DeliveryStatus.PENDING:
                        _finish_row(delivery, token, status=DeliveryStatus.PENDING, last_error=reason, claim_token=None)
                        retry.append(delivery)
                    else:
                        _finish_row(
                            delivery, token, status=DeliveryStatus.FAILED, last_error=reason,
                            permanent_failure=failure.permanent,
                        )
                        if failure.permanent:
                            failed_permanently.append(subscriber.pk)
                    if not isinstance(exc, (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException)):
                        # The connection itself broke: open a fresh one for the next message.
                        connection.close()
                        is_open = False
                    logger.warning("Bulletin %s to subscriber %s failed: %s", bulletin_id, subscriber.pk, reason)
                else:
                    _finish_row(delivery, token, status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error="")
                    delivered.append(subscriber.pk)
    finally:
        connection.close()
        _relaxed_commits(False)

    subscribers_record_outcomes(delivered=delivered, failed_permanently=failed_permanently)
    bulletin_finish_if_done(bulletin_id=bulletin_id)
    if not retry:
        return [], 0
    attempts = max(d.attempts for d in retry)
    return [d.pk for d in retry], int(retry_delay(attempts, base_seconds=RETRY_BACKOFF_SECONDS).total_seconds())


def bulletin_finish_if_done(*, bulletin_id):
    """Mark the bulletin sent once no delivery is pending or in flight."""
    remaining = Delivery.objects.filter(
        bulletin_id=bulletin_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]
    )
    if not remaining.exists():
        Bulletin.objects.filter(pk=bulletin_id, status=BulletinStatus.SENDING).update(
            status=BulletinStatus.SENT, finished_at=timezone.now()
        )


def bulletin_is_progressing(*, bulletin_id, since):
    """Has a sender of this bulletin held a live lease or sent a message since then?"""
    return Delivery.objects.filter(bulletin_id=bulletin_id).filter(
        Q(status=DeliveryStatus.SENDING, claimed_at__gt=since) | Q(sent_at__gt=since)
    ).exists()


def deliveries_reap(*, now=None, lease=None, redispatch_after=None):
    """Hand back rows whose sender died, and queue again rows whose task was lost.

    - A "sending" row whose lease (claimed_at, renewed by its sender) is
      older than the lease time: the sender died. It goes back to pending,
      its attempt counted (a second send shows as attempts=2), and is queued.
    - A pending row of a bulletin with no progress for the lease time, last
      handed out longer than redispatch_after ago: its task was lost (a
      process died between commit and publish, or held its retry). It is
      queued again.
    Both are stamped as handed out now, so rows waiting for a worker are
    queued again once per redispatch_after, not on every run.
    """
    now = now or timezone.now()
    lapsed = now - (_lease() if lease is None else lease)
    lost_before = now - (_redispatch_after() if redispatch_after is None else redispatch_after)
    with transaction.atomic():
        stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lte=lapsed)
        gave_up = stuck.filter(attempts__gte=MAX_ATTEMPTS).update(
            status=DeliveryStatus.FAILED,
            claim_token=None,
            last_error=f"Gave up: the sender stopped mid-send {MAX_ATTEMPTS} times.",
        )
        requeued_ids = list(stuck.values_list("pk", flat=True))
        # Rechecked: a lease renewed since the list was read stays with its sender.
        requeued = stuck.filter(pk__in=requeued_ids).update(
            status=DeliveryStatus.PENDING, claim_token=None, claimed_at=now,
            last_error="Requeued: the sender stopped mid-send.",
        )
    dispatched = 0
    for bulletin_id in Bulletin.objects.filter(status=BulletinStatus.SENDING).values_list("pk", flat=True):
        pending = Delivery.objects.filter(bulletin_id=bulletin_id, status=DeliveryStatus.PENDING)
        ids = set(pending.filter(pk__in=requeued_ids).values_list("pk", flat=True))
        if not bulletin_is_progressing(bulletin_id=bulletin_id, since=lapsed):
            lost = pending.filter(
                Q(claimed_at__lte=lost_before) | Q(claimed_at__isnull=True, bulletin__sent_at__lte=lost_before)
            )
            lost_ids = list(lost.values_list("pk", flat=True))
            pending.filter(pk__in=lost_ids).update(claimed_at=now)
            ids.update(lost_ids)
        dispatched += _dispatch(bulletin_id, sorted(ids))
    return {"requeued": requeued, "gave_up": gave_up, "batches": dispatched}
