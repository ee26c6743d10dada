"""The catalogue, programme, network and bulletin pages answer in Welsh under /cy/, counts in Welsh plurals,
and the catalogue's caches never hand one language's cards or panel to the other."""

import datetime as dt
import functools
import re

import pytest

from brokerage.models import BulletinStatus
from programmes.choices import CostKind, OfferFormat
from tests_support import factories
from tests_support.clock import TEST_NOW
from tests_support.welsh import welsh_page as welsh_document

pytestmark = pytest.mark.django_db

welsh_page = functools.partial(welsh_document, status=200)


def results_count(page):
    return re.sub(r"\s+", " ", re.search(r'id="results-count">(.*?)</p>', page, re.S).group(1)).strip()


@pytest.fixture
def catalogue():
    maths = factories.ThemeFactory(name="Maths", slug="maths")
    teachers = factories.AudienceFactory(name="Teachers", slug="teachers")
    worker = factories.RegionalWorkerFactory()
    fractions = factories.OfferFactory(
        title="Teaching fractions", slug="teaching-fractions", themes=[maths], audiences=[teachers],
        format=OfferFormat.WORKSHOP, cost=CostKind.FREE, contact=worker, accredited=True, level="Level 3",
    )
    factories.OfferFactory(title="Leading a team", slug="leading-a-team", cost=CostKind.PAID, price=120,
                           format=OfferFormat.ONLINE, is_rolling=False,
                           starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 3))
    return fractions


def test_welsh_catalogue_speaks_welsh(client, catalogue):
    page = welsh_page(client.get("/cy/offers/"))
    assert "<h1 class=\"h2 fw-bold mb-1\">Dod o hyd i ddysgu proffesiynol</h1>" in page
    for legend in ["Blaenoriaeth", "Ar gyfer pwy", "Fformat", "Cost", "Achrediad", "Pwy all fanteisio arno"]:
        assert f'<legend class="h6 fw-semibold">{legend}</legend>' in page
    for option in ["Gweithdy", "Cwrs ar-lein", "Am ddim", "Â thâl", "Achrededig", "Ysgolion"]:
        assert f"<span>{option}</span>" in page
    assert ">Yn dechrau gyntaf</option>" in page
    assert "Hidlo&#x27;r cynigion" in page or "Hidlo'r cynigion" in page
    # The cards: words, Welsh months, Welsh links.
    assert "Unrhyw bryd" in page and "Achrededig (Level 3)" in page
    assert "£120 y pen" in page and "1 Rhag 2026 i 3 Rhag 2026" in page
    assert 'href="/cy/offers/teaching-fractions/"' in page
    for english in ["Find professional development", "Any time", "per person", "Who can take it up", "Sort by",
                    "Last checked", " offers)"]:
        assert english not in page


@pytest.mark.parametrize("count,welsh", [(1, "1 cynnig"), (2, "2 gynnig"), (3, "3 cynnig"), (8, "8 cynnig")])
def test_welsh_catalogue_counts_offers_in_welsh_plurals(client, count, welsh):
    factories.OfferFactory.create_batch(count, cost=CostKind.FREE)
    page = welsh_page(client.get("/cy/offers/"))
    assert results_count(page) == welsh
    # The facet panel's count as a screen reader hears it.
    assert f'id="c-cost-free"><span aria-hidden="true">{count}</span><span class="visually-hidden">({welsh})</span>' in page


def test_english_catalogue_counts_stay_english(client):
    factories.OfferFactory.create_batch(2, cost=CostKind.FREE)
    page = client.get("/offers/").content.decode()
    assert results_count(page) == "2 offers"
    assert '<span class="visually-hidden">(2 offers)</span>' in page


def test_welsh_catalogue_with_filters_and_a_search(client, catalogue):
    page = welsh_page(client.get("/cy/offers/?q=fractions&cost=free&format=workshop"))
    assert results_count(page) == "1 cynnig ar gyfer “fractions”"
    assert "2 wedi&#x27;u dewis" in page or "2 wedi'u dewis" in page
    assert 'aria-label="Hidlwyr ar waith"' in page
    assert "Clirio pob hidlydd" in page
    assert "Teaching fractions" in page and "Leading a team" not in page


