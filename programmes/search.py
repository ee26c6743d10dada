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

On a Welsh page (the active language is cy) a query also matches the Welsh
text: the known terms add the Welsh vocabulary, the glossary's Welsh acronyms
and meanings (ADY for ALN), and each word may match the offer's Welsh title,
summary or description, accents ignored and by prefix (Welsh has no stemmer;
a prefix finds "ysgolion" for "ysgol"). Welsh words also change their first
letters (mutations: "Cymru", "i Gymru", "yng Nghymru", "a Chymru"), so a
Welsh word of four letters or more is searched in each of its forms
(welsh_mutations.welsh_forms), and a known term's first word too. PostgreSQL
keeps the Welsh words in a second column, search_vector_cy (welsh_simple:
simple with unaccent, programmes/0014), so the English search and its
ranking are unchanged.
"""

import dataclasses
import difflib
import functools
import hashlib
import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, Expression, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import Cast
from django.utils.translation import get_language

from .cache import cached
from .choices import DELIVERY_LANGUAGE_SEARCH_TERMS, OfferStatus
from .models import Audience, GlossaryTerm, Offer, Programme, Region, SearchSynonym, Theme
from .welsh_mutations import LETTERS, welsh_forms

CONFIG = "english"
WELSH_CONFIG = "welsh_simple"  # simple + unaccent (programmes/0014): Welsh has no stemmer
LONGEST_TERM = 6  # words: longer phrases are not looked up as terms
# Words that carry no meaning on their own (PostgreSQL's English list drops
# them too); left out of the words that must all appear.
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from get how i in into is it me my of on or our so the their "
    "there this to us we what when where which who why with you your".split()
)
# Welsh words that carry no meaning on their own (articles, prepositions, "sut", "beth"...), with their
# elided forms; left out on Welsh pages only.
WELSH_STOPWORDS = frozenset(
    "a ac ag am ar at beth ble efo ei eich ein eu fy gan gyda heb i mae mewn neu ni o pa pam sut sydd sy "
    "y yn yr ydy yw 'r 'n i'r o'r a'r sy'n".split()
)
WORD = re.compile(r"[\w'-]+")
# Each text field's English and Welsh columns (django-modeltranslation's title_en_gb and title_cy).
ENGLISH = "en_gb"
WELSH = "cy"


def searches_welsh():
    """Whether searches now also read the Welsh text: on a Welsh page (the active language is cy)."""
    return (get_language() or "").split("-")[0] == WELSH


def _welsh(welsh):
    return searches_welsh() if welsh is None else welsh


def glossary_pairs():
    """[(acronym, meaning), ...] in the active language, longest acronym first, cached per catalogue version.

    Keyed by language: the translated fields read the active language's columns (ADY on a Welsh page).
    """
    return cached(
        f"glossary-pairs:{get_language()}",
        lambda: sorted(
            GlossaryTerm.objects.values_list("acronym", "meaning"), key=lambda pair: -len(pair[0])
        ),
    )


def uses_full_text():
    return connection.vendor == "postgresql"


@functools.cache
def columns(model, name, *, welsh):
    """The columns holding a text field's English (and, with welsh, Welsh) versions.

    Named explicitly rather than through the translated field, which reads the
    active language's column: a search on a Welsh page reads both languages.
    A field without translations is its own column.
    """
    names = {field.name for field in model._meta.get_fields()}
    english = f"{name}_{ENGLISH}" if f"{name}_{ENGLISH}" in names else name
    return (english, f"{name}_{WELSH}") if welsh and f"{name}_{WELSH}" in names else (english,)


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


def _name_parts(name, welsh=False):
    """A vocabulary name and its parts: "Maths and numeracy" -> itself, "maths", "numeracy".

    A Welsh name splits on "a"/"ac" ("Mathemateg a rhifedd" -> "mathemateg", "rhifedd").
    """
    parts = [name]
    pieces = [piece for piece in re.split(r",| ac? " if welsh else r",| and ", name) if piece.strip()]
    if len(pieces) > 1:
        article = r"^(y|yr) " if welsh else r"^the "
        parts += [re.sub(article, "", piece.strip(), flags=re.IGNORECASE) for piece in pieces]
    return parts


def _values(model, *names, welsh):
    """Rows of pk and each named text field's versions (English, then Welsh on a Welsh page), blanks dropped."""
    fields = {name: columns(model, name, welsh=welsh) for name in names}
    rows = model.objects.values_list("pk", *[column for found in fields.values() for column in found])
    for pk, *values in rows:
        texts, at = {}, 0
        for name, found in fields.items():
            texts[name] = [value for value in values[at:at + len(found)] if value]
            at += len(found)
        yield pk, texts


