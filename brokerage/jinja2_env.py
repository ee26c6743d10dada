"""The Jinja2 environment of Django's Jinja2 backend (settings.TEMPLATES, templates/jinja2/).

The hot fragments (the offer card, the facet panel) are Jinja2 templates; what
they need of Django is installed here once: the translation callables (the
``jinja2.ext.i18n`` extension's ``_()``, through Django's active language), the
filters the card uses, Django's own ``date`` and ``floatformat`` and the
glossary's ``acronyms``, ``offers_counted(n)`` for plural counts, and the
content helpers ``translated()`` and ``welsh_missing()``.

Strings are marked ``{{ _("...") }}``, with placeholders filled by
``|format(name=...)``: the one form Django's makemessages reads in a .jinja
file (brokerage/management/commands/makemessages.py reads them). Hence
old-style gettext: newstyle's ``_("...%(name)s", name=...)`` is not
extracted. Autoescape escapes the formatted string as a whole, so a
translation holds no markup. A batch of cards passes its own ``_`` for its
language (programmes.cards), so that each card need not ask for it.
"""

import datetime as dt
import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import date, floatformat
from django.utils.translation import get_language, ngettext
from jinja2 import Environment, pass_context

from programmes.templatetags.glossary import acronyms
from programmes.translated_text import WELSH_MISSING_NOTICE, translated, welsh_missing
from programmes.words import gettext_in


@functools.lru_cache(maxsize=4096)
def _formatted_day(day, format, language):
    return date(day, format)


@pass_context
def date_filter(context, value, format=None):
    """Django's ``date`` filter; a day (not a moment) is formatted once per format and language,
    as cards show the same few hundred days over and over (formatting was a sixth of a card).
    A card batch puts its language in the context (``language``) rather than have each date ask for it."""
    if type(value) is dt.date:
        return _formatted_day(value, format, context.get("language") or get_language())
    return date(value, format)


def kept_gettext(message):
    """``_()`` of the Jinja2 templates: gettext_in() of the active language."""
    return gettext_in(get_language())(message)


@receiver(setting_changed)
def _forget_translations(setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _offers_counted.cache_clear()
        _formatted_day.cache_clear()


@functools.lru_cache(maxsize=1024)
def _offers_counted(count, language):
    return ngettext("%(count)s offer", "%(count)s offers", count) % {"count": count}


def offers_counted(count):
    """ "1 offer", "2 offers" in the active language's plural forms (Welsh has four), for the facet panel's counts."""
    return _offers_counted(count, get_language())


def offers_counted_in(language):
    """offers_counted() for a language asked once: the facet panel counts about fifty options."""
    return lambda count: _offers_counted(count, language)


class DictKeysFirstEnvironment(Environment):
    """``a.b`` reads a dict's key before an attribute, as Django's templates do.

    Jinja2 tries the attribute first, and a dict's missing attribute costs a
    raised and caught exception: the facet panel reads about fifty options'
    dicts four times each on every computed page.
    """

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment(**options):
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    env = DictKeysFirstEnvironment(**options)
    env.install_gettext_callables(kept_gettext, ngettext, newstyle=False)
    # _() straight to the kept gettext: the extension's alias looks "gettext" up in the context on every call.
    env.globals["_"] = kept_gettext
    env.filters.update({"date": date_filter, "floatformat": floatformat, "acronyms": acronyms})
    # Content in the page's language, English marked where Welsh is missing (programmes.translated_text).
    env.globals.update(
        {"translated": translated, "welsh_missing": welsh_missing, "welsh_missing_notice": WELSH_MISSING_NOTICE}
    )
    env.globals["offers_counted"] = offers_counted
    return env
