"""Content text in the page's language, and in which language it really is.

Texts registered in each app's translation.py have an English and a Welsh
version. A Welsh page shows the Welsh one; where there is none yet it shows
the English text, which the page marks lang="en" (screen readers then read it
in English) and notes quietly that a Welsh version is not available yet: the
Welsh Language Standards ask that nothing is blank and nothing pretends.

Templates use ``{{ offer|translated:"title" }}`` with ``lang_attribute`` and
``{% welsh_missing_note offer %}`` (templatetags/translated.py); the Jinja2
card uses the same functions as globals (brokerage/jinja2_env.py).
"""

import functools

from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from modeltranslation.translator import NotRegistered, translator

ENGLISH, WELSH = "en-gb", "cy"
# Shown (on Welsh pages only) beside content that has no Welsh version yet.
WELSH_MISSING_NOTICE = gettext_lazy("A Welsh version is not available yet.")
# The lang attribute each version is marked with when it differs from the page's.
HTML_LANG = {ENGLISH: "en", WELSH: "cy"}


def page_language():
    """The active language as one of the content's: Welsh, or English for anything else."""
    return content_language(get_language())


@functools.lru_cache(maxsize=256)
def _column(field, language):
    """modeltranslation's column of a version ("title", "en-gb" -> "title_en_gb"), kept (a card asks ~8)."""
    return f"{field}_{language.replace('-', '_')}"


class ShownText:
    """A text as a page shows it: the text, and the language it is in when that is not the page's.

    A plain class with slots, not a dataclass: a card makes about eight of them.
    """

    __slots__ = ("text", "foreign_language")

    def __init__(self, text, foreign_language=""):
        self.text = text
        self.foreign_language = foreign_language  # "en" on a Welsh page showing English, else ""

    def __str__(self):
        return self.text

    def __repr__(self):
        return f"ShownText({self.text!r}, {self.foreign_language!r})"

    def __eq__(self, other):
        if not isinstance(other, ShownText):
            return NotImplemented
        return (self.text, self.foreign_language) == (other.text, other.foreign_language)

    def __hash__(self):
        return hash((self.text, self.foreign_language))

    def __bool__(self):
        return bool(self.text)

    @property
    def lang_attribute(self):
        """` lang="en"` to put in the element holding the text when it is not in the page's language, else ""."""
        return format_html(' lang="{}"', self.foreign_language) if self.foreign_language else ""

    @property
    def is_fallback(self):
        return bool(self.foreign_language)


def translated(obj, field, language=None):
    """obj's `field` in the page's language (or `language`), else in the other one (marked), else ""."""
    return translated_versions(
        getattr(obj, _column(field, ENGLISH), None), getattr(obj, _column(field, WELSH), None), language
    )


def translated_versions(english, welsh, language=None):
    """A text's version in the page's language (or `language`), else the other one (marked), else "".

    translated() reads the two versions from an object; a values_list row passes them in.
    """
    if (language or page_language()) == WELSH:
        own, other, other_language = welsh, english, ENGLISH
    else:
        own, other, other_language = english, welsh, WELSH
    if own:
        return ShownText(own)
    if other:
        return ShownText(other, HTML_LANG[other_language])
    return ShownText("")


def _translated_fields(obj):
    try:
        return translator.get_options_for_model(type(obj)).get_field_names()
    except NotRegistered:
        return []


def welsh_missing(obj, fields=None, language=None):
    """True on a Welsh page when any of obj's texts (or of `fields`) is shown in English for want of Welsh."""
    if (language or page_language()) != WELSH or obj is None:
        return False
    return any(translated(obj, field, WELSH).is_fallback for field in fields or _translated_fields(obj))


def content_language(language):
    """The content's language (Welsh or English) for a page language such as "cy" or "en-gb"."""
    return WELSH if (language or "").startswith(WELSH) else ENGLISH


def lacks_welsh(obj, fields=None):
    """True when one of obj's texts has English but no Welsh version, whatever the page's language."""
    return any(
        getattr(obj, _column(field, ENGLISH), None) and not getattr(obj, _column(field, WELSH), None)
        for field in fields or _translated_fields(obj)
    )


def shown_order(field):
    """An expression ordering rows by `field` as the page shows it (Welsh, else English, on a Welsh page).

    modeltranslation rewrites order_by("title") to the page language's column alone,
    which puts every offer without a Welsh title at one end of a Welsh A to Z.
    """
    english = F(_column(field, ENGLISH))
    if page_language() != WELSH:
        return english
    # modeltranslation makes a field class per column, so Django cannot tell the type: say it.
    text = CharField()
    return Coalesce(NullIf(F(_column(field, WELSH)), Value(""), output_field=text), english, output_field=text)
