"""Names and titles around the main content: on a Welsh page, English shown for want of Welsh is read as English.

The bulletin's title, an offer's "builds on" and "leads to" lists, the fair
page's region, priorities and programme names (and the screen-reader words of
its buttons), the network directory and the programme pages. Each is read as
a screen reader takes it: the language in force where the text stands.
"""

import re

import pytest

from brokerage.models import BulletinStatus
from events.booking import booking_create
from tests_support import factories
from tests_support.clock import TEST_NOW
from tests_support.html_language import languages_of, main_of

pytestmark = pytest.mark.django_db



def test_bulletin_title_and_introduction_without_welsh_are_read_in_english(client):
    bulletin = factories.BulletinFactory(
        title="November bulletin", introduction="New offers for the spring term.",
        status=BulletinStatus.SENT, sent_at=TEST_NOW,
    )
    main = main_of(client, f"/cy/bulletins/{bulletin.slug}/")
    assert languages_of(main, "November bulletin") == ["en", "en"]  # the breadcrumb and the heading
    assert languages_of(main, "New offers for the spring term.") == ["en"]


def test_bulletin_title_and_introduction_in_welsh_are_read_in_welsh(client):
    bulletin = factories.BulletinFactory(
        title="November bulletin", title_cy="Bwletin Tachwedd",
        introduction="New offers.", introduction_cy="Cynigion newydd.",
        status=BulletinStatus.SENT, sent_at=TEST_NOW,
    )
    main = main_of(client, f"/cy/bulletins/{bulletin.slug}/")
    assert languages_of(main, "Bwletin Tachwedd") == ["cy", "cy"]
    assert languages_of(main, "Cynigion newydd.") == ["cy"]
    assert "November bulletin" not in main
    assert 'lang="en"' not in main


@pytest.mark.parametrize("welsh", [False, True], ids=["English only", "with Welsh"])
def test_bulletin_items_are_read_in_the_language_they_are_shown_in(client, welsh):
    cy = (lambda text: text) if welsh else (lambda text: None)
    theme = factories.ThemeFactory(name="Numeracy", name_cy=cy("Rhifedd"))
    programme = factories.ProgrammeFactory(plain_name="Maths hub", plain_name_cy=cy("Hyb mathemateg") or "")
    offer = factories.OfferFactory(
        programme=programme, themes=[theme], title="Maths basics", title_cy=cy("Hanfodion mathemateg") or "",
        summary="Fractions and decimals.", summary_cy=cy("Ffracsiynau a degolion.") or "",
    )
    bulletin = factories.BulletinFactory(title_cy="Bwletin", status=BulletinStatus.SENT, sent_at=TEST_NOW)
    factories.BulletinItemFactory(bulletin=bulletin, offer=offer)
    main = main_of(client, f"/cy/bulletins/{bulletin.slug}/")
    texts = ["Numeracy", "Maths hub", "Maths basics", "Fractions and decimals."]
    if welsh:
        texts = ["Rhifedd", "Hyb mathemateg", "Hanfodion mathemateg", "Ffracsiynau a degolion."]
    assert [languages_of(main, text) for text in texts] == [["cy" if welsh else "en"]] * 4


@pytest.fixture
def pathway():
    """An offer with one offer before it and one after, in English only or with Welsh titles and names."""

    def make(welsh):
        cy = (lambda text: f"{text} (cy)") if welsh else (lambda text: "")
        programme = factories.ProgrammeFactory(plain_name="Maths hub", plain_name_cy=cy("Hyb mathemateg"))
        first = factories.OfferFactory(programme=programme, title="Maths basics", title_cy=cy("Hanfodion mathemateg"))
        offer = factories.OfferFactory(title="Mastery", title_cy="Meistrolaeth")  # its own texts are tested elsewhere
        later = factories.OfferFactory(programme=programme, title="Maths leaders", title_cy=cy("Arweinwyr mathemateg"))
        offer.builds_on.set([first])
        later.builds_on.set([offer])
        return offer

    return make


def pathway_section(main):
    """The "How it fits with other offers" part of an offer page's main region."""
    opening = re.search(r"<html[^>]*>", main).group()
    return opening + main.split('class="row g-3 pathway"', 1)[1].split("text-secondary-emphasis mt-4", 1)[0] + "</html>"


def test_offer_pathway_without_welsh_is_read_in_english(client, pathway):
    main = pathway_section(main_of(client, f"/cy/offers/{pathway(welsh=False).slug}/"))
    assert languages_of(main, "Maths basics") == ["en"]
    assert languages_of(main, "Maths leaders") == ["en"]
    assert languages_of(main, "Maths hub") == ["en", "en"]  # beside each of the two offers


def test_offer_pathway_in_welsh_is_read_in_welsh(client, pathway):
    main = pathway_section(main_of(client, f"/cy/offers/{pathway(welsh=True).slug}/"))
    assert languages_of(main, "Hanfodion mathemateg") == ["cy"]
    assert languages_of(main, "Arweinwyr mathemateg") == ["cy"]
    assert languages_of(main, "Hyb mathemateg") == ["cy", "cy"]
    assert "Maths basics" not in main
    assert 'lang="en"' not in main


@pytest.fixture
def provider_client(client):
    """A provider contact signed in: the fair page offers them its slots and waiting lists."""
    client.force_login(factories.ProviderContactFactory().user)
    return client