def test_welsh_catalogue_finding_nothing(client, catalogue):
    page = welsh_page(client.get("/cy/offers/?q=zzzzqqq"))
    assert results_count(page).startswith("Dim cynigion ar gyfer “zzzzqqq”")
    assert "Does dim yn cyfateb i hynny i gyd" in page
    assert 'href="/cy/network/"' in page


def test_welsh_catalogue_partial_page_for_htmx(client, catalogue):
    response = client.get("/cy/offers/?cost=free", HTTP_HX_REQUEST="true")
    assert response.headers["Content-Language"] == "cy"
    page = response.content.decode()
    assert "<html" not in page  # the results and counts only
    assert results_count(page) == "1 cynnig"
    assert '<span class="visually-hidden">(1 cynnig)</span>' in page


def test_welsh_offer_page(client, catalogue):
    page = welsh_page(client.get("/cy/offers/teaching-fractions/"))
    for welsh in ["Yn gryno", "Ar gyfer pwy", "Pwy all fanteisio arno", "Cost a chyllid", "Achrediad",
                  "Holi am y cynnig hwn", "Eich cwestiwn", "Eich cyfeiriad e-bost", "Anfon eich cwestiwn",
                  "Gwiriwyd ddiwethaf ar", "Eich cyswllt"]:
        assert welsh in page
    assert f'href="/cy/network/{catalogue.contact.slug}/"' in page
    assert "At a glance" not in page and "Send your question" not in page


def test_welsh_enquiry_form_errors(client, catalogue):
    response = client.post("/cy/offers/teaching-fractions/", {"name": "Nia", "email": "nid-ebost", "message": "Hi"})
    page = welsh_page(response)
    assert "Rhowch gyfeiriad ebost dilys." in page
    assert "Ysgrifennwch eich cwestiwn mewn ychydig eiriau" in page


def test_welsh_enquiry_thanks(client, catalogue):
    response = client.post(
        "/cy/offers/teaching-fractions/",
        {"name": "Nia", "email": "nia@ysgol.example", "message": "A oes lle ym mis Mawrth?"},
        follow=True,
    )
    page = welsh_page(response)
    assert f"Diolch: mae eich cwestiwn wedi&#x27;i anfon. Bydd {catalogue.contact.name} yn eich ateb" in page


def test_welsh_programme_pages(client, catalogue):
    programme = catalogue.programme
    page = welsh_page(client.get("/cy/programmes/"))
    assert "Rhaglenni" in page and "1 cynnig cyfredol" in page
    page = welsh_page(client.get(f"/cy/programmes/{programme.slug}/"))
    assert "Cynigion cyfredol" in page and "Pobl i siarad â nhw" in page
    assert "Unrhyw bryd" in page  # the card
    assert 'href="/cy/offers/teaching-fractions/"' in page
    assert "Current offers" not in page


def test_welsh_network_pages(client, catalogue):
    worker = catalogue.contact
    page = welsh_page(client.get("/cy/network/"))
    assert "Gweithwyr rhanbarthol" in page and "Dangos pobl" in page and "Unrhyw raglen" in page
    assert "1 person." in page
    page = welsh_page(client.get("/cy/network/?q=nobody-at-all"))
    assert "Mae 0 o bobl yn cyfateb i'ch hidlwyr." in page
    page = welsh_page(client.get(f"/cy/network/{worker.slug}/"))
    assert "Sut i gysylltu â mi" in page and "Cynigion y gallwch ofyn i mi amdanynt" in page
    assert 'href="/cy/offers/teaching-fractions/"' in page


def test_welsh_bulletin_pages(client):
    bulletin = factories.BulletinFactory(title="Bwletin Tachwedd", status=BulletinStatus.SENT, sent_at=TEST_NOW)  # 18 November 2026
    page = welsh_page(client.get("/cy/bulletins/"))
    assert "Bwletin ar y cyd" in page and "Anfonwyd <time" in page and "Tachwedd 2026" in page
    page = welsh_page(client.get(f"/cy/bulletins/{bulletin.slug}/"))
    assert "Cael y bwletin nesaf drwy e-bost" in page and "Nid oedd dim eitemau yn y bwletin hwn." in page
    page = welsh_page(client.get("/cy/bulletins/subscribe/"))
    assert "Y themâu sy&#x27;n bwysig i chi" in page and "Anfonwch y ddolen gadarnhau ataf" in page


