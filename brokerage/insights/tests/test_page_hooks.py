"""The catalogue pages record their signal with one extra query at most, and only once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brokerage.insights.choices import SignalKind
from brokerage.insights.models import Signal
from tests_support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    region = factories.RegionFactory(slug="south-west", name="South West")
    maths = factories.ThemeFactory(slug="maths", name="Maths")
    teachers = factories.AudienceFactory(slug="teachers", name="Teachers")
    offer = factories.OfferFactory(
        title="Teaching fractions with confidence", slug="fractions", themes=[maths], audiences=[teachers],
        regions=[region],
    )
    return {"region": region, "maths": maths, "teachers": teachers, "offer": offer}


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def delta(client, monkeypatch, hook, url, **params):
    """Queries of the page with its hook, minus without it (after a warm-up request)."""
    queries(client, url, **params)
    with monkeypatch.context() as patched:
        patched.setattr(hook, lambda *args, **kwargs: [])
        without = queries(client, url, **params)
    return queries(client, url, **params) - without


def test_catalogue_search_adds_one_query_and_records_once(client, monkeypatch, catalogue):
    added = delta(client, monkeypatch, "brokerage.catalogue.views.record_catalogue_search", "/offers/", q="fractions",
                  theme="maths", region="south-west")

    assert added == 1
    signals = Signal.objects.filter(kind=SignalKind.SEARCH)
    # Warm-up and measured request each recorded one signal; the hook-less one none.
    assert signals.filter(is_primary=True).count() == 2
    assert set(signals.values_list("theme_id", "region_id", "words", "result_count")) == {
        (catalogue["maths"].pk, catalogue["region"].pk, "fractions", 1)
    }


def test_catalogue_zero_result_search_recorded_with_its_words(client, catalogue):
    client.get("/offers/", {"q": "welsh medium"})

    assert list(Signal.objects.values_list("kind", "words", "result_count", "theme_id")) == [
        (SignalKind.SEARCH, "welsh medium", 0, None)
    ]


def test_catalogue_plain_listing_records_nothing(client, catalogue):
    client.get("/offers/")

    assert Signal.objects.count() == 0


TYPING = {"HX-Request": "true", "X-Search-Typing": "1"}  # static/js/catalogue.js, on an "input" event


def test_catalogue_search_while_typing_records_nothing(client, catalogue):
    for words in ("fra", "fract", "fractions"):
        response = client.get("/offers/", {"q": words}, headers=TYPING)
        assert response.status_code == 200

    assert Signal.objects.count() == 0
    assert "Teaching fractions with confidence" in response.content.decode()


def test_catalogue_search_committed_through_htmx_records_its_words_once(client, catalogue):
    # Typing first (the live refresh), then Enter or leaving the box: same address, no typing header.
    typed = client.get("/offers/", {"q": "fractions"}, headers=TYPING)
    committed = client.get("/offers/", {"q": "fractions"}, headers={"HX-Request": "true"})

    # The page is the same either way (and may come from the page cache the typing request filled).
    assert committed.content == typed.content
    assert list(Signal.objects.values_list("kind", "words", "result_count")) == [(SignalKind.SEARCH, "fractions", 1)]


def test_catalogue_search_sent_again_at_once_is_recorded_once(client, catalogue):
    # Enter in the box fires "change" then "submit": catalogue.js marks the second as a repeat.
    client.get("/offers/", {"q": "fractions"}, headers={"HX-Request": "true"})
    client.get("/offers/", {"q": "fractions"}, headers={"HX-Request": "true", "X-Search-Repeat": "1"})

    assert list(Signal.objects.values_list("words", flat=True)) == ["fractions"]


def test_catalogue_search_while_typing_saves_the_signal_query(client, catalogue):
    def count(headers):
        with CaptureQueriesContext(connection) as ctx:
            client.get("/offers/", {"q": "fractions"}, headers=headers)
        return len(ctx.captured_queries)

    count({"HX-Request": "true"})  # warm-up: the results are cached from here on
    typing, committed = count(TYPING), count({"HX-Request": "true"})

    assert committed - typing == 1  # the INSERT of the one signal


def test_offer_page_adds_one_query_and_records_theme_audience_region(client, monkeypatch, catalogue):
    added = delta(client, monkeypatch, "brokerage.catalogue.views.record_offer_signal", "/offers/fractions/")

    assert added == 1
    assert set(Signal.objects.values_list("kind", "theme_id", "audience_id", "region_id", "offer_id")) == {
        (SignalKind.OFFER_VIEW, catalogue["maths"].pk, catalogue["teachers"].pk, catalogue["region"].pk,
         catalogue["offer"].pk)
    }
    assert Signal.objects.count() == 2


def test_offer_page_for_provider_uses_their_region_without_extra_query(client, monkeypatch, catalogue):
    contact = factories.ProviderContactFactory()
    client.force_login(contact.user)

    added = delta(client, monkeypatch, "brokerage.catalogue.views.record_offer_signal", "/offers/fractions/")

    assert added == 1
    assert set(Signal.objects.values_list("region_id", flat=True)) == {contact.organisation.region_id}
