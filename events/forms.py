from django import forms

from programmes.models import Theme

from .models import Evaluation


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
