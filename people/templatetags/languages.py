from django import template
from django.utils.translation import get_language

from ..languages import link_in_language, other_language, url_in_language

register = template.Library()


@register.inclusion_tag("people/_language_switch.html", takes_context=True)
def language_switch(context):
    """A link to this very page (its offer, filters and page of results) in the other language."""
    request = context.get("request")
    language = other_language(get_language())
    if request is None:  # the 500 page has no request: no switch rather than a wrong one
        return {"url": None}
    return {"url": url_in_language(request.get_full_path(), language), "language": language}


@register.filter
def in_reading_language(url):
    """A site link built before rendering (`link`, `confirm_url`...) in the language being rendered.

    An email in Welsh, or the Welsh half of a bilingual one, links to the Welsh page.
    """
    return link_in_language(str(url), get_language())
