from django import forms
from django.utils.translation import gettext_lazy as _

from people.forms import email_language_field
from programmes.models import Region, Theme


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    name = forms.CharField(label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    organisation = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes you care about"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to hear about every theme."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Your regions"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to hear about every region."),
    )
    language = email_language_field()


class PreferencesForm(forms.Form):
    themes = SubscribeForm.base_fields["themes"]
    regions = SubscribeForm.base_fields["regions"]
    language = SubscribeForm.base_fields["language"]
