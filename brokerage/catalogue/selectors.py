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
from django.db import connection
from django.db.models import (
    BooleanField, Case, CharField, Count, Expression, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery,
    Value, When,
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

from .filters import FACETS, OfferFilter, facet_condition, slug_ids, uses_facet_arrays

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


class _OfferColumn(Expression):
    """A column of the offer table that the model does not declare (PostgreSQL's facet arrays)."""

    def __init__(self, column, output_field=None):
        super().__init__(output_field=output_field or CharField())
        self.column = column

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{alias}.{self.column}", []


def _counts_one_pass(*, base, conditions, vocab):
    """PostgreSQL: every facet's counts and the total in ONE query, one pass over the matching offers.

    Each offer row carries its theme/audience/region ids as arrays (programmes
    0004). A row meeting every active filter counts for every facet; a row
    failing exactly one filter counts only for that filter's own choices (a
    choice's count ignores its own filter); a row failing two or more counts
    for nothing. So each visible row is labelled once with ``miss`` ('' or the
    one filter it fails, 'x' for more), the labelled rows are materialised,
    and each facet is an unnest + GROUP BY over them.
    """
    names = list(conditions)
    if names:
        whens = []
        all_met = Q()
        for name in names:
            all_met &= conditions[name]
        whens.append(When(all_met, then=Value("")))
        for name in names:
            fails_only_this = ~conditions[name]
            for other in names:
                if other != name:
                    fails_only_this &= conditions[other]
            whens.append(When(fails_only_this, then=Value(name)))
        miss = Case(*whens, default=Value("x"), output_field=CharField())
    else:
        miss = Value("", output_field=CharField())
    inner = (
        base.order_by()
        .annotate(
            miss=miss, t_ids=_OfferColumn("theme_ids"), a_ids=_OfferColumn("audience_ids"),
            r_ids=_OfferColumn("region_ids"),
        )
        .values("format", "cost", "accredited", "is_national", "miss", "t_ids", "a_ids", "r_ids")
    )
    inner_sql, inner_params = inner.query.sql_with_params()
    params = ()
    # One aggregate per choice, all in a single pass over the labelled rows
    # (cheaper here than materialising them and unnesting once per facet).
    columns, keys = [], []
    for facet, column in (("theme", "t_ids"), ("audience", "a_ids"), ("region", "r_ids")):
        extra = " AND NOT s.is_national" if facet == "region" else ""
        for pk, _, _ in vocab[facet]:
            columns.append(f"count(*) FILTER (WHERE s.miss IN ('', '{facet}'){extra} AND s.{column} @> ARRAY[%s]::bigint[])")
            params = (*params, int(pk))
            keys.append((facet, str(pk)))
    columns.append("count(*) FILTER (WHERE s.miss IN ('', 'region') AND s.is_national)")
    keys.append(("national", ""))
    for facet, values in (("format", OfferFormat.values), ("cost", CostKind.values)):
        for value in values:
            columns.append(f"count(*) FILTER (WHERE s.miss IN ('', '{facet}') AND s.{facet} = %s)")
            params = (*params, value)
            keys.append((facet, value))
    columns.append("count(*) FILTER (WHERE s.miss IN ('', 'accredited') AND s.accredited)")
    keys.append(("accredited", "yes"))
    columns.append("count(*) FILTER (WHERE s.miss IN ('', 'accredited') AND NOT s.accredited)")
    keys.append(("accredited", "no"))
    columns.append("count(*) FILTER (WHERE s.miss = '')")
    keys.append(("total", ""))
    # The choices' parameters come first in the SQL text, then the inner query's.
    # OFFSET 0 keeps the inner query a separate plan node, so each row's label is
    # computed once (flattened, PostgreSQL would repeat the CASE in every FILTER).
    sql = f"SELECT {', '.join(columns)} FROM ({inner_sql} OFFSET 0) s WHERE s.miss <> 'x'"
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *inner_params))
        row = cursor.fetchone()
    for (facet, key), n in zip(keys, row):
        if n or facet in ("total", "national", "format", "cost", "accredited"):
            counts.setdefault(facet, {})[key] = n
    counts.setdefault("total", {"": 0})
    for facet, values in (("format", OfferFormat.values), ("cost", CostKind.values), ("accredited", ["yes", "no"])):
        found = counts.get(facet, {})
        counts[facet] = {value: found.get(value, 0) for value in values}
    national = counts.pop("national", {}).get("", 0)
    regions = counts.pop("region", {})
    counts["region"] = {str(pk): regions.get(str(pk), 0) + national for pk, _, _ in vocab["region"]}
    return counts


def catalogue_counts(*, base, conditions, selected, vocab):
    """{facet: {key: count}} for every facet, plus {"total": {"": n}}, in two queries.

    A choice's count is the number of offers the page would list with that
    choice in place of its own filter's choices and every other filter kept.
    ``base`` is the visible (and searched) set; ``conditions`` maps each active
    filter to its Q. Theme, audience and region are counted through their
    link tables in one UNION ALL query; format, cost, accreditation, national
    offers and the total from one grouped pass over the offers. On
    PostgreSQL all of it is one query over the offer rows' id arrays
    (``_counts_one_pass``).
    """
    if uses_facet_arrays():
        return _counts_one_pass(base=base, conditions=conditions, vocab=vocab)

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
    # Two steps: the page's ids from a lean query (only the columns it filters
    # and sorts on; no joins for the card's programme and people, which made
    # PostgreSQL join every matching row before sorting), then those rows with
    # everything a card shows.
    paginator = Paginator(ordered.values_list("pk", flat=True), per_page)
    paginator.__dict__["count"] = total  # counted in the facet query already
    page = paginator.get_page(page_number or params.get("page"))
    page_ids = list(page.object_list)
    found = {
        offer.pk: offer
        for offer in Offer.objects.filter(pk__in=page_ids)
        .select_related(*offer_card_related())
        .prefetch_related(*offer_card_prefetches())
    }
    offers = [found[pk] for pk in page_ids if pk in found]
    page.object_list = offers
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
    return queryset.order_by(*order)


def _match_reasons(offer, lens):
    themes = [theme.name for theme in offer.themes.all() if theme.pk in lens.theme_ids]
    audiences = [audience.name for audience in offer.audiences.all() if audience.pk in lens.audience_ids]
    return themes + audiences


def full_text_enabled():
    return uses_full_text()
