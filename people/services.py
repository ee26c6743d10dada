"""A person's language preferences: their writes (keyword-only arguments), and the one answer to
"which language do we write to them in?" (`email_language_for`)."""

from django.contrib.auth.base_user import AbstractBaseUser

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


def email_language_for(person=None, *, page_language=None):
    """The language to write to `person` in: "cy", "en-gb", or "" (not known: both, Welsh first).

    `person` is a user (their Preferences.email_language), anything else that
    records an `email_language` (a bulletin subscriber), or None: someone
    without an account, who gets the language of the page they wrote from
    (`page_language`, e.g. get_language() in the request). Every email's
    caller asks here, so the rule lives in one place.
    """
    if person is None:
        chosen = ""
    elif isinstance(person, AbstractBaseUser):
        chosen = preferences_of(person).email_language if person.pk else ""
    else:
        chosen = person.email_language
    if chosen in Language.values:
        return chosen
    if person is None and page_language:
        return Language.WELSH if page_language.lower().startswith("cy") else Language.ENGLISH
    return ""
