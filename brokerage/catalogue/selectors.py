"""Reads for the catalogue: the filtered list, its facet counts, the provider's lens.

Query budget of one catalogue page (anonymous): counts, the total and
default-order pages come from the in-memory facet index (no query once it is
built); a search adds the matching ids (none when kept); the page's offer
rows with their card's joins and one prefetch (also-offered-by), none for
cards already rendered. Signed in as a provider contact: one union query for
priorities, staff groups and plan (the contact comes with the signed-in
user). The number does not depend on the page size.
"""

import dataclasses

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Q, Value, prefetch_related_objects
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from programmes.cache import TIMEOUT, cached, namespace, shared_get_many
from programmes.cards import offer_cards
from programmes.choices import OrganisationKind
from programmes.models import Audience, Offer, Theme
from programmes.search import offers_ranked, offers_search, search_key, search_plan, uses_full_text
from programmes.selectors import (
    catalogue_offers, offer_card_prefetches, offer_card_related, review_cutoff, today, vocabulary,
)
from programmes.translated_text import shown_order
from providers.choices import TAKE_UP_KIND
from providers.models import PlanItem, ProviderOrganisation
from providers.permissions import acting_contact

from . import panel
from .facet_index import PageIds, build_index, index_fits
from .facets import FACETS, keys_for, uses_facet_arrays
from .filters import OfferFilter
from .ranking import provider_order, rank_reasons

SORTS = {
    "relevance": _("Best match"),
    "priorities": _("Suited to your organisation"),
    "start": _("Starting soonest"),
    "newest": _("Newest"),
    "title": _("Title A to Z"),
}
PAGE_SIZES = [10, 20, 50]
DEFAULT_PAGE_SIZE = 20


@dataclasses.dataclass
class ProviderLens:
    """What the catalogue knows of a signed-in provider contact's organisation."""

    organisation: ProviderOrganisation
    theme_ids: set
    audience_ids: set
    plan_offer_ids: set

    @property
    def take_up_kind(self):
        """The organisation's kind as offers name who can take them up (None: not one of those kinds)."""
        return TAKE_UP_KIND.get(self.organisation.kind)


def provider_lens(user):
    """The provider's priorities, staff groups and plan in one query, or None."""
    if not user.is_authenticated:
        return None
    # The signed-in user comes with the profile and its organisation (brokerage.auth_backends).
    contact = acting_contact(user)
    if contact is None:
        return None
    organisation = contact.organisation
    rows = (
        ProviderOrganisation.priorities.through.objects.filter(providerorganisation_id=organisation.pk)
        .values_list(Value("theme"), F("theme_id"))
        .union(
            ProviderOrganisation.staff_groups.through.objects.filter(
                providerorganisation_id=organisation.pk
            ).values_list(Value("audience"), F("audience_id")),
            PlanItem.objects.filter(organisation_id=organisation.pk).order_by().values_list(
                Value("plan"), F("offer_id")
            ),
            all=True,
        )
    )
    found = {"theme": set(), "audience": set(), "plan": set()}
    for kind, pk in rows:
        found[kind].add(pk)
    return ProviderLens(organisation, found["theme"], found["audience"], found["plan"])


def _facet_options(vocab, counts, selected):
    """{facet name: [{value, label, count, checked}]} in the declared order."""
    options = {}
    for facet in FACETS:
        facet_counts = counts.get(facet.name, {})
        options[facet.name] = [
            {
                "value": value,
                "label": label,
                "count": facet_counts.get(key, 0),
                "checked": value in selected.get(facet.name, ()),
            }
            for value, label, key in facet.choices(vocab)
        ]
    return options


def _is_unfiltered(cleaned):
    return not (cleaned.get("q") or "").strip() and not any(cleaned.get(facet.name) for facet in FACETS)


def _catalogue_index(*, show_past, on):
    """(cache key, facet index) of the catalogue's listed offers on a day."""
    index_key = f"facet-index:{show_past}:{on.isoformat()}"
    return index_key, cached(index_key, lambda: build_index(show_past=show_past, on=on), accept=index_fits)


