"""English pages keep their addresses; the same pages answer in Welsh under /cy/."""

import pytest
from django.test import override_settings
from django.urls import resolve, reverse
from django.utils import translation

from tests_support import factories

pytestmark = pytest.mark.django_db

# A sample of the public addresses bookmarks, bulletins and emails already carry.
ENGLISH_PATHS = [
    ("/", "home"),
    ("/offers/", "catalogue:offer_list"),
    ("/offers/feed/", None),
    ("/events/", None),
    ("/events/calendar.ics", None),
    ("/glossary/", None),
    ("/programmes/", None),
    ("/network/", None),
    ("/bulletins/", None),
    ("/bulletins/subscribe/", None),
    ("/accounts/login/", "login"),
    ("/accounts/signup/", "signup"),
    ("/privacy/", None),
    ("/account/", None),
    ("/workspace/", None),
    ("/insights/", None),
    ("/admin/", "admin:index"),
]


@pytest.mark.parametrize("path,name", ENGLISH_PATHS)
def test_english_address_resolves_unprefixed_and_in_welsh(path, name):
    english = resolve(path)
    with translation.override("cy"):  # as LocaleMiddleware does for a /cy/ request
        welsh = resolve("/cy" + path)
    assert welsh.func == english.func
    assert welsh.view_name == english.view_name
    if name:
        assert english.view_name == name
        assert reverse(name) == path
        with translation.override("cy"):
            assert reverse(name) == "/cy" + path


def test_english_reverse_has_no_prefix_by_default():
    assert reverse("home") == "/"
    assert reverse("login") == "/accounts/login/"


@pytest.mark.parametrize("path", ["/offers/", "/glossary/", "/events/", "/privacy/", "/"])
def test_english_page_answers_in_english(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en-gb"


def test_english_page_ignores_browser_language_and_cookie(client):
    """The address decides: a Welsh browser or cookie on an English address still gets English."""
    client.cookies["django_language"] = "cy"
    response = client.get("/glossary/", HTTP_ACCEPT_LANGUAGE="cy")
    assert response.headers["Content-Language"] == "en-gb"


@pytest.mark.parametrize("path", ["/cy/", "/cy/offers/", "/cy/glossary/", "/cy/events/", "/cy/privacy/"])
def test_welsh_page_answers_in_welsh(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "cy"


def test_health_check_has_no_welsh_twin(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/cy/healthz").status_code == 404


def test_calendar_feed_answers_both_ways(client):
    factories.JointEventFactory()
    english, welsh = client.get("/events/calendar.ics"), client.get("/cy/events/calendar.ics")
    assert english.status_code == welsh.status_code == 200
    assert english["Content-Type"].startswith("text/calendar")
    assert welsh["Content-Type"].startswith("text/calendar")


@override_settings(WHITENOISE_AUTOREFRESH=True)
def test_static_files_stay_unprefixed(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200


def test_welsh_offer_keeps_its_slug(client):
    offer = factories.OfferFactory()
    english = client.get(f"/offers/{offer.slug}/")
    welsh = client.get(f"/cy/offers/{offer.slug}/")
    assert english.status_code == welsh.status_code == 200

