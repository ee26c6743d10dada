"""The offer's fields by the names the model gives them, in the page's language.

Most of the model's fields take Django's default name (from the attribute), which no catalogue can
translate; giving each an explicit verbose_name would need a migration. The workspace history and the
admin's offer form name them from here instead.
"""

from django.utils.translation import gettext_lazy as _

OFFER_FIELD_NAMES = {
    "programme": _("Programme"),
    "title": _("Title"),
    "slug": _("Slug"),
    "summary": _("Summary"),
    "description": _("Description"),
    "is_national": _("Is national"),
    "format": _("Format"),
    "cost": _("Cost"),
    "price": _("Price"),
    "funding_note": _("Funding note"),
    "open_to": _("Who can take it up"),
    "open_to_condition": _("Condition"),
    "accredited": _("Accredited"),
    "accreditation": _("Accreditation"),
    "level": _("Level"),
    "starts_on": _("Starts on"),
    "ends_on": _("Ends on"),
    "is_rolling": _("Is rolling"),
    "contact": _("Contact"),
    "status": _("Status"),
    "published_at": _("Published at"),
    "last_reviewed_on": _("Last reviewed on"),
    "last_reviewed_by": _("Last reviewed by"),
    "themes": _("Themes"),
    "audiences": _("Audiences"),
    "regions": _("Regions"),
    "builds_on": _("Builds on"),
    "same_as": _("Same as"),
}
