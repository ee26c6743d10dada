"""/offers/?q=: the words people use find offers; typos; grouping never hides a match (issue 15)."""

import random

import pytest
from django.db import connection

from benchmarks.search_relevance import reached_offers
from brokerage.catalogue.filters import OfferFilter
from programmes.choices import OfferFormat
from programmes.models import Offer, SearchSynonym
from programmes.selectors import listed_offers, vocabulary
from tests_support import factories
from tests_support.welsh import visible_text

pytestmark = pytest.mark.django_db
URL = "/offers/"


def found(client, q, **params):
    """Every offer a person reaches from the results (cards and the offers a card names), as a set."""
    from urllib.parse import urlencode

    query = urlencode({"q": q, **params}, doseq=True)
    return set(reached_offers(lambda url: client.get(url).content.decode(), f"{URL}?{query}", depth=500, max_pages=30))


@pytest.fixture
def words(db):
    """A small catalogue written as the demo's offers are: maths, head teachers, behaviour, e-learning."""
    maths_theme = factories.ThemeFactory(name="Maths and numeracy", slug="maths")
    afl = factories.ThemeFactory(name="Assessment for learning", slug="afl")
    ncetm = factories.ProgrammeFactory(plain_name="Maths centre", acronym="NCETM", slug="maths-centre")
    factories.OfferFactory(title="Maths mastery work group", slug="mastery", programme=ncetm, themes=[maths_theme])
    factories.OfferFactory(title="Subject knowledge for primary teachers", slug="primary", programme=ncetm)
    factories.OfferFactory(title="Feedback that moves learning on", slug="feedback", themes=[afl])
    factories.OfferFactory(title="Aspiring head teachers programme", slug="heads")
    factories.OfferFactory(title="Calm classrooms", slug="calm", summary="Whole-school behaviour policy in practice.")
    factories.OfferFactory(title="E-learning for tutors", slug="elearning")
    factories.OfferFactory(title="Mentoring new lecturers", slug="mentoring")
    factories.OfferFactory(title="Numeracy for teaching assistants", slug="numeracy")


def synonyms(*groups):
    for terms in groups:
        SearchSynonym.objects.create(terms=terms)


def test_programme_acronym_finds_its_offers(client, words):
    assert found(client, "NCETM") == {"mastery", "primary"}
    assert found(client, "maths centre") >= {"mastery", "primary"}


def test_acronym_inside_a_longer_query(client, words):
    assert found(client, "NCETM primary") == {"primary"}


def test_priority_name_finds_offers_carrying_it(client, words):
    assert found(client, "assessment for learning") == {"feedback"}


def test_glossary_acronym_finds_the_priority_it_stands_for(client, words):
    factories.GlossaryTermFactory(acronym="AfL", slug="afl", meaning="Assessment for learning")
    assert found(client, "AfL") == {"feedback"}


def test_synonyms_from_data_find_the_words_offers_use(client, words):
    synonyms("maths, mathematics, numeracy", "head teacher, headteacher", "behaviour, behavior",
             "e-learning, elearning, online learning")
    assert found(client, "mathematics") == {"mastery", "numeracy"}
    assert found(client, "headteacher") == {"heads"}
    assert found(client, "behavior") == {"calm"}
    assert found(client, "elearning") == {"elearning"}
    assert found(client, "online learning") == {"elearning"}


def test_a_coordinators_edit_is_used_by_the_next_search(client, words):
    assert found(client, "principal") == set()
    synonym = SearchSynonym.objects.create(terms="head teacher, principal")
    assert found(client, "principal") == {"heads"}
    synonym.terms = "head teacher, head of school"
    synonym.save()
    assert found(client, "principal") == set()
    assert found(client, "head of school") == {"heads"}
    synonym.delete()
    # Its words alone now, no offer has both: any of them ("head teachers", "Whole-school").
    assert found(client, "head of school") == {"heads", "calm"}


def test_synonym_terms_are_trimmed_lower_cased_once_each():
    assert SearchSynonym(terms=" Maths ,mathematics,, MATHS , numeracy ").term_list() == [
        "maths", "mathematics", "numeracy",
    ]


def test_misspelt_word_finds_its_offers_and_says_did_you_mean(client, words):
    response = client.get(URL, {"q": "numaracy"})
    page = response.content.decode()
    assert response.context["search_plan"].suggestion == "numeracy"
    assert "Showing offers for <strong>“numeracy”</strong>" in page
    # numeracy names a part of the theme "Maths and numeracy": its offers too.
    assert found(client, "numaracy") == {"numeracy", "mastery"}
    assert found(client, "mentorng") == {"mentoring"}


def test_word_being_typed_matches_by_prefix(client, words):
    assert found(client, "mento") == {"mentoring"}
    assert found(client, "NCETM prim") == {"primary"}


def test_question_finds_offers_with_most_of_its_words(client, words):
    response = client.get(URL, {"q": "how can I get better at mentoring lecturers online"})
    assert [offer.slug for offer in response.context["offers"]][0] == "mentoring"
    assert "showing offers with some of them" in response.content.decode()


