from django import forms

from people.forms import email_language_field
from programmes.models import Region, Theme


class SubscribeForm(forms.Form):
    email = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    name = forms.CharField(label="Your name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    organisation = forms.CharField(
        label="Organisation (optional)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes you care about",
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to hear about every theme.",
    )
    regions = forms.ModelMultipleChoiceField(
        label="Your regions",
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to hear about every region.",
    )
    language = email_language_field()


class PreferencesForm(forms.Form):
    themes = SubscribeForm.base_fields["themes"]
    regions = SubscribeForm.base_fields["regions"]
    language = SubscribeForm.base_fields["language"]
