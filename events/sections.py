"""The sections events adds to /account/ and /workspace/ (registered in EventsConfig.ready)."""

from django.utils import timezone

from . import selectors


def account_bookings_context(request, contact):
    """A provider's bookings, waiting lists and the evaluations they owe."""
    user = request.user
    now = timezone.now()
    due = list(selectors.evaluations_due(user, now=now))
    bookings = selectors.bookings_of(user, now=now)
    return {
        "bookings_evaluations_due": due,
        "bookings_evaluation_due_ids": {event.pk for event in due},
        "bookings_upcoming": bookings["upcoming"],
        "bookings_past": bookings["past"],
        "bookings_waitlist": list(selectors.waitlist_entries_of(user)),
    }


def workspace_bookings_context(request, worker):
    """The bookings of the surgeries a worker hosts."""
    return {"workspace_bookings": list(selectors.host_bookings(worker))}
