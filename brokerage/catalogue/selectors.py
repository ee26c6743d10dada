"""Reads for the catalogue: the filtered list, its facet counts, the provider's lens.

Query budget of one catalogue page (anonymous): facet counts and the total in
ONE union query (none when the unfiltered counts are cached), the page of
offers, and three prefetches (themes, audiences, also-offered-by). Signed in
as a provider contact: the contact row and one union query for priorities,
staff groups and plan. The number does not depend on the page size.
"""

import dataclasses

from django.core.paginator import Paginator
from django.db.models import (
    Case, CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When,
)
from django.db.models.functions import Cast, Coalesce

from programmes.cache import cached
from programmes.models import Offer
from programmes.search import uses_full_text
from programmes.selectors import (
    catalogue_offers, offer_card_prefetches, offer_card_related, review_cutoff, today, vocabulary,
)
from providers.models import PlanItem, ProviderContact, ProviderOrganisation

from .filters import FACETS, OfferFilter

SORTS = {
    "relevance": "Best match",
    "priorities": "Matches your priorities",
    "start": "Starting soonest",
    "newest": "Newest",
    "title": "Title A to Z",
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
    def has_priorities(self):
        return bool(self.theme_ids or self.audience_ids)


def provider_lens(user):
    """The provider's priorities, staff groups and plan in two queries, or None."""
    if not user.is_authenticated:
        return None
    contact = ProviderContact.objects.select_related("organisation").filter(user=user).first()
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


def _count_rows(queryset, facet, key):
    return queryset.order_by().values(facet=Value(facet), key=key).annotate(n=Count("*"))


def _facet_queries(filterset_for, full):
    """One queryset per facet, each counting with every filter but its own applied."""
    parts = []
    Themes, Audiences, Regions = Offer.themes.through, Offer.audiences.through, Offer.regions.through
    for facet in FACETS:
        ids = filterset_for(facet).values("pk")
        if facet == "theme":
            parts.append(_count_rows(Themes.objects.filter(offer_id__in=ids), "theme", Cast("theme_id", CharField())))
        elif facet == "audience":
            parts.append(
                _count_rows(Audiences.objects.filter(offer_id__in=ids), "audience", Cast("audience_id", CharField()))
            )
        elif facet == "region":
            parts.append(
                _count_rows(
                    Regions.objects.filter(offer_id__in=ids, offer__is_national=False),
                    "region", Cast("region_id", CharField()),
                )
            )
            parts.append(
                _count_rows(Offer.objects.filter(pk__in=ids, is_national=True), "national", Value("", CharField()))
            )
        elif facet in ("format", "cost"):
            parts.append(_count_rows(Offer.objects.filter(pk__in=ids), facet, F(facet)))
        elif facet == "accredited":
            parts.append(
                _count_rows(
                    Offer.objects.filter(pk__in=ids), "accredited",
                    Case(When(accredited=True, then=Value("yes")), default=Value("no"), output_field=CharField()),
                )
            )
    parts.append(_count_rows(Offer.objects.filter(pk__in=full.values("pk")), "total", Value("", CharField())))
    return parts


def catalogue_counts(filterset_for, full):
    """{facet: {key: count}} for every facet, plus {"total": {"": n}}, in one query."""
    first, *rest = _facet_queries(filterset_for, full)
    counts = {}
    for row in first.union(*rest, all=True):
        counts.setdefault(row["facet"], {})[row["key"]] = row["n"]
    regions = counts.pop("region", {})
    national = counts.pop("national", {}).get("", 0)
    region_ids = {str(pk) for pk, _, _ in vocabulary()["region"]}
    counts["region"] = {key: regions.get(key, 0) + national for key in region_ids}
    return counts


def _facet_options(filterset, counts, selected):
    vocab = filterset.vocabulary
    options = {}
    for facet in FACETS:
        if facet in vocab:
            choices = [(slug, label, str(pk)) for pk, slug, label in vocab[facet]]
        else:
            choices = [(value, label, value) for value, label in filterset.filters[facet].extra["choices"]]
        facet_counts = counts.get(facet, {})
        options[facet] = [
            {
                "value": value,
                "label": label,
                "count": facet_counts.get(key, 0),
                "checked": value in selected.get(facet, ()),
            }
            for value, label, key in choices
        ]
    return options


def _is_unfiltered(cleaned):
    return not (cleaned.get("q") or "").strip() and not any(cleaned.get(facet) for facet in FACETS)


def catalogue_page(*, params, user, page_number=None):
    """Everything the catalogue page shows for a request's query parameters."""
    vocab = vocabulary()
    show_past = params.get("past") in ("1", "on", "true", "yes")
    on = today()
    base = catalogue_offers(show_past=show_past, on=on)
    filterset = OfferFilter(params, queryset=base, vocabulary=vocab)
    filterset.is_valid()  # invalid values (unknown slugs) are dropped by the form, not fatal
    cleaned = getattr(filterset.form, "cleaned_data", {})
    q = (cleaned.get("q") or "").strip()
    selected = {facet: cleaned.get(facet) or [] for facet in FACETS}
    lens = provider_lens(user)

    def filterset_for(facet):
        data = params.copy()
        data.pop(facet, None)
        other = OfferFilter(data, queryset=base, vocabulary=vocab)
        return other.qs

    full = filterset.qs
    if _is_unfiltered(cleaned):
        counts = cached(f"facets:{show_past}:{on.isoformat()}", lambda: catalogue_counts(filterset_for, full))
    else:
        counts = catalogue_counts(filterset_for, full)
    total = counts.get("total", {}).get("", 0)

    sort = params.get("sort")
    available = [key for key in SORTS if (key != "relevance" or q) and (key != "priorities" or (lens and lens.has_priorities))]
    if sort not in available:
        sort = "relevance" if q else ("priorities" if "priorities" in available else "start")
    ordered = _ordered(full, sort, lens, on)

    try:
        per_page = int(params.get("per_page", DEFAULT_PAGE_SIZE))
    except ValueError:
        per_page = DEFAULT_PAGE_SIZE
    if per_page not in PAGE_SIZES:
        per_page = DEFAULT_PAGE_SIZE
    paginator = Paginator(ordered, per_page)
    paginator.__dict__["count"] = total  # counted in the facet query already
    page = paginator.get_page(page_number or params.get("page"))
    offers = list(page.object_list)
    cutoff = review_cutoff(on)
    for offer in offers:
        offer.review_overdue = offer.last_reviewed_on < cutoff
        offer.matches = _match_reasons(offer, lens) if lens else []
        offer.in_plan = bool(lens and offer.pk in lens.plan_offer_ids)
    return {
        "filterset": filterset,
        "form": filterset.form,
        "q": q,
        "facets": _facet_options(filterset, counts, selected),
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
        "is_filtered": not _is_unfiltered(cleaned),
    }


def _ordered(queryset, sort, lens, on):
    cutoff = review_cutoff(on)
    queryset = queryset.annotate(
        stale=Case(When(last_reviewed_on__lt=cutoff, then=Value(1)), default=Value(0), output_field=IntegerField())
    )
    if sort == "priorities" and lens:
        Themes, Audiences = Offer.themes.through, Offer.audiences.through
        theme_hits = (
            Themes.objects.filter(offer_id=OuterRef("pk"), theme_id__in=lens.theme_ids)
            .order_by().values("offer_id").annotate(n=Count("*")).values("n")
        )
        audience_hits = (
            Audiences.objects.filter(offer_id=OuterRef("pk"), audience_id__in=lens.audience_ids)
            .order_by().values("offer_id").annotate(n=Count("*")).values("n")
        )
        queryset = queryset.annotate(
            match=Coalesce(Subquery(theme_hits, output_field=IntegerField()), 0)
            + Coalesce(Subquery(audience_hits, output_field=IntegerField()), 0)
        )
        order = ["-match", "stale", F("starts_on").asc(nulls_last=True), "title", "pk"]
    elif sort == "relevance":
        order = ["stale", "-relevance", "title", "pk"]
    elif sort == "newest":
        order = ["stale", F("published_at").desc(nulls_last=True), "-pk"]
    elif sort == "title":
        order = ["stale", "title", "pk"]
    else:
        order = ["stale", F("starts_on").asc(nulls_last=True), "title", "pk"]
    return (
        queryset.order_by(*order)
        .select_related(*offer_card_related())
        .prefetch_related(*offer_card_prefetches())
    )


def _match_reasons(offer, lens):
    themes = [theme.name for theme in offer.themes.all() if theme.pk in lens.theme_ids]
    audiences = [audience.name for audience in offer.audiences.all() if audience.pk in lens.audience_ids]
    return themes + audiences


def full_text_enabled():
    return uses_full_text()
