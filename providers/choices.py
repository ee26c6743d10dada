from django.db import models


class ProviderKind(models.TextChoices):
    FE_COLLEGE = "fe_college", "Further education college"
    SIXTH_FORM = "sixth_form", "Sixth form college"
    SCHOOL = "school", "School"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    ADULT_COMMUNITY = "adult_community", "Adult and community learning"
    VOLUNTARY = "voluntary", "Voluntary or community organisation"
    WORK_BASED = "work_based", "Work-based learning provider"
    OFFENDER_LEARNING = "offender_learning", "Offender learning"
    HIGHER_EDUCATION = "higher_education", "Higher education"


class PlanStatus(models.TextChoices):
    CONSIDERING = "considering", "Considering"
    BOOKED = "booked", "Booked"
    DONE = "done", "Done"
