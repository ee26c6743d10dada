"""Translated words kept per language, for the hot Jinja2 fragments (the offer card, the facet panel).

Here rather than in brokerage.jinja2_env because the card's code (programmes.cards) uses it too, and
programmes may not import brokerage.
"""

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext, override


def site_name():
    """The portal's name in the active language: SITE_NAME_CY on a Welsh page or in a Welsh email."""
    return settings.SITE_NAME_CY if (get_language() or "").startswith("cy") else settings.SITE_NAME


# For contexts built before the language is known (an email's, the admin's titles): read when rendered.
SITE_NAME = lazy(site_name, str)()


@functools.lru_cache(maxsize=16)
def gettext_in(language):
    """Django's gettext for one language, keeping what it finds.

    A card marks a dozen strings: a message the catalogue lacks (any English
    page) walks Django's whole chain of fallback catalogues, and even asking
    for the active language costs as much as a card's date. A batch of cards
    (programmes.cards) asks once and passes this in as the card's ``_``.
    """
    kept = {}

    def translate(message):
        text = kept.get(message)
        if text is None:
            with override(language):
                text = kept[message] = gettext(message)
        return text

    return translate


@functools.lru_cache(maxsize=256)
def choice_label_in(choices, value, language):
    """A TextChoices value's label in a language, as get_FOO_display() gives it (the value itself if unknown)."""
    try:
        label = choices(value).label
    except ValueError:
        return value
    with override(language):
        return str(label)


_choice_lists = {}


def choices_in(choices, language):
    """[(value, label)] of fixed choices with each lazy label read in `language`, once per process.

    For lists built once at import (a facet's choices): the facet panel shows
    about fifty labels a page, and reading a lazy label translates it each time.
    """
    key = (id(choices), language)
    found = _choice_lists.get(key)
    if found is None:
        with override(language):
            found = _choice_lists[key] = [(value, str(label)) for value, label in choices]
    return found


@receiver(setting_changed)
def _forget_words(setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        gettext_in.cache_clear()
        choice_label_in.cache_clear()
        _choice_lists.clear()
