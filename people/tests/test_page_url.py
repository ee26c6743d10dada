"""{% page_url %}: the address of a page without arguments, kept per language, script prefix and URLconf."""

from django.template import engines
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import translation

TEMPLATE = engines["django"].from_string('{% load languages %}{% page_url "privacy:cookies" %}|{% url "privacy:cookies" %}')


def rendered(language):
    with translation.override(language):
        kept, reversed_now = TEMPLATE.render({}).split("|")
    return kept, reversed_now


def test_page_url_is_the_address_url_gives_in_each_language():
    english, welsh = rendered("en-gb"), rendered("cy")
    assert english[0] == english[1] and not english[0].startswith("/cy/")
    assert welsh[0] == welsh[1] and welsh[0].startswith("/cy/")
    assert rendered("en-gb") == english  # asked again, from what was kept


def test_page_url_follows_the_script_prefix():
    set_script_prefix("/portal/")
    try:
        kept, reversed_now = rendered("cy")
    finally:
        clear_script_prefix()
    assert kept == reversed_now and kept.startswith("/portal/cy/")
