"""The language an offer is delivered in: the catalogue's facet, the card and offer page, search and the admin.

The facet's counts are also checked by hand against the offers in
test_catalogue_list.py::test_facet_counts_equal_counting_the_offers_by_hand.
"""

import pytest

from programmes.models import Offer
from tests_support import factories

pytestmark = pytest.mark.django_db
URL = "/offers/"


@pytest.fixture
def offers(db):
    maths = factories.ThemeFactory(name="Maths and numeracy", slug="maths")
    reading = factories.ThemeFactory(name="Reading", slug="reading")
    return {
        "welsh_maths": factories.OfferFactory(
            title="Mathemateg yn y cyfnod sylfaen", slug="welsh-maths", themes=[maths], delivery_language="cy",
        ),
        "bilingual_maths": factories.OfferFactory(
            title="Maths coaching, both languages", slug="bilingual-maths", themes=[maths], delivery_language="bilingual",
        ),
        "english_maths": factories.OfferFactory(
            title="Maths coaching for teachers", slug="english-maths", themes=[maths], delivery_language="en",
            audiences=[factories.AudienceFactory(name="Teachers", slug="teachers")],
        ),
        "welsh_reading": factories.OfferFactory(
            title="Darllen gyda'n gilydd", slug="welsh-reading", themes=[reading], delivery_language="cy",
        ),
    }


def _slugs(response):
    return sorted(offer.slug for offer in response.context["offers"])


def _counts(response):
    return {option["value"]: option["count"] for option in response.context["facets"]["language"]}


def test_catalogue_filters_and_counts_by_language_of_delivery(client, offers):
    response = client.get(URL, {"language": "cy"})

    assert _slugs(response) == ["welsh-maths", "welsh-reading"]
    assert _counts(response) == {"cy": 2, "bilingual": 1, "en": 1}
    both = client.get(URL, {"language": ["cy", "bilingual"], "theme": "maths"})
    assert _slugs(both) == ["bilingual-maths", "welsh-maths"]
    assert _counts(both) == {"cy": 1, "bilingual": 1, "en": 1}


def test_facet_panel_names_the_languages_welsh_first_in_english_and_in_welsh(client, offers):
    english = client.get(URL).content.decode()
    assert "Language of delivery" in english
    assert english.index("Welsh-medium") < english.index("Bilingual") < english.index("English-medium")

    welsh = client.get("/cy" + URL).content.decode()
    assert "Iaith y ddarpariaeth" in welsh
    assert welsh.index("Cyfrwng Cymraeg") < welsh.index("Dwyieithog") < welsh.index("Cyfrwng Saesneg")


def _card(page, title):
    """The text of the card whose title is title (cards are <article> elements)."""
    start = page.index(title)
    return page[page.rindex("<article", 0, start):page.index("</article>", start)]


def test_card_tags_welsh_medium_and_bilingual_offers_not_english_ones(client, offers):
    page = client.get(URL).content.decode()

    assert "Welsh-medium" in _card(page, "Mathemateg yn y cyfnod sylfaen")
    assert "Bilingual" in _card(page, "Maths coaching, both languages")
    english_card = _card(page, "Maths coaching for teachers")
    assert "offer-language" not in english_card and "medium" not in english_card

    welsh = client.get("/cy" + URL).content.decode()
    assert "Cyfrwng Cymraeg" in _card(welsh, "Mathemateg yn y cyfnod sylfaen")
    assert "Dwyieithog" in _card(welsh, "Maths coaching, both languages")


def test_offer_page_says_the_language_of_delivery_in_both_languages(client, offers):
    page = client.get(offers["welsh_maths"].get_absolute_url()).content.decode()
    assert "Language of delivery" in page and "Welsh (Cymraeg)" in page

    english = client.get(offers["english_maths"].get_absolute_url()).content.decode()
    assert "Language of delivery" in english and "Welsh (Cymraeg)" not in english

    welsh = client.get("/cy" + offers["bilingual_maths"].get_absolute_url()).content.decode()
    assert "Iaith y ddarpariaeth" in welsh and "Dwyieithog: Cymraeg a Saesneg" in welsh


@pytest.mark.parametrize("q", ["welsh medium maths", "Welsh-medium maths", "maths cyfrwng Cymraeg"])
def test_search_for_welsh_medium_maths_finds_the_welsh_delivered_maths_offer(client, offers, q):
    # "welsh medium maths" was among the searches that found nothing (issue 17).
    assert _slugs(client.get(URL, {"q": q})) == ["welsh-maths"]


def test_search_for_welsh_medium_alone_finds_every_welsh_delivered_offer(client, offers):
    assert _slugs(client.get(URL, {"q": "Welsh-medium"})) == ["welsh-maths", "welsh-reading"]


def test_search_for_bilingual_finds_bilingual_offers_and_offers_saying_bilingual(client, offers):
    says_it = factories.OfferFactory(slug="says-bilingual", summary="Writing bilingual letters to families.")
    assert _slugs(client.get(URL, {"q": "bilingual"})) == ["bilingual-maths", says_it.slug]
    assert _slugs(client.get(URL, {"q": "dwyieithog"})) == ["bilingual-maths"]


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "CY", "welsh", "' OR 1=1 --", ""])
def test_unknown_language_in_the_address_drops_the_filter_not_an_error(client, offers, value):
    response = client.get(URL, {"language": value})

    assert response.status_code == 200
    assert _slugs(response) == sorted(offer.slug for offer in offers.values())
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_admin_lists_by_language_and_saves_a_change_of_language(client, coordinator, offers):
    client.force_login(coordinator)
    listed = client.get("/admin/programmes/offer/", {"delivery_language__exact": "cy"})
    assert sorted(o.slug for o in listed.context["cl"].result_list) == ["welsh-maths", "welsh-reading"]

    offer = offers["english_maths"]
    form = client.get(f"/admin/programmes/offer/{offer.pk}/change/").context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)
    data["delivery_language"] = "bilingual"

    response = client.post(f"/admin/programmes/offer/{offer.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Offer.objects.get(pk=offer.pk).delivery_language == "bilingual"
