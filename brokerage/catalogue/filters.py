"""The catalogue's filters. Several values of one filter combine with OR, different filters with AND.

Choices come from the cached vocabulary, so validating a request costs no query.
"""

import django_filters
from django import forms
from django.db import connection
from django.db.models import BooleanField, Expression, Q

from programmes.choices import CostKind, OfferFormat
from programmes.models import Offer
from programmes.search import offers_search

ACCREDITED_CHOICES = [("yes", "Accredited"), ("no", "Not accredited")]

# The filters that show counts, in the order the page shows them.
FACETS = ["theme", "audience", "region", "format", "cost", "accredited"]


class OfferFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label="Search offers",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "For example: maths, ESOL, coaching"}),
    )
    theme = django_filters.MultipleChoiceFilter(method="filter_theme", label="Priority")
    audience = django_filters.MultipleChoiceFilter(method="filter_audience", label="Who it is for")
    region = django_filters.MultipleChoiceFilter(method="filter_region", label="Region")
    format = django_filters.MultipleChoiceFilter(method="filter_format", label="Format", choices=OfferFormat.choices)
    cost = django_filters.MultipleChoiceFilter(method="filter_cost", label="Cost", choices=CostKind.choices)
    accredited = django_filters.MultipleChoiceFilter(
        method="filter_accredited", label="Accreditation", choices=ACCREDITED_CHOICES
    )

    class Meta:
        model = Offer
        fields = []

    def __init__(self, data=None, queryset=None, *, vocabulary, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.vocabulary = vocabulary
        self.ids = slug_ids(vocabulary)
        for name in ("theme", "audience", "region"):
            self.filters[name].extra["choices"] = [(slug, label) for _, slug, label in vocabulary[name]]

    def filter_q(self, queryset, name, value):
        return offers_search(queryset, value) if value.strip() else queryset

    def filter_theme(self, queryset, name, value):
        return queryset.filter(facet_condition("theme", value, self.ids))

    def filter_audience(self, queryset, name, value):
        return queryset.filter(facet_condition("audience", value, self.ids))

    def filter_region(self, queryset, name, value):
        return queryset.filter(facet_condition("region", value, self.ids))

    def filter_format(self, queryset, name, value):
        return queryset.filter(facet_condition("format", value, self.ids))

    def filter_cost(self, queryset, name, value):
        return queryset.filter(facet_condition("cost", value, self.ids))

    def filter_accredited(self, queryset, name, value):
        return queryset.filter(facet_condition("accredited", value, self.ids))


def slug_ids(vocabulary):
    return {name: {slug: pk for pk, slug, _ in vocabulary[name]} for name in ("theme", "audience", "region")}


def uses_facet_arrays():
    """PostgreSQL keeps each offer's theme/audience/region ids on the offer row (programmes 0004)."""
    return connection.vendor == "postgresql"


class OfferIdsOverlap(Expression):
    """`<offer alias>.<facet>_ids && ARRAY[ids]`: the offer has at least one of the ids (PostgreSQL).

    The array columns are not model fields (they exist only on PostgreSQL, kept
    by triggers on the link tables); like OfferSearchVector this names the
    column on whatever alias the offer table has in the query.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, facet, ids):
        super().__init__()
        self.facet, self.ids = facet, [int(pk) for pk in ids]

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{alias}.{self.facet}_ids && %s::bigint[]", [self.ids]

    def __repr__(self):
        return f"OfferIdsOverlap({self.facet!r}, {self.ids!r})"


def facet_condition(facet, values, ids):
    """The condition one filter puts on an offer (its values OR'ed), as a Q."""
    if facet in ("theme", "audience", "region"):
        chosen = [ids[facet][slug] for slug in values if slug in ids[facet]]
        if uses_facet_arrays():
            condition = Q(OfferIdsOverlap(facet, chosen))
            return Q(is_national=True) | condition if facet == "region" else condition
        through = getattr(Offer, f"{facet}s").through.objects.filter(**{f"{facet}_id__in": chosen})
        condition = Q(pk__in=through.values("offer_id"))
        # A national offer is offered in every region.
        return Q(is_national=True) | condition if facet == "region" else condition
    if facet == "accredited":
        return Q(accredited__in=[choice == "yes" for choice in values])
    return Q(**{f"{facet}__in": values})
