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


class DeliveryLanguage(models.TextChoices):
    """The language an offer or a fair's surgery is delivered in (events.choices.SurgeryLanguage is this class).

    The values and labels are those of the surgeries' migration (events 0007):
    changing them would change that field's history.
    """

    ENGLISH = "en", _("English")
    WELSH = "cy", _("Welsh (Cymraeg)")
    BILINGUAL = "bilingual", _("Bilingual: Welsh and English (Dwyieithog)")


# How a catalogue and a fair page name the language of delivery, Welsh first as the
# Welsh Language Standards ask: "Welsh-medium" is the phrase Welsh schools search for.
DELIVERY_MEDIUM = [
    (DeliveryLanguage.WELSH.value, _("Welsh-medium")),
    (DeliveryLanguage.BILINGUAL.value, _("Bilingual")),
    (DeliveryLanguage.ENGLISH.value, _("English-medium")),
]

# What a search reads as asking for a language of delivery (programmes.search): the
# facet's names in both languages and the phrases schools in Wales use.
DELIVERY_LANGUAGE_SEARCH_TERMS = {
    DeliveryLanguage.WELSH.value: ("welsh medium", "cyfrwng cymraeg", "trwy gyfrwng y gymraeg"),
    DeliveryLanguage.BILINGUAL.value: ("bilingual", "dwyieithog"),
    DeliveryLanguage.ENGLISH.value: ("english medium", "cyfrwng saesneg", "trwy gyfrwng y saesneg"),
}


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
