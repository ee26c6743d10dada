"""Searching offers: the words people use, on PostgreSQL full-text (LIKE on SQLite).

A query is read as known terms and other words (query rewriting, the same on
both engines). Known terms come from data: the coordinators' synonyms
(SearchSynonym), the glossary (acronym <-> meaning), programme names and
acronyms, the names of themes, audiences and regions (and each part of a
name such as "Maths and numeracy"), and the names of a language of delivery
("Welsh-medium", "cyfrwng Cymraeg", "bilingual"). A known term matches an
offer that says any of its equivalent words, or that carries the theme,
audience, region, programme or language of delivery it names; the other
words must all appear in the offer's text (on PostgreSQL the last one also
by prefix, for the live search).

When nothing matches, the search tries once more with misspelt words
corrected ("Did you mean ...?": pg_trgm similarity over the catalogue's words
on PostgreSQL, difflib on SQLite), then with any of the words rather than all
(a question typed as a sentence), matches of more of them ranked first.
"""

import dataclasses
import difflib
import hashlib
import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, Expression, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import Cast

from .cache import cached
from .choices import DELIVERY_LANGUAGE_SEARCH_TERMS, OfferStatus
from .models import Audience, GlossaryTerm, Offer, Programme, Region, SearchSynonym, Theme

CONFIG = "english"
LONGEST_TERM = 6  # words: longer phrases are not looked up as terms
# Words that carry no meaning on their own (PostgreSQL's English list drops
# them too); left out of the words that must all appear.
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from get how i in into is it me my of on or our so the their "
    "there this to us we what when where which who why with you your".split()
)
WORD = re.compile(r"[\w'-]+")


def glossary_pairs():
    """[(acronym, meaning), ...], longest acronym first, cached per catalogue version."""
    return cached(
        "glossary-pairs",
        lambda: sorted(
            GlossaryTerm.objects.values_list("acronym", "meaning"), key=lambda pair: -len(pair[0])
        ),
    )


def uses_full_text():
    return connection.vendor == "postgresql"


def _key(text):
    """How a term is looked up: lower case, hyphens as spaces, single spaces."""
    return " ".join(text.lower().replace("-", " ").split())


@dataclasses.dataclass(frozen=True)
class Concept:
    """What one known term of a query matches: offers saying any of texts, or carrying these ids."""

    texts: tuple
    themes: tuple = ()
    audiences: tuple = ()
    regions: tuple = ()
    programmes: tuple = ()
    languages: tuple = ()  # languages of delivery (DeliveryLanguage values)


def _name_parts(name):
    """A vocabulary name and its parts: "Maths and numeracy" -> itself, "maths", "numeracy"."""
    parts = [name]
    pieces = [piece for piece in re.split(r",| and ", name) if piece.strip()]
    if len(pieces) > 1:
        parts += [re.sub(r"^the ", "", piece.strip(), flags=re.IGNORECASE) for piece in pieces]
    return parts


def _build_terms():
    """{term key: Concept} from the synonyms, the glossary, programmes and the vocabulary."""
    parent = {}

    def find(key):
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    spelled = {}

    def group(texts):
        texts = [" ".join(text.split()) for text in texts if text and text.strip()]
        for text in texts:
            spelled.setdefault(_key(text), text.lower())
        for text in texts[1:]:
            parent[find(_key(text))] = find(_key(texts[0]))
        for text in texts[:1]:
            find(_key(text))

    for synonym in SearchSynonym.objects.all():
        group(synonym.term_list())
    for acronym, meaning in glossary_pairs():
        group([acronym, meaning])
    relations = {}

    def relate(text, kind, pk):
        relations.setdefault(_key(text), {}).setdefault(kind, set()).add(pk)

    for pk, plain, official, acronym in Programme.objects.values_list("pk", "plain_name", "official_name", "acronym"):
        group([plain, acronym] if acronym else [plain])
        for name in (plain, official, acronym):
            if name:
                relate(name, "programmes", pk)
    for model, kind in ((Theme, "themes"), (Audience, "audiences"), (Region, "regions")):
        for pk, name in model.objects.values_list("pk", "name"):
            for part in _name_parts(name):
                relate(part, kind, pk)
    # "Welsh-medium maths": the facet's names of a language of delivery are words to search too.
    for value, phrases in DELIVERY_LANGUAGE_SEARCH_TERMS.items():
        for phrase in phrases:
            relate(phrase, "languages", value)
    classes = {}
    for key in parent:
        classes.setdefault(find(key), []).append(key)
    terms = {}
    for key in set(parent) | set(relations):
        members = classes[find(key)] if key in parent else [key]
        found = {}
        for member in members:
            for kind, ids in relations.get(member, {}).items():
                found.setdefault(kind, set()).update(ids)
        terms[key] = Concept(
            texts=tuple(sorted({spelled.get(member, member) for member in members})),
            **{kind: tuple(sorted(ids)) for kind, ids in found.items()},
        )
    return terms


