"""Reads for the joint bulletin."""

import datetime as dt

from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.selectors import public_events
from programmes.models import Theme
from programmes.selectors import published_offers
from programmes.translated_text import shown_order
from providers.permissions import email_confirmed

from ..choices import BulletinItemKind, BulletinStatus, DeliveryStatus
from ..models import Bulletin, Delivery, Subscriber

# An offer nobody has reviewed for this long is not advertised (it may be stale).
REVIEW_MAX_AGE = dt.timedelta(days=183)
# Events "coming" in a bulletin: from the period's start (never in the past)
# to this long after its end, so a bulletin for last month still announces
# the fairs of the next weeks.
EVENT_LOOKAHEAD = dt.timedelta(days=56)


def _local_midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def bulletin_candidate_offers(*, period_start, period_end, today=None):
    """Published offers published or changed in the period, still current and reviewed."""
    today = today or timezone.localdate()
    start, end = _local_midnight(period_start), _local_midnight(period_end + dt.timedelta(days=1))
    changed_in_period = Q(published_at__gte=start, published_at__lt=end) | Q(updated_at__gte=start, updated_at__lt=end)
    dates_passed = Q(ends_on__lt=today) | Q(ends_on__isnull=True, starts_on__lt=today, is_rolling=False)
    return (
        published_offers()
        .filter(changed_in_period, last_reviewed_on__gte=today - REVIEW_MAX_AGE)
        .exclude(dates_passed)
        .order_by("-published_at", "title")
    )


def bulletin_candidate_events(*, period_start, period_end, now=None):
    """Published events still to come in (or just after) the period, with booking open or not yet closed."""
    now = now or timezone.now()
    start = max(_local_midnight(period_start), now)
    end = _local_midnight(period_end + dt.timedelta(days=1)) + EVENT_LOOKAHEAD
    return (
        public_events()
        .filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(booking_closes_at__lte=now)
        .order_by("starts_at")
    )


def active_subscribers():
    """Who a bulletin goes to: confirmed, not unsubscribed, not paused."""
    return Subscriber.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True, paused_at__isnull=True)


def sent_bulletins():
    """The public archive: bulletins whose sending has started."""
    return Bulletin.objects.filter(
        status__in=[BulletinStatus.SENDING, BulletinStatus.SENT], sent_at__isnull=False
    ).order_by("-sent_at", "-id")


def bulletin_progress(bulletin):
    """Counts of deliveries by state, for the admin's live progress panel."""
    counts = Delivery.objects.filter(bulletin=bulletin).aggregate(
        total=Count("id"),
        sent=Count("id", filter=Q(status=DeliveryStatus.SENT)),
        failed=Count("id", filter=Q(status=DeliveryStatus.FAILED)),
        skipped=Count("id", filter=Q(status=DeliveryStatus.SKIPPED)),
        sending=Count("id", filter=Q(status=DeliveryStatus.SENDING)),
        pending=Count("id", filter=Q(status=DeliveryStatus.PENDING)),
    )
    counts["remaining"] = counts["pending"] + counts["sending"]
    counts["done"] = counts["total"] - counts["remaining"]
    counts["percent"] = round(100 * counts["done"] / counts["total"]) if counts["total"] else 0
    return counts


def subscriber_for_user(user):
    """The subscription of a signed-in person: linked to the account, or by the same address.

    By address only once the account has proved it owns the address: anyone
    can sign up with a subscriber's address, and must not get their
    subscription and preferences with it.
    """
    if not user.is_authenticated:
        return None
    same_address = Q(email__iexact=user.email) if user.email and email_confirmed(user) else Q(pk__in=[])
    return (
        Subscriber.objects.filter(Q(user=user) | same_address)
        .order_by(F("user_id").desc(nulls_last=True))
        .prefetch_related("themes", "regions")
        .first()
    )


def bulletin_items_for_desk(items):
    """A bulletin's items in the desk's order, each with ``desk_section``: "Events", then its first theme.

    An offer sits under the first of its themes in the vocabulary's order, as it does in the
    bulletin sent to everyone; an offer with no theme under "Other offers".
    """
    first_theme = Theme.objects.filter(offers=OuterRef("offer")).order_by("position", "name")
    return (
        items.select_related("offer__programme", "event")
        .annotate(
            desk_section=Case(
                When(kind=BulletinItemKind.EVENT, then=Value("Events")),
                # The theme's name as the page's language shows it (a column of its own per language).
                default=Coalesce(
                    Subquery(first_theme.annotate(shown_name=shown_order("name")).values("shown_name")[:1]),
                    Value("Other offers"),
                ),
                output_field=CharField(),
            ),
            desk_section_order=Case(
                When(kind=BulletinItemKind.EVENT, then=Value(-1)),
                default=Coalesce(Subquery(first_theme.values("position")[:1]), Value(10**6)),
                output_field=IntegerField(),
            ),
        )
        .order_by("desk_section_order", "desk_section", "-pinned", "position", "pk")
    )
