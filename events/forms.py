from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from programmes.models import RegionalWorker, Theme

from .models import Evaluation, Slot
from .selectors import slots_overlapping


class BookingForm(forms.Form):
    priorities = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which of your priorities would you like to discuss?",
    )
    questions = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Questions for the host (optional)",
        help_text="They see these before you meet, so they can come prepared.",
    )


class EvaluationForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        choices=[(n, label) for n, label in [
            (5, "5 – excellent"), (4, "4 – good"), (3, "3 – fair"), (2, "2 – poor"), (1, "1 – very poor")
        ]],
        coerce=int,
        widget=forms.RadioSelect,
        label="Overall, how would you rate the event?",
    )

    class Meta:
        model = Evaluation
        fields = ["main_benefits", "key_messages", "ideas", "future_meetings", "other_comments", "rating"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields[:-1]}


class SlotGenerateForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), help_text="The day of the surgery.")
    start = forms.TimeField(widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}), help_text="UK time, e.g. 10:00")
    end = forms.TimeField(widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}), help_text="UK time, e.g. 13:00")
    length_minutes = forms.IntegerField(min_value=5, max_value=240, initial=20, label="Slot length (minutes)")
    break_minutes = forms.IntegerField(min_value=0, max_value=120, initial=0, label="Break between slots (minutes)")
    capacity = forms.IntegerField(min_value=1, max_value=50, initial=1, help_text="People per slot.")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "The end time must be after the start time.")
        return data


# Slots typed in by hand in the admin keep the slot generator's rule: no overlap
# with the surgery's other slots, nor with a slot its hosts sit at elsewhere.


def _times_edited(form):
    return form.instance.pk is None or {"starts_at", "ends_at"} & set(form.changed_data)


class SlotInlineFormSet(BaseInlineFormSet):
    """The slots on a surgery's admin page."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            form for form in self.forms
            if form.cleaned_data.get("starts_at") and form.cleaned_data.get("ends_at")
            and not form.cleaned_data.get("DELETE")
        ]
        edited = [form for form in rows if _times_edited(form)]
        if not edited:
            return
        others = list(slots_overlapping(
            surgery_id=self.instance.pk,
            host_ids=self._host_ids(),
            starts_at=min(form.cleaned_data["starts_at"] for form in edited),
            ends_at=max(form.cleaned_data["ends_at"] for form in edited),
            # This page's own rows are compared as typed, not as saved.
            exclude_ids=[form.instance.pk for form in self.forms if form.instance.pk],
        ))
        for form in edited:
            starts, ends = form.cleaned_data["starts_at"], form.cleaned_data["ends_at"]
            clash = next((slot for slot in others if slot.starts_at < ends and slot.ends_at > starts), None)
            if clash is not None:
                form.add_error(None, f"This slot overlaps {clash.overlap_label(self.instance.pk)}. Nothing was saved.")
                continue
            twin = next((
                other for other in rows
                if other is not form and other.cleaned_data["starts_at"] < ends and other.cleaned_data["ends_at"] > starts
            ), None)
            if twin is not None:
                at = timezone.localtime(twin.cleaned_data["starts_at"])
                form.add_error(None, f"This slot overlaps the slot at {at:%H:%M} on this page. Nothing was saved.")

    def _host_ids(self):
        """The hosts chosen in the surgery's form on the same page (they may be new), else those saved."""
        try:
            return [worker.pk for worker in forms.ModelMultipleChoiceField(RegionalWorker.objects.all()).clean(
                self.data.getlist("hosts")
            )]
        except ValidationError:  # the surgery's own form reports bad hosts
            return list(self.instance.hosts.values_list("pk", flat=True)) if self.instance.pk else []


class SlotAdminForm(forms.ModelForm):
    """One slot on the admin's own slot page."""

    class Meta:
        model = Slot
        fields = ["surgery", "starts_at", "ends_at", "capacity"]

    def clean(self):
        data = super().clean()
        surgery, starts, ends = data.get("surgery"), data.get("starts_at"), data.get("ends_at")
        if surgery and starts and ends and ends > starts:
            clash = slots_overlapping(
                surgery_id=surgery.pk, host_ids=list(surgery.hosts.values_list("pk", flat=True)),
                starts_at=starts, ends_at=ends, exclude_ids=[self.instance.pk] if self.instance.pk else [],
            ).first()
            if clash is not None:
                raise ValidationError(f"This slot overlaps {clash.overlap_label(surgery.pk)}. Nothing was saved.")
        return data
