from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class SurgeryLanguage(models.TextChoices):
    # Welsh-medium schools look for "Cymraeg": the label names the language in Welsh too.
    ENGLISH = "en", pgettext_lazy("the language a surgery is held in", "English")
    WELSH = "cy", _("Welsh (Cymraeg)")
    BILINGUAL = "bilingual", _("Bilingual: Welsh and English (Dwyieithog)")
