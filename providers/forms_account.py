from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.models import Audience, Theme

from .choices import PlanStatus
from .models import PlanItem


class PrioritiesForm(forms.Form):
    priorities = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        label=_("Our priorities this year"),
        help_text=_("The catalogue shows offers on these themes first."),
    )
    staff_groups = forms.ModelMultipleChoiceField(
        queryset=Audience.objects.all(), required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        label=_("The staff we develop"),
    )


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(choices=PlanStatus.choices, label=_("Status"))


class PlanMoveForm(forms.Form):
    """Up or down one place, or ("after") just after another item of the same plan."""

    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down"), ("after", "After")])
    after = forms.ModelChoiceField(queryset=PlanItem.objects.none(), required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["after"].queryset = PlanItem.objects.filter(organisation=organisation)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("direction") == "after" and cleaned.get("after") is None:
            raise forms.ValidationError(_("Choose the item to move it after."))
        return cleaned


class PlanAddForm(forms.Form):
    """Where a new item goes: before one of the plan's items (a prerequisite added from its warning), else last."""

    before = forms.ModelChoiceField(queryset=PlanItem.objects.none(), required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["before"].queryset = PlanItem.objects.filter(organisation=organisation)
