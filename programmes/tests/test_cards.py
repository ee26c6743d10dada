"""The offer card: what a person sees on it, escaped, with and without a provider contact's plan button."""

import datetime as dt
import re
from html import unescape
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from programmes.cards import CARD_TEMPLATE, offer_card
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
    assert "Last checked by Ann O'Hara & Co on 5 January 2026" in unescape(html) and "O'Hara & Co" not in html
    assert "offer-stale" not in html and "Add to CPD plan" not in html


def test_card_marks_overdue_and_also_offered_but_never_a_viewers_reasons(offer):
    other = factories.OfferFactory()
    # Why it suits a provider is per viewer: shown beside the card, never in it (cards are kept per offer).
    offer.review_overdue, offer.rank_reasons, offer.also_offered = True, ["In your region (Devon)"], [other]
    html = offer_card(offer)

    assert "Not checked for over 6 months" in html
    assert "In your region" not in html
    assert other.get_absolute_url() in html and f"Also offered by" in html and other.programme.plain_name in html


def test_plan_button_posts_with_the_token_and_comes_back(offer):
    offer.plan_add_url = reverse("account:plan_add", args=[offer.pk])
    html = offer_card(offer, plan_form=("the-token", '/offers/?q="x"&page=2'))
    assert f'action="{reverse("account:plan_add", args=[offer.pk])}"' in html
    assert 'value="the-token"' in html
    # The address to come back to survives quotes and ampersands (escaped in the attribute).
    assert unescape(re.search(r'name="next" value="([^"]*)"', html).group(1)) == '/offers/?q="x"&page=2'

    offer.in_plan = True
    in_plan = offer_card(offer, plan_form=("the-token", "/offers/"))
    assert "In your CPD plan" in in_plan and "<form" not in in_plan


def test_a_designer_changes_the_card_in_its_template_alone(client):
    """Nothing but the template changes: the catalogue page shows the new card."""
    factories.OfferFactory(title="Teaching <b>fractions</b>")
    import jinja2
    from django.conf import settings

    loader = jinja2.ChoiceLoader([
        jinja2.DictLoader({CARD_TEMPLATE: '<p class="new-card">NEW LOOK {{ offer.title }}</p>'}),
        jinja2.FileSystemLoader(str(settings.TEMPLATES[1]["DIRS"][0])),
    ])
    jinja = settings.TEMPLATES[1]
    templates = [settings.TEMPLATES[0], {**jinja, "OPTIONS": {**jinja["OPTIONS"], "loader": loader}}]
    with override_settings(TEMPLATES=templates):
        page = client.get(reverse("catalogue:offer_list")).content.decode()
    assert "NEW LOOK Teaching &lt;b&gt;fractions&lt;/b&gt;" in page


def test_card_text_can_be_translated():
    """The card's engine translates its marked words (jinja2.ext.i18n) and counts with Welsh plurals;
    a filled-in placeholder is escaped like any other value."""
    from django.template import engines
    from django.utils import translation

    source = '{{ _("Any time") }} | {{ _("Last checked on %(day)s")|format(day="<b>") }} | {{ offers_counted(2) }}'
    with translation.override("cy"):
        welsh = engines["jinja2"].from_string(source).render({})
    with translation.override("en-gb"):
        english = engines["jinja2"].from_string(source).render({})
    assert welsh == "Unrhyw bryd | Gwiriwyd ddiwethaf ar &lt;b&gt; | 2 gynnig"
    assert english == "Any time | Last checked on &lt;b&gt; | 2 offers"


def test_facet_panel_is_a_template_a_designer_can_change(client):
    factories.OfferFactory(title="Anything")
    page = client.get(reverse("catalogue:offer_list") + "?cost=paid").content.decode()
    assert "<legend" in page and "Cost" in page and "Accreditation" in page and "Who can take it up" in page

    import jinja2
    from django.conf import settings

    panel = "{% for facet in facet_panel %}<h3>FACET {{ facet.label }}</h3>{% endfor %}"
    loader = jinja2.ChoiceLoader([
        jinja2.DictLoader({"catalogue/facet_panel.jinja": panel}),
        jinja2.FileSystemLoader(str(settings.TEMPLATES[1]["DIRS"][0])),
    ])
    jinja = settings.TEMPLATES[1]
    templates = [settings.TEMPLATES[0], {**jinja, "OPTIONS": {**jinja["OPTIONS"], "loader": loader}}]
    with override_settings(TEMPLATES=templates):
        page = client.get(reverse("catalogue:offer_list") + "?cost=free").content.decode()
    assert "<h3>FACET Cost</h3>" in page and "<h3>FACET Who can take it up</h3>" in page and "<legend" not in page


def test_facet_panel_escapes_labels(client):
    factories.ThemeFactory(name="Maths <b>& numeracy</b>", slug="maths-b")
    factories.OfferFactory(title="Anything")
    page = client.get(reverse("catalogue:offer_list") + "?cost=paid").content.decode()
    assert "Maths &lt;b&gt;&amp; numeracy&lt;/b&gt;" in page and "<b>& numeracy" not in page


def test_card_links_follow_the_pages_language(client):
    """The card's addresses are reversed once per page of cards: in the language of that page."""
    offer = factories.OfferFactory(title="Anything")
    english = client.get("/offers/").content.decode()
    welsh = client.get("/cy/offers/").content.decode()
    assert f'href="/offers/{offer.slug}/"' in english and f'href="/programmes/{offer.programme.slug}/"' in english
    assert f'href="/cy/offers/{offer.slug}/"' in welsh and f'href="/cy/programmes/{offer.programme.slug}/"' in welsh
