from django.db import models
from django.utils.translation import gettext_lazy as _


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
