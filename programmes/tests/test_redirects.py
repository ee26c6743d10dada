"""safe_next: a return address is followed only when it stays on this site."""

import pytest
from django.test import RequestFactory

from programmes.redirects import safe_next

OFFSITE = ["/\\evil.example", "//evil.example", "https://evil.example/", "javascript:alert(1)", "\\\\evil.example"]


@pytest.mark.parametrize("target", OFFSITE)
def test_safe_next_offsite_post_gives_fallback(target):
    request = RequestFactory().post("/account/plan/add/1/", {"next": target})

    assert safe_next(request, "/account/") == "/account/"


@pytest.mark.parametrize("target", OFFSITE)
def test_safe_next_offsite_get_gives_fallback(target):
    request = RequestFactory().get("/events/booking/1/cancel/", {"next": target})

    assert safe_next(request, "/account/") == "/account/"


def test_safe_next_local_path_is_followed():
    request = RequestFactory().post("/account/plan/add/1/", {"next": "/offers/?theme=maths#results"})

    assert safe_next(request, "/account/") == "/offers/?theme=maths#results"


def test_safe_next_post_wins_over_get():
    request = RequestFactory().post("/x/?next=/events/", {"next": "/offers/"})

    assert safe_next(request, "/account/") == "/offers/"


def test_safe_next_missing_gives_fallback():
    assert safe_next(RequestFactory().post("/x/"), "/account/") == "/account/"


def test_safe_next_own_host_over_plain_http_refused_on_https_request():
    request = RequestFactory().get("/x/", {"next": "http://testserver/offers/"}, secure=True)

    assert safe_next(request, "/account/") == "/account/"


def test_safe_next_own_host_absolute_url_followed():
    request = RequestFactory().get("/x/", {"next": "http://testserver/offers/"})

    assert safe_next(request, "/account/") == "http://testserver/offers/"


@pytest.mark.parametrize("target", ["-1", "home", "99999999999999999999", "offers"])
def test_safe_next_bare_word_gives_fallback_not_a_view_lookup(target):
    # redirect() would look a bare word up as a view name and fail (NoReverseMatch, a 500).
    request = RequestFactory().post("/account/plan/add/1/", {"next": target})

    assert safe_next(request, "/account/") == "/account/"
