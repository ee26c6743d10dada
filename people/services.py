"""Writes of a person's language preferences; keyword-only arguments."""

from .choices import Language
from .models import Preferences


def preferences_of(user):
    """The person's preferences, unsaved defaults (nothing chosen) when they have none yet."""
    try:
        return user.preferences
    except Preferences.DoesNotExist:
        return Preferences(user=user)


def language_remember(*, user, language):
    """Record the interface language a signed-in person is reading in (a language switch, a sign-in)."""
    if language not in Language.values:
        return
    Preferences.objects.update_or_create(user=user, defaults={"language": language})


def preferences_save(*, user, language, email_language):
    """Save what a person chose on a form (sign-up, their preferences page)."""
    Preferences.objects.update_or_create(
        user=user, defaults={"language": language, "email_language": email_language}
    )
