"""The catalogue's filters. Several values of one filter combine with OR, different filters with AND.

Choices come from the cached vocabulary, so validating a request costs no query.
"""

import django_filters
from django import forms
from django.db.models import Q

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


def facet_condition(facet, values, ids):
    """The condition one filter puts on an offer (its values OR'ed), as a Q."""
    if facet in ("theme", "audience", "region"):
        chosen = [ids[facet][slug] for slug in values if slug in ids[facet]]
        through = getattr(Offer, f"{facet}s").through.objects.filter(**{f"{facet}_id__in": chosen})
        condition = Q(pk__in=through.values("offer_id"))
        # A national offer is offered in every region.
        return Q(is_national=True) | condition if facet == "region" else condition
    if facet == "accredited":
        return Q(accredited__in=[choice == "yes" for choice in values])
    return Q(**{f"{facet}__in": values})
