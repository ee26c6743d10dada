"""The home page's "Search N offers" is the catalogue's own count."""

import re

import pytest

from programmes.selectors import published_offers
from tests_support import factories

pytestmark = pytest.mark.django_db


def home_count(client):
    return int(re.search(r"Search (\d+) offers", client.get("/").content.decode()).group(1))


def catalogue_count(client):
    return int(re.search(r"(\d+) offers?\b", client.get("/offers/").content.decode().split('id="results-count"')[1]).group(1))


@pytest.fixture
def twin(catalogue):
    """An offer marked as the same thing as "a": the catalogue shows the two on one card."""
    offer = factories.OfferFactory(title="Maths coaching (the other programme)", slug="maths-coaching-twin")
    offer.same_as.add(catalogue["a"])
    return offer


def test_home_offer_count_with_past_and_same_as_offers_matches_the_catalogue(client, catalogue, twin):
    # Published: a, b, c, the past conference and the twin; listed: a (with its twin), b, c.
    assert published_offers().count() == 5

    home, listed = home_count(client), catalogue_count(client)

    assert (home, listed) == (3, 3)


def test_home_offer_count_follows_a_newly_published_offer(client, catalogue):
    before = home_count(client)

    factories.OfferFactory(title="New reading circle", slug="reading-circle")

    assert (before, home_count(client), catalogue_count(client)) == (3, 4, 4)