def catalogue_total(*, on=None):
    """How many offers the unfiltered catalogue lists: its own "N offers", for anywhere else that says it.

    Not published_offers().count(): the catalogue leaves out offers whose dates
    have passed and shows offers marked as the same thing on one card.
    """
    _, index = _catalogue_index(show_past=False, on=on or today())
    return index.card_count


def catalogue_page(*, params, user, page_number=None):
    """Everything the catalogue page shows for a request's query parameters."""
    vocab = vocabulary()
    show_past = params.get("past") in ("1", "on", "true", "yes")
    on = today()
    lens = provider_lens(user)
    params, kind_default = _with_kind_default(params, lens)
    # The filterset validates the parameters; its queries are built only for
    # the orders the facet index cannot serve (below).
    filterset = OfferFilter(params, queryset=Offer.objects.all(), vocabulary=vocab)
    filterset.is_valid()  # invalid values (unknown slugs) are dropped by the form, not fatal
    cleaned = getattr(filterset.form, "cleaned_data", {})
    q = (cleaned.get("q") or "").strip()
    selected = filterset.selected()

    # Counts, the total and default-order pages come from the in-memory facet
    # index (built once per catalogue version and day); the database answers
    # the search (the matching ids) and other orders.
    index_key, index = _catalogue_index(show_past=show_past, on=on)
    bit_conditions = {
        facet.name: index.condition(facet.name, keys_for(facet, selected[facet.name], vocab))
        for facet in FACETS if selected[facet.name]
    }
    searched = _search_matches(q, index, index_key) if q else None
    counts = index.counts(bit_conditions, searched, vocab)
    total = counts["total"][""]

    sort = params.get("sort")
    available = [key for key in SORTS if (key != "relevance" or q) and (key != "priorities" or lens)]
    if sort not in available:
        sort = "relevance" if q else ("priorities" if "priorities" in available else "start")

    try:
        per_page = int(params.get("per_page", DEFAULT_PAGE_SIZE))
    except ValueError:
        per_page = DEFAULT_PAGE_SIZE
    if per_page not in PAGE_SIZES:
        per_page = DEFAULT_PAGE_SIZE
    if sort == "start":
        # The index is in this order already: the page is the n-th to m-th match.
        page_ids = PageIds(index, [index.matching(bit_conditions, searched)])
    elif sort == "relevance":
        page_ids = _best_match_ids(index, index_key, q, searched, bit_conditions, total, on)
    elif sort == "priorities":
        page_ids = PageIds(index, provider_order(index, lens, index.matching(bit_conditions, searched)))
    else:
        # Other orders: the page's ids from a lean query (only the columns it
        # filters and sorts on; no joins for the card's programme and people).
        listed = filterset.filter_queryset(catalogue_offers(show_past=show_past, on=on))
        grouped = index.grouped_cards(bit_conditions, searched)
        if grouped:
            # Cards brought by an offer they name (grouping never hides a match: facet_index).
            listed = Offer.objects.filter(Q(pk__in=listed.values("pk")) | Q(pk__in=grouped))
        page_ids = _ordered(listed, sort, on).values_list("pk", flat=True)
    paginator = Paginator(page_ids, per_page)
    paginator.__dict__["count"] = total  # counted already
    page = paginator.get_page(page_number or params.get("page"))
    page_ids = list(page.object_list)
    # An anonymous visitor's cards come from the card cache where they can;
    # only the others are read from the database and rendered.
    cards = _cached_cards(page_ids, on) if lens is None else {}
    read = {offer.pk: offer for offer in _page_offers([pk for pk in page_ids if pk not in cards], index)}
    cutoff = review_cutoff(on)
    for offer in read.values():
        offer.review_overdue = offer.last_reviewed_on < cutoff
        # Per viewer, so shown beside the card (catalogue/_results.html), never in the cached card.
        offer.rank_reasons = _rank_reasons(offer, lens, index, vocab) if lens else []
        offer.in_plan = bool(lens and offer.pk in lens.plan_offer_ids)
        offer.plan_add_url = reverse("account:plan_add", args=[offer.pk]) if lens else None
    if lens is None:
        cards.update(_render_cards(read.values(), on))
    offers = [cards.get(pk) or read[pk] for pk in page_ids if pk in cards or pk in read]
    page.object_list = offers
    facets = _facet_options(vocab, counts, selected)
    # Declared labels are lazy translations (facets.py): str() reads each in the page's language.
    facet_panel = [
        {"name": facet.name, "label": str(facet.label), "options": facets[facet.name]} for facet in FACETS
    ]
    return {
        "filterset": filterset,
        "form": filterset.form,
        "q": q,
        # How the words were searched: corrected ("Did you mean"), or any of them rather than all.
        "search_plan": search_plan(q) if q else None,
        "facets": facets,
        # Lazy: a partial (htmx) page shows the counts only, a full page the panel.
        "facet_panel": lambda: panel.facet_panel(facet_panel),
        "facet_counts_oob": lambda: panel.facet_counts_oob(facet_panel),
        "chosen_labels": [option["label"] for options in facets.values() for option in options if option["checked"]],
        "selected": selected,
        "show_past": show_past,
        "total": total,
        "page_obj": page,
        "offers": offers,
        "sort": sort,
        "sorts": [(key, SORTS[key]) for key in available],
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "lens": lens,
        "kind_default": kind_default,
        "is_filtered": not _is_unfiltered(cleaned),
        "chosen_count": sum(len(values) for values in selected.values()),
    }


