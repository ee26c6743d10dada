"""Reads of the network directory of regional workers."""

from django.db.models import Prefetch

from ..choices import OfferStatus
from ..models import Offer, Programme, RegionalWorker


def directory_workers():
    """Listed workers with what a directory card shows, in a fixed number of queries."""
    return (
        RegionalWorker.objects.filter(is_listed=True)
        .select_related("user")
        .prefetch_related(
            Prefetch("programmes", queryset=Programme.objects.order_by("plain_name")),
            "regions",
            "themes",
        )
        .order_by("user__last_name", "user__first_name", "pk")
    )


def worker_public_offers(worker):
    """The published offers this person is the named contact for."""
    return (
        Offer.objects.filter(contact=worker, status=OfferStatus.PUBLISHED)
        .select_related("programme")
        .order_by("title")
    )
