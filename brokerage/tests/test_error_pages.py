"""Error pages in the site's layout, saying what happened and where to go next; signed-in pages not stored."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from brokerage.error_views import server_error
from tests_support import factories

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def test_404_page_in_the_site_layout_with_ways_on(client):
    response = client.get("/no-such-page/")

    page = text(response)
    assert response.status_code == 404
    assert "<h1 class=\"mb-3\">Page not found</h1>" in page
    assert "Skip to main content" in page  # the site's layout
    assert 'href="/offers/"' in page and 'href="/events/"' in page
    assert "Resolver404" not in page


def test_404_page_says_the_views_reason(client):
    response = client.get("/offers/no-such-offer/")

    assert response.status_code == 404
    assert "<p>No such offer</p>" in text(response)


def test_403_page_with_the_views_reason_leaves_out_the_roles(client, provider_contact):
    event = factories.JointEventFactory()
    client.force_login(provider_contact.user)

    response = client.get(reverse("events:evaluation", args=[event.slug]))

    page = text(response)
    assert response.status_code == 403
    assert f"You cannot evaluate {event.title}: the account you are signed in with had no booking at it." in page
    assert "This page is for people with a different role" not in page


def test_403_page_says_why_and_who_is_signed_in(client, provider_contact):
    client.force_login(provider_contact.user)

    response = client.get("/workspace/")

    page = text(response)
    assert response.status_code == 403
    assert "You cannot open this page" in page
    assert "The workspace is for regional workers." in page
    assert f"You are signed in as {provider_contact.user.get_full_name()}" in page


def test_400_page_for_a_request_that_cannot_be_read(client):
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "The address or form could not be read" in text(response)


def test_500_page_needs_no_database_and_keeps_the_layout(django_assert_num_queries):
    request = RequestFactory().get("/offers/")

    with django_assert_num_queries(0):
        response = server_error(request)

    page = text(response)
    assert response.status_code == 500
    assert "Sorry, something went wrong on our side" in page
    assert "South West CPD Brokerage" in page  # the site's name, without context processors
    assert 'href="/offers/"' in page


def test_500_handler_answers_an_exception_with_the_page(settings):
    client = Client(raise_request_exception=False)

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("brokerage.views.render", broken)
        response = client.get("/")

    assert response.status_code == 500
    assert "Sorry, something went wrong on our side" in text(response)
    assert "database gone" not in text(response)


def test_csrf_failure_page_explains_and_mentions_cookies():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("bulletins:subscribe"), {"email": "a@example.org"})

    page = text(response)
    assert response.status_code == 403
    assert "Your form had expired" in page
    assert "allow cookies for this site" in page  # no CSRF cookie was sent
    assert "Skip to main content" in page


def test_signed_in_pages_are_private_and_not_stored(client, provider_contact):
    client.force_login(provider_contact.user)

    response = client.get("/account/")

    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_anonymous_pages_are_not_marked_private(client):
    response = client.get("/glossary/")

    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")
    assert "no-store" not in response.get("Cache-Control", "")