def _with_kind_default(params, lens):
    """A provider contact's catalogue starts with offers their kind of organisation can take up.

    Only until they choose: the filter form always sends every_kind=1 for
    them (what they see ticked is what they get), and the page's link to
    every offer sends it alone. Returns (params, the chosen kind's label or None).
    """
    kind = lens.take_up_kind if lens else None
    if kind is None or params.get("every_kind") == "1" or params.getlist("open_to"):
        return params, None
    params = params.copy()
    params.setlist("open_to", [kind])
    return params, OrganisationKind(kind).label


def _best_match_ids(index, index_key, q, searched, bit_conditions, total, on):
    """The matches' ids by best match, as a sliceable sequence."""
    matches = index.matching(bit_conditions, searched)
    searched_cards = index.lift(searched)

    def ranked():
        """The first RANK_CAP matches of the words alone, ranked once per catalogue version."""
        return _search_cached(
            index_key, "rank", q, lambda: list(_ranked(index.ids_at(searched_cards, 0, RANK_CAP), q, on))
        )

    if searched_cards.bit_count() <= RANK_CAP:
        # Every match is ranked: the filters keep their share, in rank order.
        return [pk for pk in ranked() if matches >> index.position[pk] & 1]
    if not bit_conditions:
        # No filter: the ranked ones, then the other matches in the default order.
        first = ranked()
        return _RankedThenRest(first, PageIds(index, [matches & ~index.of_ids(first)]))
    return _capped_relevance(index, matches, total, q, on)


def _search_matches(q, index, index_key):
    """The bit set of the listed offers a search matches."""
    return _search_cached(index_key, "search", q, lambda: index.of_ids(_search_ids(q)))


def _search_cached(index_key, name, q, compute):
    """compute() kept with the facet index (per catalogue version and day) unless CATALOGUE_SEARCH_CACHE is off.

    The same words with other filters, pages or orders then cost no search
    query, like a facet choice.
    """
    if not settings.CATALOGUE_SEARCH_CACHE:
        return compute()
    # A Welsh page's search also reads the Welsh text: its matches are its own (search_key).
    return cached(f"{index_key}:{name}:{search_key(q)}", compute)


