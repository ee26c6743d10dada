"""Filters of the network directory (query parameters hold slugs, so links can be shared)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import WorkerRole
from ..models import Programme, Region, RegionalWorker, Theme


class WorkerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Name or remit"))
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.filter(is_active=True).order_by("plain_name"),
        field_name="programmes", to_field_name="slug", label=_("Programme"), empty_label=_("Any programme"),
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), field_name="regions", to_field_name="slug", label=_("Region"),
        empty_label=_("Any region"),
    )
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.all(), field_name="themes", to_field_name="slug", label=_("Theme"),
        empty_label=_("Any theme"),
    )
    role = django_filters.ChoiceFilter(choices=WorkerRole.choices, label=_("Role"), empty_label=_("Any role"))

    class Meta:
        model = RegionalWorker
        fields = ["q", "programme", "region", "theme", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search", "placeholder": _("For example: ESOL")})
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Both languages' columns: "remit" alone would be the page language's only (modeltranslation),
        # and a Welsh page would not find a remit written in English.
        words = Q(user__first_name__icontains=value) | Q(user__last_name__icontains=value)
        for column in ("remit", "job_title", "programmes__plain_name"):
            words |= Q(**{f"{column}_en_gb__icontains": value}) | Q(**{f"{column}_cy__icontains": value})
        return queryset.filter(words).distinct()
