"""Searching offers: PostgreSQL full-text with ranking, LIKE on SQLite.

Acronyms are expanded both ways with the glossary: "ESOL" also searches
"English for speakers of other languages" and the spelled-out words also
search "ESOL", so an offer is found whichever way its writer put it.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, Expression, IntegerField, Q, Value, When

from .cache import cached
from .models import GlossaryTerm

CONFIG = "english"


def glossary_pairs():
    """[(acronym, meaning), ...], longest acronym first, cached per catalogue version."""
    return cached(
        "glossary-pairs",
        lambda: sorted(
            GlossaryTerm.objects.values_list("acronym", "meaning"), key=lambda pair: -len(pair[0])
        ),
    )


def _word_pattern(text):
    return re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)", re.IGNORECASE)


def search_alternatives(q, pairs=None):
    """The query as typed plus each glossary rewrite of it (acronym <-> meaning)."""
    q = " ".join(q.split())
    if not q:
        return []
    pairs = glossary_pairs() if pairs is None else pairs
    alternatives = [q]
    for acronym, meaning in pairs:
        for source, target in ((acronym, meaning), (meaning, acronym)):
            pattern = _word_pattern(source)
            if pattern.search(q):
                rewritten = pattern.sub(target, q)
                if rewritten.lower() not in {a.lower() for a in alternatives}:
                    alternatives.append(rewritten)
    return alternatives


def uses_full_text():
    return connection.vendor == "postgresql"


class OfferSearchVector(Expression):
    """The offer table's search_vector column (PostgreSQL only, kept by a trigger).

    The column is not a model field, so SQLite has no such column at all; this
    expression names it on whatever alias the offer table has in the query.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_vector", []


def full_text_query(alternatives):
    query = None
    for text in alternatives:
        part = SearchQuery(text, config=CONFIG, search_type="websearch")
        query = part if query is None else query | part
    return query


def _like_q(text):
    condition = Q()
    for word in text.split():
        condition &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(description__icontains=word)
    return condition


def offers_search(queryset, q, rank=True):
    """Filter an offer queryset by q; with rank, annotate `relevance` for ordering."""
    alternatives = search_alternatives(q)
    if not alternatives:
        return queryset
    if uses_full_text():
        query = full_text_query(alternatives)
        queryset = queryset.alias(search_vector=OfferSearchVector()).filter(search_vector=query)
        return queryset.annotate(relevance=SearchRank(OfferSearchVector(), query)) if rank else queryset
    condition = Q()
    for text in alternatives:
        condition |= _like_q(text)
    if not rank:
        return queryset.filter(condition)
    title_hit = Q()
    for text in alternatives:
        title_hit |= Q(title__icontains=text)
    return queryset.filter(condition).annotate(
        relevance=Case(When(title_hit, then=Value(2)), default=Value(1), output_field=IntegerField())
    )
