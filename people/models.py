"""A person's language preferences, whatever their role (provider contact, worker, coordinator)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Language


class Preferences(models.Model):
    """One row per person who has said (or shown) which language they want.

    `language` is the interface's: the last one they chose, applied when they
    sign in. `email_language` is for correspondence; blank means not known,
    and then emails go in both languages, Welsh first (Welsh Language Standards).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences")
    language = models.CharField(_("language of the website"), max_length=5, choices=Language.choices, blank=True)
    email_language = models.CharField(
        _("language of your emails"), max_length=5, choices=Language.choices, blank=True
    )

    class Meta:
        verbose_name = _("language preferences")
        verbose_name_plural = _("language preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=["", *Language.values]), name="preferences_language_valid"
            ),
            models.CheckConstraint(
                condition=Q(email_language__in=["", *Language.values]), name="preferences_email_language_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.language or '-'} / {self.email_language or '-'}"
