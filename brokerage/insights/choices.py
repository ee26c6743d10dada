from django.db import models


class SignalKind(models.TextChoices):
    SEARCH = "search", "Search"
    FILTER = "filter", "Filter choice"
    OFFER_VIEW = "offer_view", "Offer view"
    ENQUIRY = "enquiry", "Enquiry"
    PLAN_ADD = "plan_add", "Plan addition"
    BOOKING = "booking", "Surgery booking"
    BULLETIN_CLICK = "bulletin_click", "Bulletin click"


class DuplicateDecision(models.TextChoices):
    NOT_DUPLICATE = "not_duplicate", "Not a duplicate"
    COORDINATE = "coordinate", "To coordinate"


class DigestStatus(models.TextChoices):
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