def search_terms():
    """{term key: Concept}, cached per catalogue version (a synonym's edit renews it: signals)."""
    return cached("search-terms", _build_terms)


@dataclasses.dataclass(frozen=True)
class ReadQuery:
    """A query read as known terms (each a Concept) and the other words."""

    concepts: tuple
    words: tuple

    @property
    def empty(self):
        return not self.concepts and not self.words


def read_query(q, terms=None):
    """Split q into known terms (longest first, plurals too) and other words (stopwords dropped)."""
    terms = search_terms() if terms is None else terms
    tokens = WORD.findall(q.lower())
    concepts, words, i = [], [], 0
    while i < len(tokens):
        for size in range(min(LONGEST_TERM, len(tokens) - i), 0, -1):
            key = _key(" ".join(tokens[i:i + size]))
            concept = terms.get(key) or (terms.get(key[:-1]) if key.endswith("s") and len(key) > 3 else None)
            if concept is not None:
                if concept not in concepts:
                    concepts.append(concept)
                i += size
                break
        else:
            word = tokens[i].strip("'-")
            if word and word not in STOPWORDS and word not in words:
                words.append(word)
            i += 1
    return ReadQuery(tuple(concepts), tuple(words))


class OfferSearchVector(Expression):
    """The offer table's search_vector column (PostgreSQL only, kept by a trigger).

    The column is not a model field, so SQLite has no such column at all; this
    expression names it on whatever alias the offer table has in the query.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_vector", []


def _text_q(text):
    """Offers whose words include text (a word or phrase)."""
    if uses_full_text():
        return Q(search_vector=SearchQuery(text, config=CONFIG, search_type="phrase"))
    if len(text) <= 4:
        # Short terms (TA, SEN) as whole words: LIKE would find "data" for "ta".
        pattern = r"\b" + re.escape(text) + r"\b"
        return Q(title__iregex=pattern) | Q(summary__iregex=pattern) | Q(description__iregex=pattern)
    return Q(title__icontains=text) | Q(summary__icontains=text) | Q(description__icontains=text)


def _word_q(word, *, prefix):
    """Offers saying word (on PostgreSQL, with prefix, also a word starting with it)."""
    if not uses_full_text():
        # SQLite: a word starting with it (so a prefix too); no stemming.
        pattern = r"\b" + re.escape(word)
        return Q(title__iregex=pattern) | Q(summary__iregex=pattern) | Q(description__iregex=pattern)
    query = SearchQuery(word, config=CONFIG, search_type="plain")
    if prefix and re.fullmatch(r"\w{3,}", word):
        query |= SearchQuery(f"{word}:*", config="simple", search_type="raw")
    return Q(search_vector=query)


def _linked_q(kind, ids):
    if kind == "programmes":
        return Q(programme_id__in=ids)
    through = getattr(Offer, kind).through
    column = {"themes": "theme_id", "audiences": "audience_id", "regions": "region_id"}[kind]
    linked = Q(pk__in=through.objects.filter(**{f"{column}__in": ids}).values("offer_id"))
    # An offer open to every region runs in each of them.
    return linked | Q(is_national=True) if kind == "regions" else linked


def _concept_q(concept):
    condition = Q()
    for text in concept.texts:
        condition |= _text_q(text)
    for kind in ("themes", "audiences", "regions", "programmes"):
        ids = getattr(concept, kind)
        if ids:
            condition |= _linked_q(kind, ids)
    if concept.languages:
        condition |= Q(delivery_language__in=concept.languages)
    return condition


def _parts(read, *, any_word=False):
    """One condition per known term and per other word (the last by prefix too).

    On PostgreSQL, when every word must match, the words make one tsquery: a
    word the English configuration drops ("own", "very") is then left out
    rather than matching nothing.
    """
    parts = [_concept_q(concept) for concept in read.concepts]
    last = len(read.words) - 1
    if uses_full_text() and not any_word and read.words:
        query = SearchQuery(" ".join(read.words), config=CONFIG, search_type="plain")
        if re.fullmatch(r"\w{3,}", read.words[last]):
            # Or the last word as a prefix (the words before it all kept).
            typed = SearchQuery(f"{read.words[last]}:*", config="simple", search_type="raw")
            if last:
                typed = SearchQuery(" ".join(read.words[:last]), config=CONFIG, search_type="plain") & typed
            query |= typed
        return parts + [Q(search_vector=query)]
    return parts + [_word_q(word, prefix=i == last) for i, word in enumerate(read.words)]


def _all_q(parts):
    condition = Q()
    for part in parts:
        condition &= part
    return condition


def _any_q(parts):
    condition = Q()
    for part in parts:
        condition |= part
    return condition


@dataclasses.dataclass(frozen=True)
class SearchPlan:
    """How a query is searched: the words used (corrected or not), every word or any of them."""

    q: str
    used: str
    any_word: bool = False

    @property
    def suggestion(self):
        """The corrected query shown as "Did you mean ...?", or None."""
        return self.used if self.used.lower() != self.q.lower() else None


def _listed_match_exists(condition):
    queryset = Offer.objects.filter(status=OfferStatus.PUBLISHED)
    if uses_full_text():
        queryset = queryset.alias(search_vector=OfferSearchVector())
    return queryset.filter(condition).exists()


def search_plan(q):
    """Every word; else the misspelt words corrected; else any word. Cached per catalogue version."""
    q = " ".join(q.split())

    def plan():
        read = read_query(q)
        if read.empty or _listed_match_exists(_all_q(_parts(read))):
            return SearchPlan(q, q)
        corrected = corrected_query(q, read)
        if corrected != q:
            fixed = read_query(corrected)
            if _listed_match_exists(_all_q(_parts(fixed))):
                return SearchPlan(q, corrected)
        return SearchPlan(q, corrected, any_word=True)

    return cached(f"search-plan:{hashlib.sha256(q.lower().encode()).hexdigest()}", plan,
                  accept=lambda value: isinstance(value, SearchPlan))


def offers_search(queryset, q, rank=True, plan=None):
    """Filter an offer queryset by q (as search_plan reads it); with rank, annotate `relevance`."""
    plan = plan or search_plan(q)
    read = read_query(plan.used)
    if read.empty:
        return queryset
    parts = _parts(read, any_word=plan.any_word)
    if uses_full_text():
        queryset = queryset.alias(search_vector=OfferSearchVector())
    queryset = queryset.filter(_any_q(parts) if plan.any_word else _all_q(parts))
    return offers_ranked(queryset, plan, read=read, parts=parts) if rank else queryset


def offers_ranked(queryset, plan, *, read=None, parts=None):
    """Annotate `relevance`: how many of the query's terms and words an offer matches, then text rank."""
    read = read or read_query(plan.used)
    parts = parts if parts is not None else _parts(read, any_word=plan.any_word)
    if uses_full_text():
        queryset = queryset.alias(search_vector=OfferSearchVector())
    matched = Value(0.0, output_field=FloatField())
    if plan.any_word:
        for part in parts:
            matched = matched + Case(When(part, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    texts = [text for concept in read.concepts for text in concept.texts] + list(read.words)
    if not texts:
        return queryset.annotate(relevance=matched)
    if uses_full_text():
        query = None
        for text in texts:
            part = SearchQuery(text, config=CONFIG, search_type="phrase")
            query = part if query is None else query | part
        return queryset.annotate(relevance=matched + SearchRank(OfferSearchVector(), query))
    title_hit = Q()
    for text in texts:
        title_hit |= Q(title__icontains=text)
    return queryset.annotate(
        relevance=matched + Cast(Case(When(title_hit, then=Value(1)), default=Value(0), output_field=IntegerField()),
                                 FloatField())
    )


# --- typos: "Did you mean ...?" --------------------------------------------------------------

SIMILARITY = 0.3  # pg_trgm's own default threshold


def refresh_search_words():
    """Rebuild the catalogue's word list (PostgreSQL's materialized view); once per catalogue version."""
    with connection.cursor() as cursor:
        cursor.execute("REFRESH MATERIALIZED VIEW programmes_search_word")
    return True


def _closest_word_postgres(word):
    cached("search-words-refreshed", refresh_search_words)
    with connection.cursor() as cursor:
        # Similar by trigrams, or at most two edits away (a swap of two letters scores low on trigrams);
        # the fewest edits first, then the most similar, then the most used word.
        cursor.execute(
            "SELECT word FROM programmes_search_word "
            "WHERE word %% %s OR levenshtein_less_equal(word, %s, 2) <= 2 "
            "ORDER BY levenshtein_less_equal(word, %s, 3), similarity(word, %s) DESC, ndoc DESC, word LIMIT 1",
            [word, word, word, word],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _sqlite_words():
    """The catalogue's words (published offers' titles and summaries), for difflib on SQLite."""
    found = set()
    for title, summary in Offer.objects.filter(status=OfferStatus.PUBLISHED).values_list("title", "summary"):
        found.update(w.lower() for w in re.findall(r"[^\W\d_]{3,}", f"{title} {summary}"))
    return sorted(found)


def _closest_word_sqlite(word):
    words = cached("search-words", _sqlite_words)
    if word in words:
        return word
    close = difflib.get_close_matches(word, words, n=1, cutoff=0.75)
    return close[0] if close else None


def corrected_query(q, read=None):
    """q with each word the catalogue does not know replaced by its closest known word."""
    read = read or read_query(q)
    closest = _closest_word_postgres if uses_full_text() else _closest_word_sqlite
    corrected = q
    for word in read.words:
        if len(word) < 4 or not word.isalpha():
            continue
        better = closest(word)
        if better and better != word:
            corrected = re.sub(r"(?<!\w)" + re.escape(word) + r"(?!\w)", better, corrected, flags=re.IGNORECASE)
    return corrected