def test_welsh_bulletin_subscribe_errors(client):
    page = welsh_page(client.post("/cy/bulletins/subscribe/", {"email": "nid-ebost", "name": ""}))
    assert "Mae 2 wall isod i'w cywiro." in page
    assert "Rhowch gyfeiriad ebost dilys." in page
    assert "Mae angen y maes hwn." in page
    assert "Enter a valid email address" not in page


def test_welsh_bulletin_subscribe_and_unsubscribe_messages(client):
    page = welsh_page(client.post("/cy/bulletins/subscribe/", {"email": "nia@ysgol.example", "name": "Nia"}))
    assert "Edrychwch yn eich mewnflwch" in page and "Rydym wedi anfon dolen gadarnhau at nia@ysgol.example" in page
    subscriber = factories.SubscriberFactory()
    page = welsh_page(client.get(f"/cy/bulletins/unsubscribe/{subscriber.token}/"))
    assert "Dad-danysgrifio" in page
    page = welsh_page(client.post(f"/cy/bulletins/unsubscribe/{subscriber.token}/"))
    assert "Rydych wedi dad-danysgrifio" in page


def test_welsh_bulletin_bad_confirmation_link(client):
    response = client.get("/cy/bulletins/subscribe/confirm/not-a-token/")
    assert response.status_code == 400
    assert "Nid yw&#x27;r ddolen gadarnhau hon yn ddilys." in response.content.decode()


@pytest.mark.parametrize("first,second", [("/offers/", "/cy/offers/"), ("/cy/offers/", "/offers/")])
@pytest.mark.parametrize("query", ["", "?cost=free&q=fractions"])
def test_cached_cards_and_panel_keep_their_language(client, catalogue, first, second, query):
    """The page, card and panel caches are per language: whichever language is asked first, the other gets its own."""
    pages = {}
    for path in [first, second, first]:  # the third answer comes from the caches the first filled
        pages[path] = client.get(path + query).content.decode()
    english, welsh = pages["/offers/"], pages["/cy/offers/"]
    assert "Unrhyw bryd" in welsh and "Any time" not in welsh
    assert ">Fformat</legend>" in welsh and ">Format</legend>" not in welsh
    assert 'href="/cy/offers/teaching-fractions/"' in welsh
    assert "Any time" in english and "Unrhyw bryd" not in english
    assert ">Format</legend>" in english and "Fformat" not in english
    assert 'href="/offers/teaching-fractions/"' in english and "/cy/offers/teaching-fractions/" not in english


def test_cached_cards_keep_their_language_on_a_programme_page(client, catalogue):
    """Programme pages render cards too: after a Welsh catalogue, the English programme page is English."""
    welsh_page(client.get("/cy/offers/"))
    page = client.get(f"/programmes/{catalogue.programme.slug}/").content.decode()
    assert "Any time" in page and "Unrhyw bryd" not in page


def test_welsh_new_offers_feed(client, catalogue):
    feed = client.get("/cy/offers/feed/").content.decode()
    assert "<title>Cynigion dysgu proffesiynol newydd</title>" in feed
    assert 'xml:lang="cy"' in feed
    assert 'href="http://testserver/cy/offers/"' in feed
    english = client.get("/offers/feed/").content.decode()
    assert "<title>New professional development offers</title>" in english
    assert 'href="http://testserver/offers/"' in english


def test_vocabulary_names_are_kept_per_language(catalogue):
    """The facet panel's theme names are read once per language: an English page never reuses a Welsh read."""
    from django.utils import translation

    from programmes.models import Theme
    from programmes.selectors import vocabulary

    with translation.override("cy"):
        welsh = vocabulary()
    Theme.objects.filter(slug="maths").update(name="Mathemateg")  # update() sends no signal: kept values stay
    with translation.override("cy"):
        assert vocabulary() == welsh
    with translation.override("en-gb"):
        assert ("maths", "Mathemateg") in [(slug, name) for _, slug, name in vocabulary()["theme"]]
