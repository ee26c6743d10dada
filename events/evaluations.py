"""Evaluations: attendees are invited once after an event ends, and answer once."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.services import email_language_for
from programmes.outbox import email_queue

from .choices import BookingStatus, EventStatus
from .errors import EvaluationError
from .models import Booking, Evaluation, JointEvent

EVALUATION_FIELDS = ["main_benefits", "key_messages", "ideas", "future_meetings", "other_comments", "rating"]


def evaluation_invitations_send(*, now=None, within_days=14):
    """After an event ends, invite each attendee once to evaluate it."""
    now = now or timezone.now()
    events = JointEvent.objects.filter(
        status=EventStatus.PUBLISHED, ends_at__lte=now, ends_at__gt=now - dt.timedelta(days=within_days)
    )
    written = 0
    for event in events:
        attendees = (
            get_user_model().objects.filter(bookings__event=event, bookings__status=BookingStatus.CONFIRMED)
            .exclude(evaluations__event=event)  # evaluated already (from the event page): nothing to ask
            .distinct()
            .order_by("pk")
        )
        for person in attendees:
            with transaction.atomic():
                row = email_queue(
                    key=f"evaluation:{event.pk}:{person.pk}",
                    may_exist=True,
                    kind="evaluation_invitation",
                    to=[person.email],
                    template="events/evaluation_invitation",
                    context={"event": event, "person": person},
                    language=email_language_for(person),
                )
            written += row is not None
    return written


def is_attendee(*, user, event):
    return Booking.objects.filter(event=event, user=user, status=BookingStatus.CONFIRMED).exists()


def evaluation_submit(*, user, event_id, answers, now=None):
    now = now or timezone.now()
    event = JointEvent.objects.get(pk=event_id)
    if event.ends_at > now:
        raise EvaluationError(_("You can evaluate the event once it has finished."))
    if not is_attendee(user=user, event=event):
        raise EvaluationError(_("Only people who attended this event can evaluate it."))
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                event=event, user=user, **{name: answers.get(name, "") for name in EVALUATION_FIELDS}
            )
    except IntegrityError:
        raise EvaluationError(_("You have already evaluated this event. Thank you!")) from None
