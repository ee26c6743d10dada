"""Reads of programmes and offers."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import get_language

from .cache import cached
from .choices import OfferStatus
from .models import Audience, GlossaryTerm, Offer, Programme, Region, RegionalWorker, Theme
from .translated_text import shown_order

# An offer nobody has checked for this long is flagged and sinks in the catalogue.
REVIEW_INTERVAL = dt.timedelta(days=182)


def today():
    return timezone.localdate()


def review_cutoff(on=None):
    """Offers last reviewed before this date are overdue for review."""
    return (on or today()) - REVIEW_INTERVAL


def published_offers():
    """Every offer the public may see: published, whatever its dates."""
    return Offer.objects.filter(status=OfferStatus.PUBLISHED)


def newest_offers(limit=6):
    return (
        published_offers()
        .select_related("programme")
        .order_by("-published_at", "-id")[:limit]
    )


def not_past_q(on=None):
    """Offers still to come or running: rolling, or ending (or starting) today or later."""
    on = on or today()
    return (
        Q(is_rolling=True)
        | Q(ends_on__gte=on)
        | Q(ends_on__isnull=True, starts_on__gte=on)
        | Q(ends_on__isnull=True, starts_on__isnull=True)
    )


def offer_is_past(offer, on=None):
    on = on or today()
    if offer.is_rolling:
        return False
    last_day = offer.ends_on or offer.starts_on
    return last_day is not None and last_day < on


def listed_offers(*, show_past=False, on=None):
    """Every offer the catalogue lists, on its own card or named on the card of its same-as group."""
    base = published_offers()
    return base if show_past else base.filter(not_past_q(on))


def catalogue_offers(*, show_past=False, on=None):
    """Published offers as the catalogue lists them: one card per same-as group.

    Of offers marked as the same thing, the one with the lowest id that is
    itself listed stands for the group; the others appear on its card as "also
    offered by". Offers whose dates have passed are left out unless asked for.
    """
    base = listed_offers(show_past=show_past, on=on)
    Same = Offer.same_as.through
    represented_by_other = Same.objects.filter(
        from_offer_id=OuterRef("pk"),
        to_offer_id__lt=OuterRef("pk"),
        to_offer__status=OfferStatus.PUBLISHED,
    )
    if not show_past:
        represented_by_other = represented_by_other.filter(_prefixed_not_past("to_offer__", on))
    return base.filter(~Exists(represented_by_other))


def offer_card_prefetches():
    """What a catalogue card shows beside the offer row, in a fixed number of queries."""
    return [
        Prefetch("themes", queryset=Theme.objects.only("id", "name", "slug")),
        Prefetch("audiences", queryset=Audience.objects.only("id", "name", "slug")),
        Prefetch(
            "same_as",
            # Each other offer is named with its programme and where it runs.
            queryset=published_offers().select_related("programme").only(
                "id", "slug", "title", "is_national", "programme__plain_name", "programme__slug"
            ).prefetch_related(Prefetch("regions", queryset=Region.objects.only("id", "name"))),
            to_attr="also_offered",
        ),
    ]


def offer_card_related():
    """The rows a card shows beside the offer's (the contact is on the offer's own page only)."""
    return ["programme", "last_reviewed_by__user"]


def vocabulary():
    """Themes, audiences and regions as plain tuples, cached: they rarely change.

    Kept per language: the names are the facet panel's labels, and a Welsh page
    must never show names read for an English one (or the reverse).
    """

    def build():
        return {
            "theme": list(Theme.objects.values_list("id", "slug", "name")),
            "audience": list(Audience.objects.values_list("id", "slug", "name")),
            "region": list(Region.objects.values_list("id", "slug", "name")),
        }

    return cached(f"vocabulary:{get_language()}", build)


def offer_for_detail(slug, user=None):
    """One offer by slug as the public sees it (published only), or None."""
    queryset = Offer.objects.select_related(*offer_card_related(), "contact__user").prefetch_related(
        "themes",
        "audiences",
        "regions",
        Prefetch("builds_on", queryset=published_offers().select_related("programme"), to_attr="published_builds_on"),
        Prefetch("leads_to", queryset=published_offers().select_related("programme"), to_attr="published_leads_to"),
        Prefetch(
            "same_as", queryset=published_offers().select_related("programme").prefetch_related("regions"),
            to_attr="also_offered",
        ),
    )
    return queryset.filter(slug=slug, status=OfferStatus.PUBLISHED).first()


def programmes_listed():
    return (
        Programme.objects.filter(is_active=True)
        .annotate(
            offer_count=Count(
                "offers", filter=Q(offers__status=OfferStatus.PUBLISHED) & _prefixed_not_past("offers__")
            )
        )
        .prefetch_related("themes")
        .order_by(shown_order("plain_name"))
    )


def _prefixed_not_past(prefix, on=None):
    on = on or today()
    return (
        Q(**{f"{prefix}is_rolling": True})
        | Q(**{f"{prefix}ends_on__gte": on})
        | Q(**{f"{prefix}ends_on__isnull": True, f"{prefix}starts_on__gte": on})
        | Q(**{f"{prefix}ends_on__isnull": True, f"{prefix}starts_on__isnull": True})
    )


def programme_for_detail(slug):
    return Programme.objects.prefetch_related("themes", "regions").filter(slug=slug, is_active=True).first()


def programme_offers(programme):
    return (
        published_offers()
        .filter(programme=programme)
        .filter(not_past_q())
        .select_related(*offer_card_related())
        .prefetch_related(*offer_card_prefetches())
        .order_by(shown_order("title"))
    )


def programme_workers(programme):
    return (
        RegionalWorker.objects.filter(programmes=programme, is_listed=True)
        .select_related("user")
        .prefetch_related("regions")
    )


def glossary_terms():
    return GlossaryTerm.objects.order_by(shown_order("acronym"))
