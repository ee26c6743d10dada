"""Reads for the catalogue: the filtered list, its facet counts, the provider's lens.

Query budget of one catalogue page (anonymous): facet counts and the total in
two queries (none when the unfiltered counts are cached), the page of
offers, and three prefetches (themes, audiences, also-offered-by). Signed in
as a provider contact: the contact row and one union query for priorities,
staff groups and plan. The number does not depend on the page size.
"""

import dataclasses

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db.models import (
    BooleanField, Case, CharField, Count, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery, Value, When,
)
from django.db.models.functions import Cast, Coalesce

from programmes.cache import cached
from programmes.models import Offer
from programmes.choices import CostKind, OfferFormat
from programmes.search import offers_search, uses_full_text
from programmes.selectors import (
    catalogue_offers, offer_card_prefetches, offer_card_related, review_cutoff, today, vocabulary,
)
from providers.models import PlanItem, ProviderOrganisation

from .filters import FACETS, OfferFilter, facet_condition, slug_ids

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
    contact = _load_profiles(user)
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


def _load_profiles(user):
    """Both profiles of the user in one query, remembered on the user object.

    The navigation asks whether the user is a worker or a provider contact;
    with the answers cached here it asks the database nothing more.
    """
    User = get_user_model()
    loaded = User.objects.select_related("provider_profile__organisation", "worker_profile").filter(pk=user.pk).first()
    if loaded is None:
        return None
    found = {}
    for name in ("provider_profile", "worker_profile"):
        try:
            found[name] = getattr(loaded, name)
        except ObjectDoesNotExist:
            found[name] = None
        getattr(User, name).related.set_cached_value(user, found[name])
    return found["provider_profile"]


def _count_rows(queryset, facet, key):
    return queryset.order_by().values(facet=Value(facet), key=key).annotate(n=Count("*"))


def catalogue_counts(*, base, conditions, selected, vocab):
    """{facet: {key: count}} for every facet, plus {"total": {"": n}}, in two queries.

    A choice's count is the number of offers the page would list with that
    choice in place of its own filter's choices and every other filter kept.
    ``base`` is the visible (and searched) set; ``conditions`` maps each active
    filter to its Q. Theme, audience and region are counted through their
    link tables in one UNION ALL query; format, cost, accreditation, national
    offers and the total from one grouped pass over the offers.
    """

    def others(facet):
        combined = Q()
        for name, condition in conditions.items():
            if name != facet:
                combined &= condition
        return combined

    def ids_for(facet):
        return base.filter(others(facet)).values("pk")

    Themes, Audiences, Regions = Offer.themes.through, Offer.audiences.through, Offer.regions.through
    linked = _count_rows(Themes.objects.filter(offer_id__in=ids_for("theme")), "theme", Cast("theme_id", CharField()))
    linked = linked.union(
        _count_rows(
            Audiences.objects.filter(offer_id__in=ids_for("audience")), "audience", Cast("audience_id", CharField())
        ),
        _count_rows(
            Regions.objects.filter(offer_id__in=ids_for("region"), offer__is_national=False),
            "region", Cast("region_id", CharField()),
        ),
        all=True,
    )
    counts = {}
    for row in linked:
        counts.setdefault(row["facet"], {})[row["key"]] = row["n"]

    # One pass over the offers, grouped by the offer's own facet values and by
    # whether it meets each active link-table filter (each test evaluated once
    # per row); the counts for format, cost, accreditation, national offers and
    # the total are then summed here from those few groups.
    linked_facets = [facet for facet in ("theme", "audience", "region") if facet in conditions]
    flags = {
        f"meets_{facet}": ExpressionWrapper(conditions[facet], output_field=BooleanField()) for facet in linked_facets
    }
    groups = list(
        base.order_by().annotate(**flags)
        .values("format", "cost", "accredited", "is_national", *flags).annotate(n=Count("*"))
    )
    chosen = {facet: set(values) for facet, values in selected.items()}

    def meets(row, facet):
        if facet in linked_facets:
            return bool(row[f"meets_{facet}"])
        if facet == "accredited":
            return ("yes" if row["accredited"] else "no") in chosen["accredited"]
        return row[facet] in chosen[facet]

    def meets_others(row, skip):
        return all(meets(row, facet) for facet in conditions if facet != skip)

    def total(predicate, skip):
        return sum(row["n"] for row in groups if predicate(row) and meets_others(row, skip))

    counts["total"] = {"": total(lambda row: True, None)}
    counts["national"] = {"": total(lambda row: row["is_national"], "region")}
    for facet, choices in (("format", OfferFormat.values), ("cost", CostKind.values)):
        counts[facet] = {value: total(lambda row, v=value, f=facet: row[f] == v, facet) for value in choices}
    counts["accredited"] = {
        "yes": total(lambda row: row["accredited"], "accredited"),
        "no": total(lambda row: not row["accredited"], "accredited"),
    }

    regions = counts.pop("region", {})
    national = counts.pop("national", {}).get("", 0)
    counts["region"] = {str(pk): regions.get(str(pk), 0) + national for pk, _, _ in vocab["region"]}
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

    ids = slug_ids(vocab)
    conditions = {facet: facet_condition(facet, selected[facet], ids) for facet in FACETS if selected[facet]}
    searched = offers_search(base, q, rank=False) if q else base

    def counts_now():
        return catalogue_counts(base=searched, conditions=conditions, selected=selected, vocab=vocab)

    full = filterset.qs
    if _is_unfiltered(cleaned):
        counts = cached(f"facets:{show_past}:{on.isoformat()}", counts_now)
    else:
        counts = counts_now()
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
        "chosen_count": sum(len(values) for values in selected.values()),
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