@pytest.mark.parametrize(
    "q", ["'", '"', ":*", "a & b | !c", "maths:*", "(((", "<script>", "e--learning", "-", "\\", "w" * 1999],
)
def test_hostile_queries_answer_a_page(client, words, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</form>", 1)[-1].replace("&lt;script&gt;", "")


# --- grouping never hides a match ---------------------------------------------------------

@pytest.fixture
def grouped(db):
    """Offers marked as the same thing across regions, as the demo's 'ILT champions' and 'assistive' are."""
    sen = factories.ThemeFactory(name="SEN and disabilities", slug="sen-and-disabilities")
    digital = factories.ThemeFactory(name="Digital learning", slug="digital")
    devon = factories.RegionFactory(name="Devon", slug="devon")
    bristol = factories.RegionFactory(name="Bristol", slug="bristol")
    rsc = factories.ProgrammeFactory(plain_name="Learning technology advice", acronym="RSC", slug="rsc")
    sfl = factories.ProgrammeFactory(plain_name="Skills for Life support", acronym="SfL", slug="sfl")
    stands = factories.OfferFactory(
        title="Digital inclusion toolkit: Bristol", slug="toolkit-bristol", programme=sfl, themes=[digital],
        format=OfferFormat.COURSE,
    )
    stands.regions.set([bristol])
    assistive = factories.OfferFactory(
        title="Assistive technology for learners with SEN: Devon", slug="assistive-devon", programme=rsc,
        themes=[sen], format=OfferFormat.WORKSHOP,
    )
    assistive.regions.set([devon])
    champions = factories.OfferFactory(title="ILT champions network: Bristol", slug="ilt-bristol", programme=rsc,
                                       themes=[digital], format=OfferFormat.COURSE)
    champions.regions.set([bristol])
    assistive.same_as.set([stands])
    champions.same_as.set([stands])
    return {"stands": stands, "assistive": assistive, "champions": champions}


def test_grouped_offers_found_by_their_own_words(client, grouped):
    assert found(client, "ILT champions") == {"toolkit-bristol", "ilt-bristol", "assistive-devon"}
    assert found(client, "assistive") == {"toolkit-bristol", "ilt-bristol", "assistive-devon"}


def test_grouped_offer_found_by_its_own_facets(client, grouped):
    reached = found(client, "", theme="sen-and-disabilities", format="workshop", region="devon")
    assert "assistive-devon" in reached
    response = client.get(URL, {"theme": "sen-and-disabilities", "format": "workshop", "region": "devon"})
    assert response.context["total"] == 1


def test_also_offered_names_programme_and_region_once_each(client, grouped):
    page = client.get(URL, {"q": "digital inclusion toolkit"}).content.decode()
    line = page.split('class="small mb-2 also-offered">', 1)[1].split("</p>", 1)[0]
    assert line.count("Learning technology advice") == 2
    assert "Learning technology advice (Devon); Learning technology advice (Bristol)" in visible_text(line)
    assert line.count("assistive-devon") == 1 and line.count("ilt-bristol") == 1


def _brute_force(params):
    """The listed offers the filterset's own SQL matches (every offer, grouped or not)."""
    filterset = OfferFilter(params, queryset=Offer.objects.all(), vocabulary=vocabulary())
    filterset.is_valid()
    return set(filterset.filter_queryset(listed_offers()).values_list("slug", flat=True))


def test_results_reach_exactly_the_offers_a_brute_force_match_finds(client, grouped):
    extra_region = factories.RegionFactory(name="Cornwall", slug="cornwall")
    national = factories.OfferFactory(title="National digital offer", slug="national", is_national=True,
                                      themes=[factories.ThemeFactory(name="Leadership", slug="leadership")])
    cornish = factories.OfferFactory(title="Cornish assistive tech", slug="cornish", format=OfferFormat.COURSE)
    cornish.regions.set([extra_region])
    cornish.same_as.set([national])
    choices = {
        "theme": ["sen-and-disabilities", "digital", "leadership"],
        "region": ["devon", "bristol", "cornwall"],
        "format": [OfferFormat.WORKSHOP, OfferFormat.COURSE],
        "q": ["", "assistive", "digital", "ILT champions", "network"],
    }
    rng = random.Random(15)
    groups = {o.slug: {o.slug, *o.same_as.values_list("slug", flat=True)} for o in Offer.objects.all()}
    for _ in range(25):
        params = {name: rng.sample(values, rng.randint(0, 2)) for name, values in choices.items()}
        params["q"] = params["q"][0] if params["q"] else ""
        expected = _brute_force({k: v for k, v in params.items() if v})
        reached = found(client, params.pop("q"), **params)
        assert expected <= reached, (params, expected, reached)
        # Nothing beyond the matches and the offers named on their cards (a card names its group).
        near = {other for slug in expected for partner in groups[slug] for other in groups[partner]}
        assert reached <= near, (params, expected, reached)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm: PostgreSQL only")
def test_did_you_mean_uses_trigram_similarity_on_postgresql(client, words):
    from programmes.search import corrected_query

    assert corrected_query("mentorng primry") == "mentoring primary"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's English stopwords")
def test_a_word_the_english_configuration_drops_does_not_empty_the_results(client, words):
    assert found(client, "subject knowledge very") == {"primary"}
    assert found(client, "very subject knowledge") == {"primary"}
