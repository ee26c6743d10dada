from django.db import models


class Nation(models.TextChoices):
    ENGLAND = "england", "England"
    WALES = "wales", "Wales"


class AgencyKind(models.TextChoices):
    FUNDER = "funder", "Funder"
    CONTRACTOR = "contractor", "Contractor"
    CONSORTIUM = "consortium", "Regional consortium"
    PARTNERSHIP = "partnership", "Partnership"
    PROFESSIONAL_BODY = "professional_body", "Professional body"


class WorkerRole(models.TextChoices):
    BROKERING = "brokering", "Brokering"
    DELIVERY = "delivery", "Delivery"


class OfferStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class OfferFormat(models.TextChoices):
    COURSE = "course", "Face-to-face course"
    ONLINE = "online", "Online course"
    BLENDED = "blended", "Blended course"
    WORKSHOP = "workshop", "Workshop"
    COACHING = "coaching", "Coaching or mentoring"
    IN_HOUSE = "in_house", "In-house support visit"
    RESOURCES = "resources", "Resources and guides"
    NETWORK = "network", "Network or community of practice"
    CONFERENCE = "conference", "Conference or event"


class OrganisationKind(models.TextChoices):
    """Kinds of organisation an offer is open to or funded for (none chosen: any kind)."""

    COLLEGE = "college", "Colleges"
    SCHOOL = "school", "Schools"
    LOCAL_AUTHORITY = "local_authority", "Local authorities"
    VOLUNTARY = "voluntary", "Voluntary and community organisations"
    WORK_BASED = "work_based", "Work-based learning providers"


class CostKind(models.TextChoices):
    FREE = "free", "Free"
    FUNDED = "funded", "Funded or subsidised"
    PAID = "paid", "Paid"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