def _build_terms(welsh=False):
    """{term key: Concept} from the synonyms, the glossary, programmes and the vocabulary (and their Welsh)."""
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
    # An acronym, its meaning (and on a Welsh page their Welsh: ALN, ADY, Anghenion Dysgu Ychwanegol) are one term.
    for _, texts in _values(GlossaryTerm, "acronym", "meaning", welsh=welsh):
        group(texts["acronym"] + texts["meaning"])
    relations = {}

    def relate(text, kind, pk):
        relations.setdefault(_key(text), {}).setdefault(kind, set()).add(pk)

    for pk, texts in _values(Programme, "plain_name", "official_name", "acronym", welsh=welsh):
        plain, acronym = texts["plain_name"], texts["acronym"][:1]
        group(plain[:1] + acronym)
        for welsh_name in plain[1:]:
            group([welsh_name] + acronym)
        for name in plain + texts["official_name"] + texts["acronym"]:
            relate(name, "programmes", pk)
    for model, kind in ((Theme, "themes"), (Audience, "audiences"), (Region, "regions")):
        for pk, texts in _values(model, "name", welsh=welsh):
            # The English name first (it is required), then the Welsh one.
            for position, name in enumerate(texts["name"]):
                for part in _name_parts(name, welsh=position > 0):
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


def search_terms(welsh=None):
    """{term key: Concept}, cached per catalogue version and language (a synonym's edit renews it: signals)."""
    if _welsh(welsh):
        return cached("search-terms:cy", lambda: _build_terms(welsh=True))
    return cached("search-terms", _build_terms)


@dataclasses.dataclass(frozen=True)
class ReadQuery:
    """A query read as known terms (each a Concept) and the other words; welsh: also in the Welsh text."""

    concepts: tuple
    words: tuple
    welsh: bool = False

    @property
    def empty(self):
        return not self.concepts and not self.words


def read_query(q, terms=None, welsh=None):
    """Split q into known terms (longest first, plurals too) and other words (stopwords dropped)."""
    welsh = _welsh(welsh)
    terms = search_terms(welsh) if terms is None else terms
    stopwords = STOPWORDS | WELSH_STOPWORDS if welsh else STOPWORDS
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
            if word and word not in stopwords and tokens[i] not in stopwords and word not in words:
                words.append(word)
            i += 1
    return ReadQuery(tuple(concepts), tuple(words), welsh)


class OfferSearchVector(Expression):
    """One of the offer table's search vector columns (PostgreSQL only, kept by a trigger).

    search_vector holds the English text, search_vector_cy the Welsh. The
    columns are not model fields, so SQLite has no such columns at all; this
    expression names one on whatever alias the offer table has in the query.
    """

    output_field = SearchVectorField()

    def __init__(self, column="search_vector"):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{self.column}", []


def _with_vectors(queryset, welsh):
    queryset = queryset.alias(search_vector=OfferSearchVector())
    return queryset.alias(search_vector_cy=OfferSearchVector("search_vector_cy")) if welsh else queryset


# SQLite: a letter typed without its accent matches it with one (Welsh: â ê î ô û ŵ ŷ, and ä, é...).
_ACCENTED = {base: f"[{base}{others}]" for base, others in (
    ("a", "âáàä"), ("e", "êéèë"), ("i", "îíìï"), ("o", "ôóòö"), ("u", "ûúùü"), ("w", "ŵẃẁẅ"), ("y", "ŷýỳÿ"),
)}


