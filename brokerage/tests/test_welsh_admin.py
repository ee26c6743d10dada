"""Coordinators edit content in English and Welsh on the same admin page."""

import re

import pytest

from programmes.models import GlossaryTerm
from tests_support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, coordinator):
    client.force_login(coordinator)
    return client


def input_names(page):
    return set(re.findall(r'<(?:input|textarea)[^>]*name="([\w-]+)"', page))


def test_offer_change_form_shows_english_and_welsh(staff):
    offer = factories.OfferFactory(title="Maths coaching", title_cy="Hyfforddi mathemateg")
    page = staff.get(f"/admin/programmes/offer/{offer.pk}/change/").content.decode()
    assert {"title_en_gb", "title_cy", "summary_en_gb", "summary_cy", "description_en_gb", "description_cy"} <= input_names(page)
    assert 'value="Maths coaching"' in page and 'value="Hyfforddi mathemateg"' in page


def test_event_change_form_shows_both_for_the_event_and_its_surgeries(staff):
    event = factories.JointEventFactory()
    factories.SurgeryFactory(event=event)
    page = staff.get(f"/admin/events/jointevent/{event.pk}/change/").content.decode()
    names = input_names(page)
    assert {"title_en_gb", "title_cy", "venue_en_gb", "venue_cy"} <= names
    assert {"surgeries-0-title_en_gb", "surgeries-0-title_cy"} <= names


@pytest.mark.parametrize("path", [
    "/admin/programmes/programme/add/", "/admin/programmes/theme/add/", "/admin/programmes/audience/add/",
    "/admin/programmes/region/add/", "/admin/programmes/glossaryterm/add/", "/admin/events/surgery/add/",
    "/admin/brokerage/bulletin/add/",
])
def test_content_add_forms_have_a_welsh_field(staff, path):
    response = staff.get(path)
    assert response.status_code == 200
    assert any(name.endswith("_cy") for name in input_names(response.content.decode()))


def test_coordinator_adds_a_glossary_term_with_its_welsh_acronym(staff):
    response = staff.post("/admin/programmes/glossaryterm/add/", {
        "acronym_en_gb": "ALN", "acronym_cy": "ADY", "slug": "aln", "meaning_en_gb": "Additional learning needs",
        "meaning_cy": "Anghenion dysgu ychwanegol", "explanation_en_gb": "", "explanation_cy": "",
    })
    assert response.status_code == 302
    term = GlossaryTerm.objects.get(slug="aln")
    assert (term.acronym_en_gb, term.acronym_cy, term.meaning_cy) == ("ALN", "ADY", "Anghenion dysgu ychwanegol")


def test_two_glossary_terms_without_welsh_acronym_both_save(staff):
    """An empty Welsh acronym is stored as nothing, so the unique Welsh column takes many of them."""
    for acronym in ("FE", "HE"):
        response = staff.post("/admin/programmes/glossaryterm/add/", {
            "acronym_en_gb": acronym, "acronym_cy": "", "slug": acronym.lower(), "meaning_en_gb": "Education",
            "meaning_cy": "", "explanation_en_gb": "", "explanation_cy": "",
        })
        assert response.status_code == 302
    assert list(GlossaryTerm.objects.order_by("slug").values_list("acronym_cy", flat=True)) == [None, None]