def _search_ids(q):
    """The ids of every offer the search matches (visibility is the index's business)."""
    matching = offers_search(Offer.objects.order_by(), q, rank=False).values("pk")
    if not uses_facet_arrays():
        return [row["pk"] for row in matching]
    # PostgreSQL: one array value rather than a row per match (a broad search
    # matches tens of thousands of offers at 50,000).
    sql, params = matching.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT array_agg(s.pk) FROM ({sql}) s", params)
        return cursor.fetchone()[0] or []


# "Best match" ranks at most this many matches: the first ones in the default
# order (fresh before overdue, soonest first); any further matches follow them
# in that order. A broad search then costs about the same at 1,000 offers as at
# 50,000 (measured in benchmarks/README.md).
RANK_CAP = 500


def _page_offers(page_ids, index):
    """The page's offers with what their cards show, in page order: two queries whatever the page size.

    The offer rows (with programme and people) and the "also offered by"
    offers come from the database; themes and audiences from the facet index
    and the cached vocabulary, as the plain attributes card_themes and
    card_audiences (programmes.cards).
    """
    if not page_ids:
        return []
    known = all(pk in index.links for pk in page_ids)
    prefetches = offer_card_prefetches()
    if known:
        prefetches = [p for p in prefetches if p.prefetch_to not in ("themes", "audiences")]
    # Few offers are marked as the same as another: the "also offered by" line is read for those only
    # (building its querysets cost a third of reading a page's offers).
    also_offered = [p for p in prefetches if p.prefetch_to == "also_offered"]
    found = {
        offer.pk: offer
        for offer in Offer.objects.filter(pk__in=page_ids)
        .select_related(*offer_card_related())
        .prefetch_related(*[p for p in prefetches if p not in also_offered])
    }
    offers = [found[pk] for pk in page_ids if pk in found]
    with_partners = _offers_with_partners()
    for offer in offers:
        if offer.pk not in with_partners:
            offer.also_offered = []
    prefetch_related_objects([offer for offer in offers if offer.pk in with_partners], *also_offered)
    themes, audiences = _vocabulary_objects() if known else ((), ())
    for offer in offers:
        if known:
            theme_ids, audience_ids = index.links[offer.pk]
            offer.card_themes = [theme for theme in themes if theme.pk in theme_ids]
            offer.card_audiences = [audience for audience in audiences if audience.pk in audience_ids]
        else:
            offer.card_themes, offer.card_audiences = list(offer.themes.all()), list(offer.audiences.all())
    return offers


def _offers_with_partners():
    """The ids of offers marked as the same as another, kept per catalogue version (same_as is
    symmetrical: each pair is stored both ways round)."""
    return cached(
        "offers-with-partners", lambda: frozenset(Offer.same_as.through.objects.values_list("from_offer_id", flat=True))
    )


@dataclasses.dataclass(frozen=True)
class CachedCard:
    """An offer's card as an anonymous visitor sees it, rendered once (the page shows ``card_html``)."""

    pk: int
    slug: str
    title: str
    card_html: str


_cards = {"key": None, "cards": {}}
_CARDS_KEPT = 20_000


def _card_store(on):
    """This process's cards of the current catalogue namespace, day and language.

    Any change to offers or their vocabulary renews the version, a deploy that
    changes the card's code or template the namespace, and the day is part of
    the key because "not checked for 6 months" moves with it. A card's links
    and words are in its page's language (/cy/offers/ links to /cy/...).
    """
    key = (namespace(), on)
    if _cards["key"] != key or sum(len(cards) for cards in _cards["cards"].values()) > _CARDS_KEPT:
        _cards["key"], _cards["cards"] = key, {}
    return _cards["cards"].setdefault(get_language(), {})


def _shared_card_key(pk):
    """The shared cache's name for a card of this process's store: same catalogue namespace, day and language."""
    space, on = _cards["key"]
    return f"catalogue:{space}:card:{on.isoformat()}:{get_language()}:{pk}"


