import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
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


@functools.lru_cache(maxsize=512)
def _page_address(name, language, script_prefix, urlconf):
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def page_url(name):
    """{% page_url "privacy:cookies" %}: {% url %} for a page without arguments, reversed once per language.

    Every page's frame links to about thirty such pages; reversing each on every
    request (with the language prefix) was a tenth of a catalogue page's time.
    The key holds all reverse() depends on: the name, language, script prefix and URLconf.
    """
    return _page_address(name, get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
