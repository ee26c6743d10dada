"""Sections other apps' pages include without importing events (layering):
/account/ (providers) and /workspace/ (programmes) load this library by name."""

from django import template
from django.utils import timezone

from events import selectors

register = template.Library()


@register.inclusion_tag("events/includes/account_bookings.html", takes_context=True)
def account_bookings(context):
    user = context["request"].user
    if not user.is_authenticated:
        return {"show": False}
    now = timezone.now()
    due = list(selectors.evaluations_due(user, now=now))
    return {
        "show": True,
        "evaluations_due": due,
        "evaluation_due_ids": {event.pk for event in due},
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "now": now,
        **selectors.bookings_of(user, now=now),
        "waitlist": list(selectors.waitlist_entries_of(user)),
    }


@register.inclusion_tag("events/includes/workspace_bookings.html", takes_context=True)
def workspace_bookings(context):
    user = context["request"].user
    worker = getattr(user, "worker_profile", None) if user.is_authenticated else None
    if worker is None:
        return {"show": False}
    return {"show": True, "bookings": list(selectors.host_bookings(worker))}
