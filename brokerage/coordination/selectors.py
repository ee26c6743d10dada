"""Reads for the coordinator's start page. Each returns a small list or count, never a whole table."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from brokerage.choices import BulletinStatus
from brokerage.insights.selectors import default_period, zero_result_searches
from brokerage.models import Bulletin
from events.choices import BookingStatus, EventStatus
from events.models import JointEvent
from programmes.choices import OfferStatus
from programmes.models import Offer
from programmes.selectors import review_cutoff
from providers.choices import MembershipStatus
from providers.models import Membership

# How many rows each list shows; the count says how many there are in all.
LIST_LIMIT = 8
# "New" zero-result searches: those of the last fortnight.
ZERO_RESULT_DAYS = 14


@dataclass(frozen=True)
class Listing:
    """The first rows of a list and how many there are in all."""

    rows: list
    total: int


def _listing(queryset, limit=LIST_LIMIT):
    rows = list(queryset[:limit])
    total = len(rows) if len(rows) < limit else queryset.count()
    return Listing(rows=rows, total=total)


def offers_overdue_for_review(*, today=None):
    """Published offers not reviewed for longer than the review interval, the longest-waiting first."""
    offers = (
        Offer.objects.filter(status=OfferStatus.PUBLISHED, last_reviewed_on__lt=review_cutoff(today))
        .select_related("programme")
        .order_by("last_reviewed_on", "title")
    )
    return _listing(offers)


def pending_organisation_requests():
    """People waiting to be approved to act for an organisation, the oldest request first."""
    requests = (
        Membership.objects.filter(status=MembershipStatus.PENDING)
        .select_related("user", "organisation")
        .order_by("requested_at")
    )
    return _listing(requests)


def month_bounds(today):
    first = today.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return (
        timezone.make_aware(dt.datetime.combine(first, dt.time.min)),
        timezone.make_aware(dt.datetime.combine(following, dt.time.min)),
    )


def events_this_month(*, today=None):
    """Events (not cancelled) starting in this calendar month, with their confirmed bookings."""
    start, end = month_bounds(today or timezone.localdate())
    return list(
        JointEvent.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(status=EventStatus.CANCELLED)
        .annotate(confirmed_bookings=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)))
        .order_by("starts_at")
    )


def next_bulletin():
    """The bulletin being prepared or sent next (sending, then scheduled, then the newest draft); else None."""
    in_hand = Bulletin.objects.exclude(status=BulletinStatus.SENT)
    for status, order in (
        (BulletinStatus.SENDING, "sent_at"),
        (BulletinStatus.SCHEDULED, "scheduled_for"),
        (BulletinStatus.DRAFT, "-period_end"),
    ):
        bulletin = in_hand.filter(status=status).order_by(order, "pk").first()
        if bulletin:
            return bulletin
    return None


def last_sent_bulletin():
    return Bulletin.objects.filter(status=BulletinStatus.SENT).order_by("-sent_at", "-pk").first()


def new_zero_result_searches(*, today=None):
    return zero_result_searches(default_period(days=ZERO_RESULT_DAYS, today=today), limit=LIST_LIMIT)