def _unaccented(text):
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _pattern(text, *, welsh):
    """A regular expression for text; on a Welsh page, accents ignored."""
    if not welsh:
        return re.escape(text)
    return "".join(_ACCENTED.get(c, re.escape(c)) for c in _unaccented(text.lower()))


def _welsh_pattern(text):
    """A regular expression for Welsh text: accents ignored, its first word in any of its mutated forms."""
    first, space, rest = text.partition(" ")
    forms = "|".join(_pattern(form, welsh=True) for form in welsh_forms(first))
    return f"(?:{forms})" + _pattern(space + rest, welsh=True)


def _text_fields_q(lookup, value, *, welsh):
    """Offers whose title, summary or description (English, and Welsh on a Welsh page) match lookup."""
    condition = Q()
    for name in ("title", "summary", "description"):
        for column in columns(Offer, name, welsh=welsh):
            condition |= Q(**{f"{column}__{lookup}": value})
    return condition


def _text_q(text, welsh=False):
    """Offers whose words include text (a word or phrase)."""
    if uses_full_text():
        condition = Q(search_vector=SearchQuery(text, config=CONFIG, search_type="phrase"))
        if welsh:
            condition |= Q(search_vector_cy=_welsh_phrase_query(text))
        return condition
    pattern = _welsh_pattern(text) if welsh else _pattern(text, welsh=False)
    if len(text) <= 4:
        # Short terms (TA, SEN) as whole words: LIKE would find "data" for "ta".
        return _text_fields_q("iregex", r"\b" + pattern + r"\b", welsh=welsh)
    if welsh:
        return _text_fields_q("iregex", pattern, welsh=welsh)
    return _text_fields_q("icontains", text, welsh=welsh)


def _welsh_phrase_query(text):
    """The words of text in a row in the Welsh text, the first in any of its mutated forms ("gyfrwng Cymraeg").

    Only letters go into the raw tsquery (text may come from a coordinator's synonym); anything else is
    searched as a plain phrase, as it is typed.
    """
    words = text.split()
    if not words or not all(LETTERS.fullmatch(word) for word in words):
        return SearchQuery(text, config=WELSH_CONFIG, search_type="phrase")
    first = "(" + " | ".join(welsh_forms(words[0])) + ")"
    return SearchQuery(" <-> ".join([first, *words[1:]]), config=WELSH_CONFIG, search_type="raw")


def _welsh_prefix_query(word):
    """The word in any of its mutated forms, or a word starting with one, in the Welsh text.

    Accents are ignored by welsh_simple. Only word characters go into the raw tsquery (anyone types the
    word), and welsh_forms adds letters only.
    """
    if re.fullmatch(r"\w{2,}", word):
        return SearchQuery(" | ".join(f"{form}:*" for form in welsh_forms(word)), config=WELSH_CONFIG,
                           search_type="raw")
    return SearchQuery(word, config=WELSH_CONFIG, search_type="plain")


def _word_q(word, *, prefix, welsh=False):
    """Offers saying word (on PostgreSQL, with prefix, also a word starting with it; in Welsh always so)."""
    if not uses_full_text():
        # SQLite: a word starting with it (so a prefix too); no stemming; in Welsh, with any of its mutations.
        pattern = _welsh_pattern(word) if welsh else _pattern(word, welsh=False)
        return _text_fields_q("iregex", r"\b" + pattern, welsh=welsh)
    query = SearchQuery(word, config=CONFIG, search_type="plain")
    if prefix and re.fullmatch(r"\w{3,}", word):
        query |= SearchQuery(f"{word}:*", config="simple", search_type="raw")
    condition = Q(search_vector=query)
    return condition | Q(search_vector_cy=_welsh_prefix_query(word)) if welsh else condition


def _linked_q(kind, ids):
    if kind == "programmes":
        return Q(programme_id__in=ids)
    through = getattr(Offer, kind).through
    column = {"themes": "theme_id", "audiences": "audience_id", "regions": "region_id"}[kind]
    linked = Q(pk__in=through.objects.filter(**{f"{column}__in": ids}).values("offer_id"))
    # An offer open to every region runs in each of them.
    return linked | Q(is_national=True) if kind == "regions" else linked


