from django.db import models
from django.utils.translation import gettext_lazy as _


class SignalKind(models.TextChoices):
    SEARCH = "search", _("Search")
    FILTER = "filter", _("Filter choice")
    OFFER_VIEW = "offer_view", _("Offer view")
    ENQUIRY = "enquiry", _("Enquiry")
    PLAN_ADD = "plan_add", _("Plan addition")
    BOOKING = "booking", _("Surgery booking")
    BULLETIN_CLICK = "bulletin_click", _("Bulletin click")


class DuplicateDecision(models.TextChoices):
    NOT_DUPLICATE = "not_duplicate", _("Not a duplicate")
    COORDINATE = "coordinate", _("To coordinate")


class DigestStatus(models.TextChoices):
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
