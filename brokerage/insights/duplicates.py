"""The duplicate finder: pairs of published offers of different programmes that look alike.

Similarity is trigram similarity as PostgreSQL's pg_trgm computes it (shared
trigrams over all trigrams of the two texts). On PostgreSQL the database
finds the pairs through the trigram index on the title; on SQLite the same
measure is computed in Python over a bounded candidate set (the newest
``SQLITE_CANDIDATES`` published offers), compared only within shared themes.

A pair is a candidate when the titles are at least ``TITLE_GATE`` similar
(pg_trgm's default threshold), the offers share a theme and an audience and
their regions overlap (either national, either without regions, or one in
common), and the score (two parts title, one part summary) is at least
``MIN_SCORE``. Pairs a coordinator has reviewed are not candidates any more.
Offers are compared in English, the language every offer has.
"""

import re
from dataclasses import dataclass
from itertools import combinations

from django.db import connection
from django.db.models import Q

from programmes.choices import OfferStatus
from programmes.models import Offer

from .choices import DuplicateDecision
from .models import DuplicateReview

TITLE_GATE = 0.3
MIN_SCORE = 0.45
SQLITE_CANDIDATES = 2000
_WORD = re.compile(r"[^\W_]+")


def trigrams(text):
    """pg_trgm's trigrams: each lower-cased word padded with two spaces before, one after."""
    grams = set()
    for word in _WORD.findall((text or "").lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(one, two):
    """Like pg_trgm's ``similarity()``: 0 (nothing shared) to 1 (same trigrams)."""
    a, b = (one if isinstance(one, set) else trigrams(one)), (two if isinstance(two, set) else trigrams(two))
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def pair_score(title_similarity, summary_similarity):
    return (2 * title_similarity + summary_similarity) / 3


@dataclass
class DuplicatePair:
    offer_a: Offer
    offer_b: Offer
    score: float
    title_similarity: float
    summary_similarity: float

    @property
    def percent(self):
        return round(self.score * 100)

    def _shared(self, name):
        ids = {x.pk for x in getattr(self.offer_b, name).all()}
        return [x for x in getattr(self.offer_a, name).all() if x.pk in ids]

    @property
    def shared_themes(self):
        return self._shared("themes")

    @property
    def shared_audiences(self):
        return self._shared("audiences")

    @property
    def shared_regions(self):
        if self.offer_a.is_national or self.offer_b.is_national:
            return None  # everywhere
        return self._shared("regions")


def duplicate_candidates(*, limit=100, published_since=None, min_score=MIN_SCORE):
    """Unreviewed candidate pairs, the most similar first, offers loaded for display."""
    if connection.vendor == "postgresql":
        raw = _pairs_postgresql(limit=limit, published_since=published_since, min_score=min_score)
    else:
        raw = _pairs_python(limit=limit, published_since=published_since, min_score=min_score)
    return _load(raw)


def _load(raw):
    ids = {pk for a, b, *_ in raw for pk in (a, b)}
    offers = Offer.objects.select_related("programme", "contact__user").prefetch_related(
        "themes", "audiences", "regions"
    ).in_bulk(ids)
    return [
        DuplicatePair(offers[a], offers[b], score, ts, ss)
        for a, b, ts, ss, score in raw
        if a in offers and b in offers
    ]


def pair(offer_one_id, offer_two_id):
    """One pair for the side-by-side comparison (whether or not it is still a candidate)."""
    a_id, b_id = sorted([offer_one_id, offer_two_id])
    offers = (
        Offer.objects.select_related("programme", "contact__user")
        .prefetch_related("themes", "audiences", "regions")
        .in_bulk([a_id, b_id])
    )
    if len(offers) != 2:
        return None
    a, b = offers[a_id], offers[b_id]
    ts, ss = similarity(a.title, b.title), similarity(a.summary, b.summary)
    return DuplicatePair(a, b, pair_score(ts, ss), ts, ss)


def _pairs_postgresql(*, limit, published_since, min_score):
    offer = Offer._meta.db_table
    themes = Offer.themes.through._meta.db_table
    audiences = Offer.audiences.through._meta.db_table
    regions = Offer.regions.through._meta.db_table
    reviews = DuplicateReview._meta.db_table
    since = ""
    params = [OfferStatus.PUBLISHED, OfferStatus.PUBLISHED]
    if published_since is not None:
        since = "AND (a.published_at >= %s OR b.published_at >= %s)"
        params += [published_since, published_since]
    params += [min_score, limit]
    sql = f"""
        SELECT a_id, b_id, ts, ss, (2 * ts + ss) / 3 AS score FROM (
            SELECT a.id AS a_id, b.id AS b_id,
                   similarity(a.title_en_gb, b.title_en_gb) AS ts, similarity(a.summary_en_gb, b.summary_en_gb) AS ss
            FROM {offer} a
            JOIN {offer} b ON a.title_en_gb %% b.title_en_gb AND a.id < b.id
            WHERE a.status = %s AND b.status = %s AND a.programme_id <> b.programme_id
              {since}
              AND EXISTS (SELECT 1 FROM {themes} ta JOIN {themes} tb ON ta.theme_id = tb.theme_id
                          WHERE ta.offer_id = a.id AND tb.offer_id = b.id)
              AND EXISTS (SELECT 1 FROM {audiences} aa JOIN {audiences} ab ON aa.audience_id = ab.audience_id
                          WHERE aa.offer_id = a.id AND ab.offer_id = b.id)
              AND (a.is_national OR b.is_national
                   OR NOT EXISTS (SELECT 1 FROM {regions} r WHERE r.offer_id = a.id)
                   OR NOT EXISTS (SELECT 1 FROM {regions} r WHERE r.offer_id = b.id)
                   OR EXISTS (SELECT 1 FROM {regions} ra JOIN {regions} rb ON ra.region_id = rb.region_id
                              WHERE ra.offer_id = a.id AND rb.offer_id = b.id))
              AND NOT EXISTS (SELECT 1 FROM {reviews} rv WHERE rv.offer_a_id = a.id AND rv.offer_b_id = b.id)
        ) pairs
        WHERE (2 * ts + ss) / 3 >= %s
        ORDER BY score DESC, a_id, b_id
        LIMIT %s
    """
    with connection.cursor() as cursor:
        # The "%" operator's threshold (pg_trgm.similarity_threshold) for this session.
        cursor.execute("SELECT set_limit(%s)", [TITLE_GATE])
        cursor.execute(sql, params)
        return [(a, b, float(ts), float(ss), float(score)) for a, b, ts, ss, score in cursor.fetchall()]


def _pairs_python(*, limit, published_since, min_score):
    offers = list(
        Offer.objects.filter(status=OfferStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
        .values_list("pk", "programme_id", "title_en_gb", "summary_en_gb", "is_national", "published_at")[:SQLITE_CANDIDATES]
    )
    ids = [o[0] for o in offers]
    memberships = {}
    for name, column in (("themes", "theme_id"), ("audiences", "audience_id"), ("regions", "region_id")):
        through = getattr(Offer, name).through
        found = {}
        for offer_id, value in through.objects.filter(offer_id__in=ids).values_list("offer_id", column):
            found.setdefault(offer_id, set()).add(value)
        memberships[name] = found
    reviewed = set(DuplicateReview.objects.values_list("offer_a_id", "offer_b_id"))
    info = {o[0]: o for o in offers}
    title_grams = {o[0]: trigrams(o[2]) for o in offers}
    summary_grams = {o[0]: trigrams(o[3]) for o in offers}
    by_theme = {}
    for offer_id, theme_ids in memberships["themes"].items():
        for theme_id in theme_ids:
            by_theme.setdefault(theme_id, []).append(offer_id)
    seen, found = set(), []
    for members in by_theme.values():
        for one, two in combinations(sorted(members), 2):
            if (one, two) in seen:
                continue
            seen.add((one, two))
            a, b = info[one], info[two]
            if a[1] == b[1] or (one, two) in reviewed:
                continue
            if published_since is not None and not (
                (a[5] and a[5] >= published_since) or (b[5] and b[5] >= published_since)
            ):
                continue
            if not memberships["audiences"].get(one, set()) & memberships["audiences"].get(two, set()):
                continue
            regions_a, regions_b = memberships["regions"].get(one, set()), memberships["regions"].get(two, set())
            if not (a[4] or b[4] or not regions_a or not regions_b or regions_a & regions_b):
                continue
            ts = similarity(title_grams[one], title_grams[two])
            if ts < TITLE_GATE:
                continue
            ss = similarity(summary_grams[one], summary_grams[two])
            score = pair_score(ts, ss)
            if score >= min_score:
                found.append((one, two, ts, ss, score))
    found.sort(key=lambda row: (-row[4], row[0], row[1]))
    return found[:limit]


def reviewed_pairs(decision):
    return (
        DuplicateReview.objects.filter(decision=decision)
        .select_related("offer_a__programme", "offer_b__programme", "decided_by")
        .order_by("-decided_at")
    )


def coordination_notes_for(worker):
    """Pairs 'to coordinate' that involve one of the worker's programmes (for /workspace/)."""
    if worker is None:
        return DuplicateReview.objects.none()
    programme_ids = worker.programmes.values("pk")
    return (
        DuplicateReview.objects.filter(decision=DuplicateDecision.COORDINATE)
        .filter(Q(offer_a__programme__in=programme_ids) | Q(offer_b__programme__in=programme_ids))
        .select_related("offer_a__programme", "offer_b__programme")
        .order_by("-decided_at")
    )


def workspace_context(request, worker):
    """The /workspace/ section's context (registered in BrokerageConfig.ready)."""
    return {"workspace_coordination": list(coordination_notes_for(worker)[:50])}
