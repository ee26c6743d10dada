"""Reminders (beat task): each booking of tomorrow is reminded once, each host gets the list of their bookings."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from people.services import email_language_for
from programmes.outbox import email_queue

from .booking import booking_context
from .choices import BookingStatus, EventStatus
from .ics import booking_ics_attachment
from .models import Booking, Surgery

LONDON = ZoneInfo("Europe/London")


def _local_day_bounds(day):
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=LONDON)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=LONDON)


def reminders_send(*, now=None):
    """Remind each confirmed booking of tomorrow (London), exactly once; email hosts their list."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now, LONDON).date() + dt.timedelta(days=1)
    start, end = _local_day_bounds(tomorrow)
    due = Booking.objects.filter(
        status=BookingStatus.CONFIRMED, reminded_at__isnull=True, starts_at__gte=start, starts_at__lt=end,
        event__status=EventStatus.PUBLISHED,
    )
    reminded = 0
    for booking_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            # Compare-and-set: a second beat run (or a concurrent one) finds nothing to claim.
            claimed = Booking.objects.filter(
                pk=booking_id, status=BookingStatus.CONFIRMED, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            booking = Booking.objects.select_related("user", "slot__surgery__event").get(pk=booking_id)
            email_queue(
                key=f"reminder:{booking.pk}",
                may_exist=True,
                kind="booking_reminder",
                to=[booking.user.email],
                template="events/booking_reminder",
                context=booking_context(booking),
                language=email_language_for(booking.user),
                attachments=[booking_ics_attachment(booking)],
            )
            reminded += 1
    surgeries = Surgery.objects.filter(
        slots__bookings__status=BookingStatus.CONFIRMED,
        slots__starts_at__gte=start, slots__starts_at__lt=end, event__status=EventStatus.PUBLISHED,
    ).distinct()
    for surgery in surgeries:
        host_list_send(surgery_id=surgery.pk, key_suffix=tomorrow.isoformat())
    return reminded


def host_list_send(*, surgery_id, key_suffix=None):
    """Email each host of a surgery the list of its confirmed bookings with their questions."""
    surgery = Surgery.objects.select_related("event").get(pk=surgery_id)
    bookings = list(
        Booking.objects.filter(slot__surgery=surgery, status=BookingStatus.CONFIRMED)
        .select_related("user", "organisation", "slot")
        .prefetch_related("priorities")
        .order_by("starts_at", "pk")
    )
    suffix = key_suffix or timezone.now().isoformat()
    written = 0
    with transaction.atomic():
        for host in surgery.hosts.select_related("user"):
            row = email_queue(
                key=f"host-list:{surgery.pk}:{host.pk}:{suffix}",
                may_exist=True,
                kind="host_list",
                to=[host.contact_email],
                template="events/host_list",
                context={"surgery": surgery, "event": surgery.event, "host": host, "bookings": bookings},
                language=email_language_for(host.user),
            )
            written += row is not None
    return written