def _cached_cards(page_ids, on):
    """The cards already rendered: by this process, or by another one (the shared cache, one round trip)."""
    if not settings.CATALOGUE_CARD_CACHE:
        return {}
    store = _card_store(on)
    missing = [pk for pk in page_ids if pk not in store]
    if missing:
        # After an edit renews the version, each card is rendered by one
        # process and read by the others, rather than rendered by all of them.
        shared = shared_get_many([_shared_card_key(pk) for pk in missing], lambda card: isinstance(card, CachedCard))
        store.update((card.pk, card) for card in shared.values())
    return {pk: store[pk] for pk in page_ids if pk in store}


def _render_cards(offers, on):
    """Render the cards of these offers (read with everything a card shows) in one batch, and keep them,
    here and shared, when the card cache is on (a batch reverses its addresses once, not per card)."""
    offers = list(offers)
    rendered = {
        offer.pk: CachedCard(pk=offer.pk, slug=offer.slug, title=offer.title, card_html=html)
        for offer, html in zip(offers, offer_cards(offers))
    }
    if rendered and settings.CATALOGUE_CARD_CACHE:
        _card_store(on).update(rendered)
        cache.set_many({_shared_card_key(pk): card for pk, card in rendered.items()}, TIMEOUT)
    return rendered


def _vocabulary_objects():
    """Unsaved-looking Theme and Audience instances from the cached vocabulary, in their display order (per language)."""
    def build():
        vocab = vocabulary()
        return (
            [Theme(id=pk, slug=slug, name=name) for pk, slug, name in vocab["theme"]],
            [Audience(id=pk, slug=slug, name=name) for pk, slug, name in vocab["audience"]],
        )

    return cached(f"vocabulary-objects:{get_language()}", build)


def _ranked(candidates, q, on):
    """The candidates' ids by best match: fresh before overdue for review, then rank, title, id (a lazy queryset)."""
    # The candidates matched already: rank them only (a fallback plan may match by any word).
    return offers_ranked(Offer.objects.filter(pk__in=candidates), search_plan(q)).with_stale(review_cutoff(on)).order_by("stale", "-relevance", "title", "pk").values_list("pk", flat=True)


def _capped_relevance(index, matches, total, q, on):
    candidates = index.ids_at(matches, 0, RANK_CAP)
    ranked = _ranked(candidates, q, on)
    if total <= RANK_CAP:
        return ranked
    return _RankedThenRest(ranked, PageIds(index, [matches & ~index.of_ids(candidates)]))


class _RankedThenRest:
    """The ranked candidates (a list, or a lazy queryset: one query when sliced), then the other matches in default order."""

    def __init__(self, ranked, rest):
        self.ranked, self.rest = ranked, rest

    def __len__(self):
        return RANK_CAP + len(self.rest)

    def count(self):
        return len(self)

    def __getitem__(self, item):
        start, stop, _ = item.indices(len(self))
        found = list(self.ranked[start:min(stop, RANK_CAP)]) if start < RANK_CAP else []
        if stop > RANK_CAP:
            found += self.rest[max(0, start - RANK_CAP):stop - RANK_CAP]
        return found


def _ordered(queryset, sort, on):
    """The orders the facet index does not keep: newest and title (fresh offers first in both)."""
    queryset = queryset.with_stale(review_cutoff(on))
    if sort == "newest":
        return queryset.order_by("stale", F("published_at").desc(nulls_last=True), "-pk")
    return queryset.order_by("stale", shown_order("title"), "pk")


def _rank_reasons(offer, lens, index, vocab):
    """The reasons (ranking.rank_reasons) with where the offer runs read from the facet index and vocabulary."""
    region_id = lens.organisation.region_id
    position = index.position.get(offer.pk)
    in_region = position is not None and bool(index.bits["region"].get(str(region_id), 0) >> position & 1)
    region_name = next((name for pk, _, name in vocab["region"] if pk == region_id), "")
    return rank_reasons(offer, lens, in_region=in_region, region_name=region_name)


def full_text_enabled():
    return uses_full_text()
