"""The language switch goes to the same page in the other language, query and all."""

import re

import pytest

from tests_support import factories

pytestmark = pytest.mark.django_db


def switch_link(html):
    """(href, lang, hreflang, text) of the language switch."""
    match = re.search(r'<a class="language-switch" href="([^"]*)" lang="([^"]*)" hreflang="([^"]*)">([^<]*)</a>', html)
    assert match, "no language switch on the page"
    return match.groups()


def test_switch_on_filtered_english_catalogue_keeps_the_query(client):
    html = client.get("/offers/?theme=x&page=2").content.decode()
    assert switch_link(html) == ("/cy/offers/?theme=x&amp;page=2", "cy", "cy", "Cymraeg")


def test_switch_on_welsh_catalogue_goes_back_to_the_english_address(client):
    html = client.get("/cy/offers/?theme=x&page=2").content.decode()
    assert switch_link(html) == ("/offers/?theme=x&amp;page=2", "en-GB", "en-GB", "English")


def test_switch_on_an_offer_goes_to_the_same_offer(client):
    offer = factories.OfferFactory()
    html = client.get(f"/offers/{offer.slug}/").content.decode()
    assert switch_link(html)[0] == f"/cy/offers/{offer.slug}/"


def test_switch_on_home_pages(client):
    assert switch_link(client.get("/").content.decode())[0] == "/cy/"
    assert switch_link(client.get("/cy/").content.decode())[0] == "/"


def test_switch_on_a_missing_page_goes_to_the_same_address(client):
    response = client.get("/no-such-page/?a=1")
    assert response.status_code == 404
    assert switch_link(response.content.decode())[0] == "/cy/no-such-page/?a=1"


def test_switch_keeps_a_repeated_and_encoded_query(client):
    html = client.get("/offers/?q=ysgol+gymraeg&theme=a&theme=b").content.decode()
    assert switch_link(html)[0] == "/cy/offers/?q=ysgol+gymraeg&amp;theme=a&amp;theme=b"


@pytest.mark.parametrize("path,lang", [("/", "en-GB"), ("/glossary/", "en-GB"), ("/cy/", "cy"), ("/cy/glossary/", "cy")])
def test_html_lang_is_the_page_language(client, path, lang):
    assert f'<html lang="{lang}">' in client.get(path).content.decode()



@pytest.mark.parametrize(
    "url,language,expected",
    [
        ("//evil.example/x?a=1", "cy", "/cy/evil.example/x?a=1"),
        ("///evil.example/", "cy", "/cy/evil.example/"),
        ("/cy//evil.example/x", "en-gb", "/evil.example/x"),
        ("/cy/%5Cevil.example/", "en-gb", "/%5Cevil.example/"),
        ("/offers/?next=//evil.example/", "cy", "/cy/offers/?next=//evil.example/"),
    ],
)
def test_switch_never_links_to_another_site(url, language, expected):
    """Whatever the address (a path written as //host/ is a link to that host), the switch stays here."""
    from django.utils import translation

    from people.languages import url_in_language

    with translation.override("cy" if url.startswith("/cy/") else "en-gb"):
        assert url_in_language(url, language) == expected


def test_switch_on_a_welsh_double_slash_address_stays_here(client):
    response = client.get("/cy//evil.example/x")
    assert switch_link(response.content.decode())[0] == "/evil.example/x"


SITE = "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    "url,language,expected",
    [
        # A signed token, a query and a fragment come through whole; so does a path no view answers.
        (f"{SITE}/accounts/confirm/eyJ1Ijo1fQ:1vQx2a:Zm9v-_bar/", "cy",
         f"{SITE}/cy/accounts/confirm/eyJ1Ijo1fQ:1vQx2a:Zm9v-_bar/"),
        (f"{SITE}/admin/providers/membership/?status__exact=pending", "cy",
         f"{SITE}/cy/admin/providers/membership/?status__exact=pending"),
        (f"{SITE}/events/fair/#surgery-3", "cy", f"{SITE}/cy/events/fair/#surgery-3"),
        (f"{SITE}/no/such/page/", "cy", f"{SITE}/cy/no/such/page/"),
        (SITE, "cy", f"{SITE}/cy/"),
        ("/insights/", "cy", "/cy/insights/"),
        # Welsh links made on a Welsh page go to an English reader without the prefix.
        (f"{SITE}/cy/account/", "en-gb", f"{SITE}/account/"),
        # English addresses stay exactly as they were; Welsh ones for a Welsh reader too.
        (SITE, "en-gb", SITE),
        (f"{SITE}/account/", "en-gb", f"{SITE}/account/"),
        (f"{SITE}/cy/account/", "cy", f"{SITE}/cy/account/"),
        # Another site's address is not ours to change.
        ("https://evil.example/account/", "cy", "https://evil.example/account/"),
        (f"{SITE}.evil.example/account/", "cy", f"{SITE}.evil.example/account/"),
        ("//evil.example/account/", "cy", "//evil.example/account/"),
        ("mailto:hello@example.org", "cy", "mailto:hello@example.org"),
    ],
)
def test_link_in_language_moves_only_our_links_between_languages(url, language, expected, settings):
    from django.utils import translation

    from people.languages import link_in_language

    settings.SITE_URL = SITE
    with translation.override(language):  # as while an email is rendered
        assert link_in_language(url, language) == expected
