from django.db import models

from programmes.choices import DeliveryLanguage


class EventKind(models.TextChoices):
    LEARNING_FAIR = "learning_fair", "Learning fair"
    NETWORK_MEETING = "network_meeting", "Network meeting"
    JOINT_EVENT = "joint_event", "Joint event"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Slot offered"
    ACCEPTED = "accepted", "Accepted"
    EXPIRED = "expired", "Offer expired"
    LEFT = "left", "Left the list"


# A surgery's language shares the offers' choices (the same values as events 0007).
SurgeryLanguage = DeliveryLanguage
