"""Reads of the insights topic: supply against demand, zero-result searches.

Every figure on /insights/ comes from a handful of aggregate queries over the
``Signal`` indexes (see ``Signal.Meta.indexes``), never from rows loaded into
Python one by one.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.cache import cached
from programmes.choices import OfferStatus
from programmes.models import Audience, Offer, Theme

from .choices import SignalKind
from .models import Signal

# The demand columns and the signal kinds each one counts.
DEMAND_COLUMNS = [
    ("searches", _("Searches"), (SignalKind.SEARCH, SignalKind.FILTER)),
    ("views", _("Offer views"), (SignalKind.OFFER_VIEW,)),
    ("enquiries", _("Enquiries"), (SignalKind.ENQUIRY,)),
    ("plan_additions", _("Plan additions"), (SignalKind.PLAN_ADD,)),
    ("bookings", _("Surgery bookings"), (SignalKind.BOOKING,)),
]
KIND_TO_COLUMN = {kind: key for key, _, kinds in DEMAND_COLUMNS for kind in kinds}
# A theme is a gap when it has at least this much demand...
GAP_MIN_DEMAND = 5
# ...and its demand per offer is at least this many times the average across themes.
GAP_FACTOR = 1.5


@dataclass(frozen=True)
class Period:
    """A region (or None for all) and an inclusive range of local dates."""

    start: dt.date
    end: dt.date
    region: object = None

    @property
    def start_at(self):
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def end_at(self):
        """Exclusive upper bound: midnight after the last day."""
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))

    @property
    def days(self):
        return (self.end - self.start).days + 1


def default_period(region=None, days=90, today=None):
    today = today or timezone.localdate()
    return Period(start=today - dt.timedelta(days=days - 1), end=today, region=region)


def signals_in(period):
    qs = Signal.objects.filter(created_at__gte=period.start_at, created_at__lt=period.end_at)
    if period.region is not None:
        qs = qs.filter(region=period.region)
    return qs


def published_offers_in(region):
    """Supply: published offers available in the region (its own or national)."""
    qs = Offer.objects.filter(status=OfferStatus.PUBLISHED)
    if region is not None:
        qs = qs.filter(Q(is_national=True) | Q(pk__in=Offer.regions.through.objects.filter(region=region).values("offer_id")))
    return qs


@dataclass
class DemandCounts:
    """Signal counts of one period: per theme, per audience, and totals per kind."""

    by_theme: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    by_audience: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    totals: dict = field(default_factory=lambda: defaultdict(int))


def demand_counts(period):
    """One aggregate query: counts grouped by kind, theme, audience and primary flag.

    COUNT(*), not COUNT(id): every column it reads is in the signal indexes, so
    PostgreSQL answers from the index alone (all regions over 90 days at
    1,000,000 signals: 172 ms with COUNT(id), a heap scan; 49 ms now).
    """
    counts = DemandCounts()
    rows = (
        signals_in(period)
        .order_by()
        .values_list("kind", "theme_id", "audience_id", "is_primary")
        .annotate(n=Count("*"))
    )
    for kind, theme_id, audience_id, is_primary, n in rows:
        if theme_id is not None:
            counts.by_theme[theme_id][kind] += n
        if audience_id is not None:
            counts.by_audience[audience_id][kind] += n
        if is_primary:
            counts.totals[kind] += n
    return counts


def supply_counts(region, dimension):
    """Published offers per theme (or audience) in the region: one aggregate query.

    Kept per catalogue version (any change to offers renews it), so every
    period and dashboard of a region shares one count.
    """
    through = Offer.themes.through if dimension == "theme" else Offer.audiences.through
    column = f"{dimension}_id"

    def count():
        rows = (
            through.objects.filter(offer_id__in=published_offers_in(region).values("pk"))
            .order_by()
            .values_list(column)
            .annotate(n=Count("*"))
        )
        return dict(rows)

    return cached(f"insights-supply:{region.pk if region else 'all'}:{dimension}", count)


@dataclass
class SupplyDemandRow:
    name: str
    slug: str
    pk: int
    offers: int
    counts: dict
    bulletin_clicks: int

    @property
    def demand(self):
        return sum(self.counts.values())

    @property
    def demand_per_offer(self):
        """Demand divided by offers; None when there are no offers at all."""
        return None if not self.offers else self.demand / self.offers

    def __getattr__(self, name):
        # Lets templates and CSV read row.searches, row.views...
        counts = self.__dict__.get("counts", {})
        if name in counts:
            return counts[name]
        raise AttributeError(name)


def supply_demand_rows(period, dimension, counts=None):
    """One row per theme (or audience): offers against each kind of demand."""
    counts = counts or demand_counts(period)
    per_item = counts.by_theme if dimension == "theme" else counts.by_audience
    supply = supply_counts(period.region, dimension)
    model = Theme if dimension == "theme" else Audience
    rows = []
    for item in model.objects.order_by("position", "name"):
        kinds = per_item.get(item.pk, {})
        demand = {key: sum(kinds.get(kind, 0) for kind in column_kinds) for key, _, column_kinds in DEMAND_COLUMNS}
        rows.append(
            SupplyDemandRow(
                name=item.name,
                slug=item.slug,
                pk=item.pk,
                offers=supply.get(item.pk, 0),
                counts=demand,
                bulletin_clicks=kinds.get(SignalKind.BULLETIN_CLICK, 0),
            )
        )
    return rows


def gaps(rows, *, min_demand=GAP_MIN_DEMAND, factor=GAP_FACTOR):
    """Rows whose demand outruns supply, the worst first.

    A gap has at least ``min_demand`` signals and either no offers, or a
    demand per offer at least ``factor`` times the average over all rows
    (total demand / total offers).
    """
    total_demand = sum(r.demand for r in rows)
    total_offers = sum(r.offers for r in rows)
    average = total_demand / total_offers if total_offers else 0
    found = [
        r
        for r in rows
        if r.demand >= min_demand and (r.offers == 0 or r.demand_per_offer >= factor * average)
    ]
    return sorted(found, key=lambda r: (r.offers != 0, -(r.demand_per_offer or r.demand), r.name))


def zero_result_searches(period, limit=50):
    """Searches that found nothing, by their words: how often and when last."""
    return list(
        signals_in(period)
        .filter(kind=SignalKind.SEARCH, result_count=0, is_primary=True)
        .exclude(words="")
        .order_by()
        .values("words")
        .annotate(searches=Count("*"), last_searched=Max("created_at"))  # index-only, as above
        .order_by("-searches", "-last_searched", "words")[:limit]
    )


def totals(counts):
    """Headline figures: signals per demand column (primary rows only)."""
    return {
        key: sum(counts.totals.get(kind, 0) for kind in kinds) for key, _, kinds in DEMAND_COLUMNS
    } | {"bulletin_clicks": counts.totals.get(SignalKind.BULLETIN_CLICK, 0)}
