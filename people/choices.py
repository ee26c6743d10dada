from django.db import models


class Language(models.TextChoices):
    """The portal's two languages, each named in itself (as settings.LANGUAGES has them)."""

    ENGLISH = "en-gb", "English"
    WELSH = "cy", "Cymraeg"