def _concept_q(concept, welsh=False):
    condition = Q()
    for text in concept.texts:
        condition |= _text_q(text, welsh)
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
    rather than matching nothing. On a Welsh page an offer may also have each
    word in its English or its Welsh text (a query may mix the two).
    """
    welsh = read.welsh
    parts = [_concept_q(concept, welsh) for concept in read.concepts]
    last = len(read.words) - 1
    if uses_full_text() and not any_word and read.words:
        query = SearchQuery(" ".join(read.words), config=CONFIG, search_type="plain")
        if re.fullmatch(r"\w{3,}", read.words[last]):
            # Or the last word as a prefix (the words before it all kept).
            typed = SearchQuery(f"{read.words[last]}:*", config="simple", search_type="raw")
            if last:
                typed = SearchQuery(" ".join(read.words[:last]), config=CONFIG, search_type="plain") & typed
            query |= typed
        condition = Q(search_vector=query)
        if welsh:
            condition |= _all_q([_word_q(word, prefix=i == last, welsh=True) for i, word in enumerate(read.words)])
        return parts + [condition]
    return parts + [_word_q(word, prefix=i == last, welsh=welsh) for i, word in enumerate(read.words)]


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
    """How a query is searched: the words used (corrected or not), every word or any of them, the languages."""

    q: str
    used: str
    any_word: bool = False
    welsh: bool = False

    @property
    def suggestion(self):
        """The corrected query shown as "Did you mean ...?", or None."""
        return self.used if self.used.lower() != self.q.lower() else None


def _listed_match_exists(condition, welsh):
    queryset = Offer.objects.filter(status=OfferStatus.PUBLISHED)
    if uses_full_text():
        queryset = _with_vectors(queryset, welsh)
    return queryset.filter(condition).exists()


def search_key(q, welsh=None):
    """A short cache key for the words q searched in this page's languages."""
    return ("cy:" if _welsh(welsh) else "") + hashlib.sha256(" ".join(q.lower().split()).encode()).hexdigest()


def search_plan(q, welsh=None):
    """Every word; else the misspelt words corrected; else any word. Cached per catalogue version and language."""
    q = " ".join(q.split())
    welsh = _welsh(welsh)

    def plan():
        read = read_query(q, welsh=welsh)
        if read.empty or _listed_match_exists(_all_q(_parts(read)), welsh):
            return SearchPlan(q, q, welsh=welsh)
        corrected = corrected_query(q, read)
        if corrected != q:
            fixed = read_query(corrected, welsh=welsh)
            if _listed_match_exists(_all_q(_parts(fixed)), welsh):
                return SearchPlan(q, corrected, welsh=welsh)
        return SearchPlan(q, corrected, any_word=True, welsh=welsh)

    return cached(f"search-plan:{search_key(q, welsh)}", plan, accept=lambda value: isinstance(value, SearchPlan))


def offers_search(queryset, q, rank=True, plan=None):
    """Filter an offer queryset by q (as search_plan reads it); with rank, annotate `relevance`."""
    plan = plan or search_plan(q)
    read = read_query(plan.used, welsh=plan.welsh)
    if read.empty:
        return queryset
    parts = _parts(read, any_word=plan.any_word)
    if uses_full_text():
        queryset = _with_vectors(queryset, plan.welsh)
    queryset = queryset.filter(_any_q(parts) if plan.any_word else _all_q(parts))
    return offers_ranked(queryset, plan, read=read, parts=parts) if rank else queryset


