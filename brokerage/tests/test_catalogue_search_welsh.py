"""/cy/offers/?q=: a Welsh page's search finds the Welsh text as well as the English (issue 17, item 4).

The same tests run on SQLite (LIKE over the Welsh columns) and on PostgreSQL
(welsh_simple over search_vector_cy).
"""

from urllib.parse import urlencode

import pytest

from benchmarks.search_relevance import reached_offers
from tests_support import factories

pytestmark = pytest.mark.django_db


def found(client, q, *, prefix="/cy"):
    """Every offer a person reaches from the results of q, as a set of slugs."""
    url = f"{prefix}/offers/?{urlencode({'q': q})}"
    return set(reached_offers(lambda page: client.get(page).content.decode(), url, depth=200, max_pages=10))


@pytest.fixture
def welsh_catalogue(db):
    """Offers written in both languages, one in English only; no priority links them to the words searched."""
    factories.OfferFactory(
        slug="primary", title="Subject knowledge for primary teachers",
        summary="A term-long course building confidence with the ideas behind the primary curriculum.",
        title_cy="Gwybodaeth bynciol mathemateg i athrawon cynradd",
        summary_cy="Cwrs tymor o hyd sy'n magu hyder gyda'r syniadau y tu ôl i'r cwricwlwm cynradd.",
    )
    factories.OfferFactory(
        slug="inclusive", title="Inclusive planning in the new curriculum",
        summary="Plan learning that includes every learner.",
        title_cy="Cynllunio cynhwysol yn y cwricwlwm newydd",
        summary_cy="Cynllunio dysgu i ddysgwyr ag ADY o fewn eich cwricwlwm.",
    )
    factories.OfferFactory(
        slug="aln-english-only", title="Supporting ALN coordinators",
        summary="Termly network for ALN coordinators in colleges.",
    )
    factories.OfferFactory(
        slug="older-learners", title="Teaching older learners on Anglesey",
        summary="Ideas for adult classes in community venues.",
        title_cy="Addysgu dysgwyr hŷn ym Môn",
        summary_cy="Syniadau ar gyfer dosbarthiadau oedolion mewn canolfannau cymunedol.",
    )
    factories.OfferFactory(
        slug="welsh-medium", title="Communications toolkit for families",
        summary="Templates for clear letters home.",
        title_cy="Pecyn cymorth cyfathrebu i deuluoedd",
        summary_cy="Templedi ar gyfer ysgolion cyfrwng Cymraeg a llythyrau clir adref.",
    )
    factories.OfferFactory(slug="unrelated", title="Leading a team", summary="For new team leaders.",
                           title_cy="Arwain tîm", summary_cy="I arweinwyr tîm newydd.")
    factories.GlossaryTermFactory(
        acronym="ALN", slug="aln", meaning="Additional Learning Needs",
        acronym_cy="ADY", meaning_cy="Anghenion Dysgu Ychwanegol",
    )


def test_welsh_word_finds_the_offer_whose_welsh_text_says_it(client, welsh_catalogue):
    # The English text never says maths: only the Welsh title does.
    assert found(client, "mathemateg") == {"primary"}


def test_welsh_words_with_a_welsh_stopword_all_match(client, welsh_catalogue):
    assert found(client, "mathemateg i athrawon") == {"primary"}


def test_welsh_acronym_finds_welsh_and_english_offers(client, welsh_catalogue):
    # ADY in the Welsh summary; ALN (ADY's English) in an English-only offer.
    assert found(client, "ADY") == {"inclusive", "aln-english-only"}
    assert found(client, "anghenion dysgu ychwanegol") == {"inclusive", "aln-english-only"}


def test_english_words_still_match_on_a_welsh_page(client, welsh_catalogue):
    assert found(client, "anglesey") == {"older-learners"}
    assert found(client, "coordinators") == {"aln-english-only"}


def test_welsh_search_ignores_accents_and_case(client, welsh_catalogue):
    assert found(client, "hyn") == {"older-learners"}
    assert found(client, "MÔN") == {"older-learners"}
    assert found(client, "mon") == {"older-learners"}
    assert found(client, "CYMRAEG") == {"welsh-medium"}
    assert found(client, "cyfrwng cymraeg") == {"welsh-medium"}


def test_welsh_word_being_typed_matches_by_prefix(client, welsh_catalogue):
    assert found(client, "mathem") == {"primary"}
    # Welsh has no stemmer: a word finds its longer forms, in any position of the query.
    assert found(client, "ysgol") == {"welsh-medium"}
    assert found(client, "cynllun cwricwlwm") == {"inclusive"}


def test_english_page_does_not_read_the_welsh_text(client, welsh_catalogue):
    assert found(client, "cwricwlwm", prefix="") == set()
    assert found(client, "curriculum", prefix="") == {"primary", "inclusive"}


def test_misspelt_welsh_word_says_did_you_mean(client, welsh_catalogue):
    response = client.get("/cy/offers/", {"q": "mathemateb"})
    assert response.context["search_plan"].suggestion == "mathemateg"
    assert found(client, "mathemateb") == {"primary"}


def test_query_mixing_welsh_and_english_words_matches_across_languages(client, welsh_catalogue):
    # "mathemateg" is only in the Welsh title, "primary" only in the English summary.
    assert found(client, "mathemateg primary") == {"primary"}


@pytest.mark.parametrize("q", ["'", ":*", "a & b | !c", "ŵ:*", "ysgol:* & !", "(((", "<script>", "o'r", "\\"])
def test_hostile_queries_answer_a_welsh_page(client, welsh_catalogue, q):
    response = client.get("/cy/offers/", {"q": q})
    assert response.status_code == 200
    assert '<html lang="cy"' in response.content.decode()


def test_glossary_acronyms_are_marked_in_the_page_language(welsh_catalogue):
    from django.utils import translation

    from programmes.templatetags.glossary import acronyms

    # Whichever language asks first, each gets its own acronyms and meanings.
    with translation.override("cy"):
        assert 'title="Anghenion Dysgu Ychwanegol">ADY</abbr>' in acronyms("Dysgwyr ag ADY")
    with translation.override("en-gb"):
        assert 'title="Additional Learning Needs">ALN</abbr>' in acronyms("Learners with ALN")
        assert "<abbr" not in acronyms("Dysgwyr ag ADY")
