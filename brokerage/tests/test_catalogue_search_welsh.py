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


# --- mutations: "Cymru" is "i Gymru", "yng Nghymru", "a Chymru" ------------------------------

@pytest.fixture
def mutated_catalogue(db):
    """Offers whose Welsh text says Cymru in each of its forms; the English text never says it."""
    factories.OfferFactory(slug="cwricwlwm", title="Curriculum for Wales support",
                           title_cy="Cymorth Cwricwlwm i Gymru", summary_cy="Llunio eich cwricwlwm eich hun.")
    factories.OfferFactory(slug="nghymru", title="Post-16 learning", title_cy="Dysgu ôl-16",
                           summary_cy="Dysgu ôl-16 yng Nghymru.")
    factories.OfferFactory(slug="chymru", title="Two nations", title_cy="Lloegr a Chymru",
                           summary_cy="Cymwysterau yn Lloegr a Chymru.")
    factories.OfferFactory(slug="cymru", title="North Wales network", title_cy="Rhwydwaith Gogledd Cymru",
                           summary_cy="Cyfarfod tymhorol.")
    factories.OfferFactory(slug="team", title="Leading a team", title_cy="Arwain tîm", summary_cy="I arweinwyr.")
    factories.OfferFactory(slug="free", title="No charge", title_cy="Dim tâl", summary_cy="Am ddim.")
    factories.OfferFactory(slug="gyfrwng", title="Resources for bilingual schools", title_cy="Adnoddau",
                           summary_cy="Ar gyfer ysgolion dwyieithog a rhai Gyfrwng Cymraeg.")


def test_radical_finds_every_mutated_form(client, mutated_catalogue):
    assert found(client, "Cymru") == {"cwricwlwm", "nghymru", "chymru", "cymru"}


@pytest.mark.parametrize("q", ["Gymru", "Nghymru", "Chymru"])
def test_mutated_form_finds_the_radical_and_the_other_forms(client, mutated_catalogue, q):
    assert found(client, q) == {"cwricwlwm", "nghymru", "chymru", "cymru"}


@pytest.mark.parametrize("q", ["Cwricwlwm i Gymru", "cwricwlwm cymru", "Cwricwlwm i Nghymru"])
def test_every_word_may_match_in_another_form(client, mutated_catalogue, q):
    assert found(client, q) == {"cwricwlwm"}


def test_known_phrase_matches_with_its_first_word_mutated(client, mutated_catalogue):
    # "cyfrwng Cymraeg" is a known term (the Welsh-medium language of delivery); no offer here is Welsh-medium.
    assert found(client, "cyfrwng Cymraeg") == {"gyfrwng"}


def test_word_shorter_than_four_letters_is_not_mutated(client, mutated_catalogue):
    # "tîm" softened would be "dîm", and would find "Dim tâl" ("no charge").
    assert found(client, "tîm") == {"team"}


def test_english_page_does_not_mutate(client, mutated_catalogue):
    # Only the Welsh text says Cymru, and an English page does not read it.
    assert found(client, "Cymru", prefix="") == set()


def test_english_page_search_sql_has_no_welsh(mutated_catalogue):
    from django.utils import translation

    from programmes.models import Offer
    from programmes.search import offers_search

    with translation.override("en-gb"):
        sql = str(offers_search(Offer.objects.values("pk"), "Gymru network").query).lower()
    # The word as typed, in the English columns only: no mutated forms, no Welsh columns.
    assert "gymru" in sql
    assert [welsh for welsh in ("ngymru", "nghymru", "chymru", "search_vector_cy", "title_cy") if welsh in sql] == []


@pytest.mark.parametrize("q", [
    "'Gymru'", '"Nghymru"', "Gymru & !Cymru", "Gymru | Chymru", "!Nghymru", "Gymru:*", "Gymru:* <-> Cymru",
    "(Gymru", "\\Gymru\\", "Gymru\\:*", "G" + "w" * 1990, "Nghymru" * 280, "Cymru " * 330,
    "Ŵyliau", "ŵŵŵŵ:*", "中文字符", "Gymru🎉", "Ｇｙｍｒｕ", "gymru_cymru", "ngh|mh", "dd'",
])
def test_hostile_queries_with_mutations_answer_a_welsh_page(client, mutated_catalogue, q):
    response = client.get("/cy/offers/", {"q": q})
    assert response.status_code == 200
    assert '<html lang="cy"' in response.content.decode()
