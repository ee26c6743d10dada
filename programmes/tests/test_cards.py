"""The offer card, built in Python: what it shows, escaped, with and without a provider contact's plan button."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from programmes.cards import offer_card
from tests_support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer():
    reviewer = factories.RegionalWorkerFactory(user__first_name="Ann", user__last_name="O'Hara & Co")
    return factories.OfferFactory(
        title="Teaching <fractions>", summary="Support for ESOL learners", is_rolling=False,
        starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 4), cost="paid", price=Decimal("12.50"),
        accredited=True, level="Level 3", last_reviewed_by=reviewer, last_reviewed_on=dt.date(2026, 1, 5),
    )


def test_card_shows_what_a_provider_needs(offer):
    factories.GlossaryTermFactory(acronym="ESOL", meaning="English for speakers of other languages")
    html = offer_card(offer)

    assert "Teaching &lt;fractions&gt;" in html and "<fractions>" not in html
    assert f'href="{offer.get_absolute_url()}"' in html and offer.programme.plain_name in html
    assert "2 Mar 2026 to 4 Mar 2026" in html
    assert "£12.50 per person" in html and "Accredited (Level 3)" in html
    assert '<abbr title="English for speakers of other languages">ESOL</abbr>' in html
    assert "Last checked by Ann O&#x27;Hara &amp; Co on 5 January 2026" in html
    assert "offer-stale" not in html and "Add to CPD plan" not in html


def test_card_marks_overdue_matches_and_also_offered(offer):
    other = factories.OfferFactory()
    offer.review_overdue, offer.matches, offer.also_offered = True, ["Maths & English"], [other]
    html = offer_card(offer)

    assert "offer-stale" in html and "Not checked for over 6 months" in html
    assert "Matches your priorities:</span> Maths &amp; English" in html
    assert f'Also offered by <a href="{other.get_absolute_url()}">{other.programme.plain_name}</a>' in html


def test_plan_button_posts_with_the_token_and_comes_back(offer):
    html = offer_card(offer, plan_form=("the-token", '/offers/?q="x"&page=2'))
    assert f'action="{reverse("account:plan_add", args=[offer.pk])}"' in html
    assert 'name="csrfmiddlewaretoken" value="the-token"' in html
    assert 'name="next" value="/offers/?q=&quot;x&quot;&amp;page=2"' in html

    offer.in_plan = True
    in_plan = offer_card(offer, plan_form=("the-token", "/offers/"))
    assert "In your CPD plan" in in_plan and "<form" not in in_plan