def offers_ranked(queryset, plan, *, read=None, parts=None):
    """Annotate `relevance`: how many of the query's terms and words an offer matches, then text rank."""
    read = read or read_query(plan.used, welsh=plan.welsh)
    parts = parts if parts is not None else _parts(read, any_word=plan.any_word)
    if uses_full_text():
        queryset = _with_vectors(queryset, plan.welsh)
    matched = Value(0.0, output_field=FloatField())
    if plan.any_word:
        for part in parts:
            matched = matched + Case(When(part, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    texts = [text for concept in read.concepts for text in concept.texts] + list(read.words)
    if not texts:
        return queryset.annotate(relevance=matched)
    if uses_full_text():
        query = _any_query([SearchQuery(text, config=CONFIG, search_type="phrase") for text in texts])
        relevance = matched + SearchRank(OfferSearchVector(), query)
        if plan.welsh:
            welsh_query = _any_query(
                [_welsh_phrase_query(text) for text in texts]
                + [_welsh_prefix_query(word) for word in read.words]
            )
            relevance = relevance + SearchRank(OfferSearchVector("search_vector_cy"), welsh_query)
        return queryset.annotate(relevance=relevance)
    title_hit = Q()
    for text in texts:
        title_hit |= _text_title_q(text, plan.welsh)
    return queryset.annotate(
        relevance=matched + Cast(Case(When(title_hit, then=Value(1)), default=Value(0), output_field=IntegerField()),
                                 FloatField())
    )


def _any_query(queries):
    query = None
    for part in queries:
        query = part if query is None else query | part
    return query


def _text_title_q(text, welsh):
    if not welsh:
        return Q(**{f"{columns(Offer, 'title', welsh=False)[0]}__icontains": text})
    return _any_q(Q(**{f"{column}__iregex": _welsh_pattern(text)})
                  for column in columns(Offer, "title", welsh=True))


# --- typos: "Did you mean ...?" --------------------------------------------------------------

SIMILARITY = 0.3  # pg_trgm's own default threshold
# Longer words are not corrected: no word is that long, and PostgreSQL's levenshtein refuses over 255 characters.
LONGEST_CORRECTED_WORD = 50


def refresh_search_words():
    """Rebuild the catalogue's word lists (PostgreSQL's materialized views); once per catalogue version."""
    with connection.cursor() as cursor:
        cursor.execute("REFRESH MATERIALIZED VIEW programmes_search_word")
        cursor.execute("REFRESH MATERIALIZED VIEW programmes_search_word_cy")
    return True


def _closest_word_postgres(word, welsh=False):
    cached("search-words-refreshed", refresh_search_words)
    # A Welsh page knows the Welsh words too (programmes_search_word_cy: the Welsh text and vocabulary).
    words = (
        "(SELECT word, ndoc FROM programmes_search_word UNION ALL SELECT word, ndoc FROM programmes_search_word_cy)"
        if welsh else "programmes_search_word"
    )
    with connection.cursor() as cursor:
        # Similar by trigrams, or at most two edits away (a swap of two letters scores low on trigrams);
        # the fewest edits first, then the most similar, then the most used word.
        cursor.execute(
            f"SELECT word FROM {words} w "
            "WHERE word %% %s OR levenshtein_less_equal(word, %s, 2) <= 2 "
            "ORDER BY levenshtein_less_equal(word, %s, 3), similarity(word, %s) DESC, ndoc DESC, word LIMIT 1",
            [word, word, word, word],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _sqlite_words(welsh=False):
    """The catalogue's words (published offers' titles and summaries), for difflib on SQLite.

    On a Welsh page also the words of the known terms, as PostgreSQL's Welsh word view has the
    vocabulary's: a Welsh theme name may be the only place a Welsh word is written.
    """
    texts = []
    names = columns(Offer, "title", welsh=welsh) + columns(Offer, "summary", welsh=welsh)
    for row in Offer.objects.filter(status=OfferStatus.PUBLISHED).values_list(*names):
        texts += [text for text in row if text]
    if welsh:
        texts += list(search_terms(welsh=True))
    return sorted({w.lower() for w in re.findall(r"[^\W\d_]{3,}", " ".join(texts))})


def _closest_word_sqlite(word, welsh=False):
    words = cached("search-words:cy", lambda: _sqlite_words(True)) if welsh else cached("search-words", _sqlite_words)
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
        if not 4 <= len(word) <= LONGEST_CORRECTED_WORD or not word.isalpha():
            continue
        better = closest(word, read.welsh)
        if better and better != word:
            corrected = re.sub(r"(?<!\w)" + re.escape(word) + r"(?!\w)", better, corrected, flags=re.IGNORECASE)
    return corrected
