from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programmes.choices import OrganisationKind


class ProviderKind(models.TextChoices):
    FE_COLLEGE = "fe_college", _("Further education college")
    SIXTH_FORM = "sixth_form", _("Sixth form college")
    SCHOOL = "school", _("School")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    ADULT_COMMUNITY = "adult_community", _("Adult and community learning")
    VOLUNTARY = "voluntary", _("Voluntary or community organisation")
    WORK_BASED = "work_based", _("Work-based learning provider")
    OFFENDER_LEARNING = "offender_learning", _("Offender learning")
    HIGHER_EDUCATION = "higher_education", _("Higher education")


# The kind of organisation, as offers name who can take them up, of each provider
# kind; kinds that could be several (adult and community learning is run by
# local authorities and by voluntary organisations) have none.
TAKE_UP_KIND = {
    ProviderKind.FE_COLLEGE: OrganisationKind.COLLEGE,
    ProviderKind.SIXTH_FORM: OrganisationKind.COLLEGE,
    ProviderKind.SCHOOL: OrganisationKind.SCHOOL,
    ProviderKind.LOCAL_AUTHORITY: OrganisationKind.LOCAL_AUTHORITY,
    ProviderKind.VOLUNTARY: OrganisationKind.VOLUNTARY,
    ProviderKind.WORK_BASED: OrganisationKind.WORK_BASED,
}


class PlanStatus(models.TextChoices):
    CONSIDERING = "considering", _("Considering")
    BOOKED = "booked", _("Booked")
    DONE = "done", _("Done")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REMOVED = "removed", _("Removed by a colleague")
    LEFT = "left", pgettext_lazy("membership status", "Left")


# A person holds at most one of these at a time (membership_one_open_per_user).
OPEN_MEMBERSHIP_STATUSES = [MembershipStatus.PENDING, MembershipStatus.APPROVED]
