"""The catalogue's filterset: the search box and one multiple-choice filter per declared facet (facets.py).

Several values of one filter combine with OR, different filters with AND.
Choices come from the cached vocabulary, so validating a request costs no
query.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.models import Offer
from programmes.search import offers_search

from .facets import FACETS, keys_for


class FacetChoiceField(django_filters.fields.MultipleChoiceField):
    """A facet's checkboxes, its choices shared by every form made from one form class.

    A form copies its fields on every request, and a choice field copies its
    choices with them (about fifty for the catalogue's facets, half the
    filterset's time). A facet's choices are never changed after the field is
    made, so the copies can share them.
    """

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)


class FacetFilter(django_filters.MultipleChoiceFilter):
    field_class = FacetChoiceField


# {id(vocabulary): (vocabulary, form class)}: vocabulary() keeps one object per
# catalogue version and language, and the form follows it (its choices).
_form_classes = {}
FORM_CLASSES_KEPT = 16


class OfferFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label=_("Search offers"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("For example: maths, ESOL, coaching")}),
    )

    class Meta:
        model = Offer
        fields = []

    def __init__(self, data=None, queryset=None, *, vocabulary, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.vocabulary = vocabulary
        self.facets = {facet.name: facet for facet in FACETS}
        # One multiple-choice filter per declared facet, made here so the
        # filterset always follows the declarations.
        for facet in FACETS:
            choices = [(value, label) for value, label, _ in facet.choices(vocabulary)]
            facet_filter = FacetFilter(
                field_name=facet.name, method="filter_facet", label=facet.label, choices=choices,
            )
            facet_filter.model, facet_filter.parent = self.queryset.model, self
            self.filters[facet.name] = facet_filter
        # {facet: {slug: id}} of the vocabulary facets (insights records the chosen ids).
        self.ids = {
            facet.name: {value: int(key) for value, _, key in facet.choices(vocabulary)} for facet in FACETS if facet.relation
        }

    def get_form_class(self):
        """The form class, made once per vocabulary rather than on every request."""
        kept = _form_classes.get(id(self.vocabulary))
        if kept is None or kept[0] is not self.vocabulary:
            if len(_form_classes) >= FORM_CLASSES_KEPT:
                _form_classes.clear()
            kept = _form_classes[id(self.vocabulary)] = (self.vocabulary, super().get_form_class())
        return kept[1]

    def filter_q(self, queryset, name, value):
        return offers_search(queryset, value) if value.strip() else queryset

    def filter_facet(self, queryset, name, value):
        facet = self.facets[name]
        return queryset.filter(facet.condition(keys_for(facet, value, self.vocabulary)))

    def selected(self):
        """{facet name: [chosen values]} of a validated filterset (invalid values dropped by the form)."""
        cleaned = getattr(self.form, "cleaned_data", {})
        return {facet.name: cleaned.get(facet.name) or [] for facet in FACETS}

