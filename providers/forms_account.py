from django import forms

from programmes.models import Audience, Theme

from .choices import PlanStatus


class PrioritiesForm(forms.Form):
    priorities = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        label="Our priorities this year",
        help_text="The catalogue shows offers on these themes first.",
    )
    staff_groups = forms.ModelMultipleChoiceField(
        queryset=Audience.objects.all(), required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        label="The staff we develop",
    )


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(choices=PlanStatus.choices, label="Status")


class PlanMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])
