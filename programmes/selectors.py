"""Reads of programmes and offers."""

from django.utils import timezone

from .choices import OfferStatus
from .models import Offer


def published_offers():
    """Every offer the public may see: published, whatever its dates."""
    return Offer.objects.filter(status=OfferStatus.PUBLISHED)


def newest_offers(limit=6):
    return (
        published_offers()
        .select_related("programme")
        .order_by("-published_at", "-id")[:limit]
    )


def today():
    return timezone.localdate()
