"""Content in the page's language, with English marked where Welsh is missing (programmes.translated_text).

    {% load translated %}
    {% with title=offer|translated:"title" %}<h1{{ title.lang_attribute }}>{{ title }}</h1>{% endwith %}
    {% welsh_missing_note offer %}
    {% blocktranslate with title=surgery|translated:"title"|marked %}for {{ title }}{% endblocktranslate %}
"""

from django import template
from django.utils.html import format_html

from programmes import translated_text

register = template.Library()


@register.filter
def translated(obj, field):
    return translated_text.translated(obj, field)


@register.filter
def welsh_missing(obj):
    return translated_text.welsh_missing(obj)


@register.filter
def marked(shown):
    """A ShownText to put inside a translated sentence: wrapped in a span with its lang when that is not the page's."""
    return format_html("<span{}>{}</span>", shown.lang_attribute, shown) if shown.is_fallback else str(shown)


@register.inclusion_tag("programmes/_welsh_missing_note.html")
def welsh_missing_note(obj, *fields):
    """The quiet "no Welsh version yet" line, on a Welsh page, when one of obj's texts (or `fields`) falls back."""
    return {"missing": translated_text.welsh_missing(obj, fields or None), "notice": translated_text.WELSH_MISSING_NOTICE}
