from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programmes.choices import DeliveryLanguage


class EventKind(models.TextChoices):
    LEARNING_FAIR = "learning_fair", _("Learning fair")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    JOINT_EVENT = "joint_event", _("Joint event")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", pgettext_lazy("booking status", "Cancelled")


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Slot offered")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Offer expired")
    LEFT = "left", _("Left the list")


# A surgery's language shares the offers' choices (the same values as events 0007).
SurgeryLanguage = DeliveryLanguage
