"""Content in both languages: a Welsh page shows the Welsh version, else the English one marked lang="en" with a note.

The note (Welsh for "a Welsh version is not available yet") appears only where
the English stands in; nothing is ever blank.
"""

import pytest

from brokerage.models import BulletinStatus
from programmes.models import Offer
from tests_support import factories
from tests_support.clock import TEST_NOW
from tests_support.html_language import languages_of
from tests_support.welsh import visible_text

pytestmark = pytest.mark.django_db

NOTE = "Nid oes fersiwn Gymraeg ar gael eto"


def page_of(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def welsh_offer():
    programme = factories.ProgrammeFactory(plain_name="Professional learning", plain_name_cy="Dysgu proffesiynol")
    return factories.OfferFactory(
        programme=programme,
        title="Planning for additional learning needs",
        title_cy="Cynllunio ar gyfer anghenion dysgu ychwanegol",
        summary="Whole-school planning for learners with ALN.",
        summary_cy="Cynllunio ysgol gyfan ar gyfer dysgwyr ag ADY.",
        description="Three twilight sessions.",
        description_cy="Tair sesiwn gyda'r hwyr.",
    )


@pytest.fixture
def english_only_offer():
    return factories.OfferFactory(
        title="Mastery in mathematics", summary="Teaching for mastery in primary schools.", description="Six days."
    )


def test_card_on_welsh_catalogue_shows_welsh_text_in_welsh(client, welsh_offer):
    page = page_of(client, "/cy/offers/")
    assert languages_of(page, "Cynllunio ar gyfer anghenion dysgu ychwanegol") == ["cy"]
    assert languages_of(page, "Cynllunio ysgol gyfan") == ["cy"]
    assert languages_of(page, "Dysgu proffesiynol") == ["cy"]
    assert "Planning for additional learning needs" not in page
    assert NOTE not in page


def test_card_on_welsh_catalogue_marks_english_text_and_notes_it(client, english_only_offer):
    page = page_of(client, "/cy/offers/")
    assert languages_of(page, "Mastery in mathematics") == ["en"]
    assert languages_of(page, "Teaching for mastery in primary schools.") == ["en"]
    assert page.count(NOTE) == 1


def test_card_on_english_catalogue_is_english_without_note(client, welsh_offer):
    page = page_of(client, "/offers/")
    assert languages_of(page, "Planning for additional learning needs") == ["en-GB"]
    assert "Cynllunio" not in page
    assert "Welsh version" not in page


def test_offer_page_in_welsh_shows_welsh_text(client, welsh_offer):
    page = page_of(client, f"/cy/offers/{welsh_offer.slug}/")
    assert "cy" in languages_of(page, "Cynllunio ar gyfer anghenion dysgu ychwanegol")
    assert languages_of(page, "Tair sesiwn gyda'r hwyr.") == ["cy"]
    assert "Three twilight sessions." not in page
    assert NOTE not in page


def test_offer_page_in_welsh_falls_back_to_marked_english(client, english_only_offer):
    page = page_of(client, f"/cy/offers/{english_only_offer.slug}/")
    assert languages_of(page, "Teaching for mastery in primary schools.") == ["en"]
    assert languages_of(page, "Six days.") == ["en"]
    assert "en" in languages_of(page, "Mastery in mathematics")
    assert page.count(NOTE) == 1


def test_offer_page_notes_a_missing_welsh_description(client):
    offer = factories.OfferFactory(title="Coaching", title_cy="Hyfforddi", summary_cy="Crynodeb.", description="Long.")
    page = page_of(client, f"/cy/offers/{offer.slug}/")
    assert languages_of(page, "Crynodeb.") == ["cy"]
    assert languages_of(page, "Long.") == ["en"]
    assert NOTE in page


def test_glossary_in_welsh_shows_welsh_acronyms_and_marks_english_ones(client):
    factories.GlossaryTermFactory(
        acronym="ALN", acronym_cy="ADY", meaning="Additional learning needs", meaning_cy="Anghenion dysgu ychwanegol"
    )
    factories.GlossaryTermFactory(acronym="ESOL", meaning="English for speakers of other languages")
    page = page_of(client, "/cy/glossary/")
    assert languages_of(page, "ADY") == ["cy", "cy"]  # the term, and its "Offers about ADY" link
    assert languages_of(page, "Anghenion dysgu ychwanegol") == ["cy"]
    assert ">ALN<" not in page
    assert languages_of(page, "English for speakers of other languages") == ["en"]
    assert page.count(NOTE) == 1


def test_fair_page_in_welsh_shows_welsh_event_and_marks_english_surgery(client):
    event = factories.JointEventFactory(
        title="Learning fair", title_cy="Ffair ddysgu", summary_cy="Cwrdd â'r gweithwyr rhanbarthol.",
        venue_cy="Canolfan y Celfyddydau",
    )
    factories.SurgeryFactory(event=event, title="Maths support", description="Bring your plan.")
    page = page_of(client, f"/cy/events/{event.slug}/")
    assert "cy" in languages_of(page, "Ffair ddysgu")
    assert languages_of(page, "Cwrdd â'r gweithwyr rhanbarthol.") == ["cy"]
    assert languages_of(page, "Canolfan y Celfyddydau") == ["cy"]
    assert languages_of(page, "Maths support") == ["en"]
    assert languages_of(page, "Bring your plan.") == ["en"]
    assert page.count(NOTE) == 1  # for the surgery only: the event is all in Welsh


def test_programme_page_in_welsh_marks_english_name(client):
    programme = factories.ProgrammeFactory(plain_name="Leadership development", summary="For new heads.")
    page = page_of(client, f"/cy/programmes/{programme.slug}/")
    assert "en" in languages_of(page, "Leadership development")
    assert languages_of(page, "For new heads.") == ["en"]
    assert NOTE in page


def test_english_search_still_finds_an_offer_edited_in_welsh(client):
    """The original `title` column holds the language last saved in; the English search reads the English one."""
    from django.utils import translation

    offer = factories.OfferFactory(title="Orienteering for teachers", summary="Map reading outdoors.")
    with translation.override("cy"):
        offer.title = "Cyfeiriannu i athrawon"
        offer.save()
    offer.refresh_from_db()
    assert (offer.title_en_gb, offer.title_cy) == ("Orienteering for teachers", "Cyfeiriannu i athrawon")
    page = page_of(client, "/offers/?q=orienteering")
    assert languages_of(page, "Orienteering for teachers") == ["en-GB"]


# Language of parts beyond the headings and cards: the breadcrumb, where an offer
# runs, and a programme's official name. Read on their own, so None is the page's
# language (Welsh) and "en" an English text marked as such.


def breadcrumb(page):
    return page.split('class="breadcrumb', 1)[1].split("</nav>", 1)[0]


def test_breadcrumbs_on_welsh_pages_mark_english_content(client, english_only_offer):
    event = factories.JointEventFactory(title="Learning fair")
    bulletin = factories.BulletinFactory(title="November bulletin", status=BulletinStatus.SENT, sent_at=TEST_NOW)
    programme_name = english_only_offer.programme.plain_name

    crumbs = breadcrumb(page_of(client, f"/cy/offers/{english_only_offer.slug}/"))
    assert languages_of(crumbs, "Mastery in mathematics") == ["en"]
    assert languages_of(crumbs, programme_name) == ["en"]
    programme_page = page_of(client, f"/cy/programmes/{english_only_offer.programme.slug}/")
    assert languages_of(breadcrumb(programme_page), programme_name) == ["en"]
    assert languages_of(breadcrumb(page_of(client, f"/cy/events/{event.slug}/")), "Learning fair") == ["en"]
    assert languages_of(breadcrumb(page_of(client, f"/cy/bulletins/{bulletin.slug}/")), "November bulletin") == ["en"]


def test_breadcrumbs_on_welsh_pages_leave_welsh_content_in_welsh(client, welsh_offer):
    event = factories.JointEventFactory(title="Learning fair", title_cy="Ffair ddysgu")

    page = page_of(client, f"/cy/offers/{welsh_offer.slug}/")
    crumbs = breadcrumb(page)
    assert languages_of(crumbs, "Cynllunio ar gyfer anghenion dysgu ychwanegol") == [None]
    assert languages_of(crumbs, "Dysgu proffesiynol") == [None]
    assert 'lang="en"' not in crumbs
    assert 'lang="en"' not in breadcrumb(page_of(client, f"/cy/programmes/{welsh_offer.programme.slug}/"))
    assert languages_of(breadcrumb(page_of(client, f"/cy/events/{event.slug}/")), "Ffair ddysgu") == [None]


@pytest.fixture
def offer_also_elsewhere(english_only_offer):
    """An offer the same as two others: one national, one in a region with no Welsh name and one with one."""
    factories.OfferFactory(programme=factories.ProgrammeFactory(plain_name="Maths hub"), is_national=True)
    factories.OfferFactory(
        programme=factories.ProgrammeFactory(plain_name="Science hub", plain_name_cy="Hyb gwyddoniaeth"),
        regions=[factories.RegionFactory(name="South West"), factories.RegionFactory(name="North", name_cy="Gogledd")],
    )
    english_only_offer.same_as.set(Offer.objects.exclude(pk=english_only_offer.pk))
    english_only_offer.regions.set(
        [factories.RegionFactory(name="Devon"), factories.RegionFactory(name="Gwent", name_cy="Gwent Gymraeg")]
    )
    return english_only_offer


def also_offered(page, offer):
    """The "also offered by" line of `offer`'s card, or of its page."""
    card = page.split(f'aria-labelledby="offer-{offer.pk}-title"', 1)[-1]
    return card.split('also-offered">', 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize("path", ["/cy/offers/{slug}/", "/cy/offers/"], ids=["offer page", "card"])
def test_where_an_offer_also_runs_reads_in_welsh_with_english_names_marked(client, offer_also_elsewhere, path):
    line = also_offered(page_of(client, path.format(slug=offer_also_elsewhere.slug)), offer_also_elsewhere)
    assert "every region" not in line
    assert languages_of(line, "pob rhanbarth") == [None]
    assert languages_of(line, "South West") == ["en"]
    assert languages_of(line, "Gogledd") == [None]
    assert languages_of(line, "Maths hub") == ["en"]
    assert languages_of(line, "Hyb gwyddoniaeth") == [None]


def test_where_an_offer_also_runs_reads_in_english_on_english_pages(client, offer_also_elsewhere):
    for path in (f"/offers/{offer_also_elsewhere.slug}/", "/offers/"):
        line = also_offered(page_of(client, path), offer_also_elsewhere)
        assert "Maths hub (every region); Science hub (North, South West)" in visible_text(line)
        assert "lang=" not in line
    # The English card just rendered is kept for English pages only.
    assert "pob rhanbarth" in also_offered(page_of(client, "/cy/offers/"), offer_also_elsewhere)


def test_offer_page_marks_the_regions_with_no_welsh_name(client, offer_also_elsewhere):
    page = page_of(client, f"/cy/offers/{offer_also_elsewhere.slug}/")
    assert languages_of(page, "Devon") == ["en"]
    assert languages_of(page, "Gwent Gymraeg") == ["cy"]


def test_programme_official_name_with_no_welsh_version_is_marked(client):
    programme = factories.ProgrammeFactory(
        plain_name="Maths hub", plain_name_cy="Hyb mathemateg", official_name="National Centre for Excellence"
    )
    page = page_of(client, f"/cy/programmes/{programme.slug}/")
    assert "Yn swyddogol:" in page
    assert languages_of(page, "National Centre for Excellence") == ["en"]
    assert languages_of(page, "Yn swyddogol:") == ["cy"]


def test_programme_official_name_in_welsh_is_not_marked(client):
    programme = factories.ProgrammeFactory(
        plain_name="Maths hub", plain_name_cy="Hyb mathemateg",
        official_name="National Centre for Excellence", official_name_cy="Y Ganolfan Genedlaethol ar gyfer Rhagoriaeth",
    )
    page = page_of(client, f"/cy/programmes/{programme.slug}/")
    assert languages_of(page, "Yn swyddogol:") == ["cy"]
    assert languages_of(page, "Y Ganolfan Genedlaethol ar gyfer Rhagoriaeth") == ["cy"]
    assert 'lang="en"' not in page.split("Yn swyddogol:", 1)[1].split("</p>", 1)[0]
