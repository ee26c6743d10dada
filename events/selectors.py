"""Reads of joint events."""

from django.utils import timezone

from .choices import EventStatus
from .models import JointEvent


def public_events():
    """Events the public may see: published only."""
    return JointEvent.objects.filter(status=EventStatus.PUBLISHED)


def upcoming_public_events(limit=None):
    events = public_events().filter(ends_at__gte=timezone.now()).select_related("region").order_by("starts_at")
    return events[:limit] if limit else events
