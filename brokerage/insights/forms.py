import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programmes.models import Region
from programmes.selectors import vocabulary

from .choices import DuplicateDecision
from .selectors import Period, default_period
from .services import months_before

PRESETS = [(30, _("Last 30 days")), (90, _("Last 90 days")), (365, _("Last 12 months"))]
DEFAULT_DAYS = 90


class PeriodForm(forms.Form):
    """The region and period chooser of /insights/ (a GET form)."""

    region = forms.ModelChoiceField(
        queryset=Region.objects.all(), required=False, empty_label=_("All regions"), to_field_name="slug"
    )
    start = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, data=None, today=None, **kwargs):
        self.today = today or timezone.localdate()
        default = default_period(days=DEFAULT_DAYS, today=self.today)
        super().__init__(data, initial={"start": default.start, "end": default.end}, **kwargs)

    @property
    def earliest(self):
        """Signals are kept for 13 months."""
        return months_before(timezone.now(), 13).date() + dt.timedelta(days=1)

    def region_options(self):
        """(slug, name) of every region for the chooser, from the cached vocabulary (no query)."""
        return [("", self.fields["region"].empty_label)] + [(slug, name) for _, slug, name in vocabulary()["region"]]

    def clean(self):
        cleaned = super().clean()
        kept = gettext("Signals are kept for 13 months: choose a date on or after %(date)s.") % {
            "date": date_format(self.earliest, "j F Y")
        }
        # Each date alone first, so that no arithmetic below runs off either end of the calendar.
        for name in ("start", "end"):
            value = cleaned.get(name)
            if value is not None and value > self.today:
                self.add_error(name, gettext("Choose today or an earlier date: there are no figures from the future."))
            elif value is not None and name == "end" and value < self.earliest:
                self.add_error(name, kept)
        if "start" in self.errors or "end" in self.errors:
            return cleaned
        end = cleaned.get("end") or self.today
        start = cleaned.get("start") or (end - dt.timedelta(days=DEFAULT_DAYS - 1))
        if start > end:
            self.add_error("end", gettext("The end date must be on or after the start date."))
        if start < self.earliest:
            self.add_error("start", kept)
        cleaned["start"], cleaned["end"] = start, end
        return cleaned

    def period(self):
        """The chosen period, or the default one when the form is unbound or invalid."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return Period(start=data["start"], end=data["end"], region=data.get("region"))
        region = None
        if self.is_bound and "region" not in self.errors:
            region = self.cleaned_data.get("region")
        return default_period(region=region, days=DEFAULT_DAYS, today=self.today)


class DuplicateReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=DuplicateDecision.choices, widget=forms.RadioSelect, label=_("What should happen with this pair?")
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        label=_("Note for the two programmes' workers"),
        help_text=_("Shown in both programmes' workspaces when the pair is to coordinate."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == DuplicateDecision.COORDINATE and not cleaned.get("note", "").strip():
            self.add_error("note", gettext("Say what the two programmes' workers should coordinate."))
        return cleaned
