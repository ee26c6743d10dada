from django.db import models
from django.utils.translation import gettext_lazy as _


class Nation(models.TextChoices):
    ENGLAND = "england", _("England")
    WALES = "wales", _("Wales")


class AgencyKind(models.TextChoices):
    FUNDER = "funder", _("Funder")
    CONTRACTOR = "contractor", _("Contractor")
    CONSORTIUM = "consortium", _("Regional consortium")
    PARTNERSHIP = "partnership", _("Partnership")
    PROFESSIONAL_BODY = "professional_body", _("Professional body")


class WorkerRole(models.TextChoices):
    BROKERING = "brokering", _("Brokering")
    DELIVERY = "delivery", _("Delivery")


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class OfferFormat(models.TextChoices):
    COURSE = "course", _("Face-to-face course")
    ONLINE = "online", _("Online course")
    BLENDED = "blended", _("Blended course")
    WORKSHOP = "workshop", _("Workshop")
    COACHING = "coaching", _("Coaching or mentoring")
    IN_HOUSE = "in_house", _("In-house support visit")
    RESOURCES = "resources", _("Resources and guides")
    NETWORK = "network", _("Network or community of practice")
    CONFERENCE = "conference", _("Conference or event")


class OrganisationKind(models.TextChoices):
    """Kinds of organisation an offer is open to or funded for (none chosen: any kind)."""

    COLLEGE = "college", _("Colleges")
    SCHOOL = "school", _("Schools")
    LOCAL_AUTHORITY = "local_authority", _("Local authorities")
    VOLUNTARY = "voluntary", _("Voluntary and community organisations")
    WORK_BASED = "work_based", _("Work-based learning providers")


class CostKind(models.TextChoices):
    FREE = "free", _("Free")
    FUNDED = "funded", _("Funded or subsidised")
    PAID = "paid", _("Paid")


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
