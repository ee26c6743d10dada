"""The Jinja2 environment of Django's Jinja2 backend (settings.TEMPLATES, templates/jinja2/).

The hot fragments (the offer card, the facet panel) are Jinja2 templates; what
they need of Django is installed here once: the translation callables (the
``jinja2.ext.i18n`` extension's ``{% trans %}``, ``_()``, ``gettext()`` and
``ngettext()``, through Django's active language), and the filters the card
uses, Django's own ``date`` and ``floatformat`` and the glossary's ``acronyms``,
and the content helpers ``translated()`` and ``welsh_missing()``.
"""

import datetime as dt
import functools

from django.template.defaultfilters import date, floatformat
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import Environment

from programmes.templatetags.glossary import acronyms
from programmes.translated_text import WELSH_MISSING_NOTICE, translated, welsh_missing


@functools.lru_cache(maxsize=4096)
def _formatted_day(day, format, language):
    return date(day, format)


def date_filter(value, format=None):
    """Django's ``date`` filter; a day (not a moment) is formatted once per format and language,
    as cards show the same few hundred days over and over (formatting was a sixth of a card)."""
    if type(value) is dt.date:
        return _formatted_day(value, format, get_language())
    return date(value, format)


def environment(**options):
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    env = Environment(**options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.filters.update({"date": date_filter, "floatformat": floatformat, "acronyms": acronyms})
    # Content in the page's language, English marked where Welsh is missing (programmes.translated_text).
    env.globals.update(
        {"translated": translated, "welsh_missing": welsh_missing, "welsh_missing_notice": WELSH_MISSING_NOTICE}
    )
    return env
