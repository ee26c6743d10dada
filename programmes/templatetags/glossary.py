"""`{{ text|acronyms }}`: wrap every acronym the glossary knows in <abbr title="meaning">."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from programmes.cache import cached
from programmes.search import glossary_pairs

register = template.Library()


def _pattern():
    def build():
        pairs = glossary_pairs()
        if not pairs:
            return None
        alternatives = "|".join(re.escape(acronym) for acronym, _ in pairs)
        # Case-sensitive: "ESOL" is an acronym, "esol" inside a word is not.
        return re.compile(r"(?<![\w-])(" + alternatives + r")(?![\w-])")

    # Per language, as glossary_pairs: a Welsh page marks the Welsh acronyms.
    return cached(f"glossary-pattern:{get_language()}", build)


@register.filter(needs_autoescape=True)
def acronyms(text, autoescape=True):
    if text is None:
        return ""
    escaped = conditional_escape(text) if autoescape else str(text)
    pattern = _pattern()
    if pattern is None:
        return mark_safe(escaped)
    meanings = dict(glossary_pairs())

    def wrap(match):
        acronym = match.group(1)
        return format_html('<abbr title="{}">{}</abbr>', meanings[acronym], acronym)

    return mark_safe(pattern.sub(wrap, str(escaped)))