def fair_with_a_surgery(*, welsh):
    cy = (lambda text: text) if welsh else (lambda text: None)
    event = factories.JointEventFactory(
        title="Learning fair", title_cy="Ffair ddysgu", summary_cy="Crynodeb.", venue_cy="Canolfan",
        region=factories.RegionFactory(name="South West", name_cy=cy("De Orllewin")),
    )
    surgery = factories.SurgeryFactory(event=event, title="Maths support", title_cy=cy("Cymorth mathemateg") or "")
    surgery.themes.set([factories.ThemeFactory(name="Numeracy", name_cy=cy("Rhifedd"))])
    programme = factories.ProgrammeFactory(plain_name="Maths hub", plain_name_cy=cy("Hyb mathemateg") or "")
    surgery.programmes.set([programme])
    factories.SlotFactory(surgery=surgery)
    return event


def test_fair_page_names_without_welsh_are_read_in_english(provider_client):
    main = main_of(provider_client, f"/cy/events/{fair_with_a_surgery(welsh=False).slug}/")
    assert languages_of(main, "South West") == ["en"]
    assert languages_of(main, "Numeracy") == ["en", "en"]  # the priority filter, and the surgery's priorities
    assert languages_of(main, "Maths hub") == ["en"]
    # The surgery's heading, and its slot button's words for screen readers ("…, book Maths support").
    assert languages_of(main, "Maths support") == ["en", "en"]


def test_fair_page_names_in_welsh_are_read_in_welsh(provider_client):
    main = main_of(provider_client, f"/cy/events/{fair_with_a_surgery(welsh=True).slug}/")
    assert languages_of(main, "De Orllewin") == ["cy"]
    assert languages_of(main, "Rhifedd") == ["cy", "cy"]
    assert languages_of(main, "Hyb mathemateg") == ["cy"]
    assert languages_of(main, "Cymorth mathemateg") == ["cy", "cy"]
    assert "South West" not in main and "Numeracy" not in main
    assert 'lang="en"' not in main


def test_fair_page_in_english_marks_nothing(provider_client):
    main = main_of(provider_client, f"/events/{fair_with_a_surgery(welsh=True).slug}/")
    assert languages_of(main, "Numeracy") == ["en-GB", "en-GB"]
    assert languages_of(main, "Maths support") == ["en-GB", "en-GB"]
    assert " lang=" not in main.split(">", 1)[1]


def test_the_waiting_list_button_reads_an_english_surgery_title_in_english(provider_client):
    event = factories.JointEventFactory(title_cy="Ffair ddysgu")
    surgery = factories.SurgeryFactory(event=event, title="Maths support")
    booking_create(user=factories.ProviderContactFactory().user, slot_id=factories.SlotFactory(surgery=surgery).pk)
    main = main_of(provider_client, f"/cy/events/{event.slug}/")
    assert "Ymuno â'r rhestr aros" in main
    assert languages_of(main, "Maths support") == ["en", "en"]  # the heading, and "… for Maths support"


def people_of(main):
    """The directory's list of people (its filter form is left aside)."""
    opening = re.search(r"<html[^>]*>", main).group()
    return opening + main.split('role="status"', 1)[1] + "</html>"


@pytest.fixture
def worker():
    def make(welsh):
        cy = (lambda text: text) if welsh else (lambda text: None)
        programme = factories.ProgrammeFactory(plain_name="Maths hub", plain_name_cy=cy("Hyb mathemateg") or "")
        person = factories.RegionalWorkerFactory(
            user=factories.UserFactory(first_name="Siân", last_name="Owen"),
            programmes=[programme], regions=[factories.RegionFactory(name="South West", name_cy=cy("De Orllewin"))],
        )
        person.themes.set([factories.ThemeFactory(name="Numeracy", name_cy=cy("Rhifedd"))])
        programme.themes.set(person.themes.all())
        return person

    return make


def test_network_and_programme_pages_read_names_without_welsh_in_english(client, worker):
    person = worker(welsh=False)
    programme = person.programmes.get()
    assert languages_of(people_of(main_of(client, "/cy/network/")), "South West") == ["en"]
    detail = main_of(client, f"/cy/network/{person.slug}/")
    assert languages_of(detail, "South West") == ["en"]
    assert languages_of(detail, "Numeracy") == ["en"]
    assert languages_of(detail, "Maths hub") == ["en"]
    assert languages_of(main_of(client, f"/cy/programmes/{programme.slug}/"), "South West") == ["en"]
    assert languages_of(main_of(client, "/cy/programmes/"), "Numeracy") == ["en"]


def test_network_and_programme_pages_read_welsh_names_in_welsh(client, worker):
    person = worker(welsh=True)
    programme = person.programmes.get()
    pages = {
        "list": people_of(main_of(client, "/cy/network/")),
        "detail": main_of(client, f"/cy/network/{person.slug}/"),
        "programme": main_of(client, f"/cy/programmes/{programme.slug}/"),
        "programmes": main_of(client, "/cy/programmes/"),
    }
    assert languages_of(pages["list"], "De Orllewin") == ["cy"]
    assert languages_of(pages["detail"], "De Orllewin") == ["cy"]
    assert languages_of(pages["detail"], "Rhifedd") == ["cy"]
    assert languages_of(pages["detail"], "Hyb mathemateg") == ["cy"]
    assert languages_of(pages["programme"], "De Orllewin") == ["cy"]
    assert languages_of(pages["programmes"], "Rhifedd") == ["cy"]
    for name, main in pages.items():
        assert "South West" not in main and "Numeracy" not in main, name
