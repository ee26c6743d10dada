"""The expected refusals of the events services, each with a message for the person who asked.

They are not crashes and are not logged as such: pages and the admin show the
message (the admin as a form error or a message), tasks record it.
"""

from django.utils.translation import gettext_lazy as _


class BookingError(Exception):
    """An expected refusal with a message for the person; not a crash, not logged as one."""

    default_message = _("This booking could not be made.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(self.message)


class SlotTaken(BookingError):
    default_message = _("Sorry, that slot has just been taken. Please choose another time.")


class AlreadyBooked(BookingError):
    default_message = _("You have already booked this slot.")


class OverlappingBooking(BookingError):
    default_message = _("You already have a surgery booked at that time. Choose a slot that does not overlap it.")


class EventLimitReached(BookingError):
    default_message = _("You have booked as many surgeries at this event as one person may.")


class BookingWindowClosed(BookingError):
    default_message = _("Booking for this event is not open.")


class NotBookable(BookingError):
    default_message = _("This slot cannot be booked.")


class BookingBusy(BookingError):
    default_message = _("Many people are booking right now. Please try again in a moment.")


class CancellationTooLate(BookingError):
    default_message = _("It is too late to cancel this booking online. Please contact the event organisers.")


class WaitlistError(BookingError):
    default_message = _("You cannot join this waiting list.")


class EvaluationError(BookingError):
    default_message = _("You cannot evaluate this event.")


class SlotGenerationError(BookingError):
    default_message = _("Those slots cannot be created.")


class ScheduleBusy(BookingError):
    default_message = _(
        "Someone else is saving changes to this event or its hosts right now. "
        "Please save again in a moment. Nothing was saved."
    )


class ScheduleRefused(BookingError):
    """A coordinator's change breaks a scheduling rule; nothing was saved.

    `refusals` lists each reason as (row, field, message): `row` is the caller's
    key of the slot or surgery it is about (None: the change as a whole),
    `field` the field it is about (None: the row as a whole).
    """

    def __init__(self, refusals):
        self.refusals = list(refusals)
        super().__init__(self.refusals[0][2])


class DeleteRefused(BookingError):
    """Deleting would delete confirmed bookings (or leave booked surgeries without a host) untold.

    `bookings` and `surgeries` are what blocks it, for the caller to list.
    """

    def __init__(self, message, *, bookings=(), surgeries=()):
        self.bookings, self.surgeries = list(bookings), list(surgeries)
        super().__init__(message)
