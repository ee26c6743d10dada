from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Language
from .models import Preferences

EMAIL_LANGUAGE_CHOICES = [("", _("Both, Welsh first")), *Language.choices]


def email_language_field():
    """The question sign-up and the preferences page ask alike."""
    return forms.ChoiceField(
        label=_("Language of your emails"),
        choices=EMAIL_LANGUAGE_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("We write to you in the language you choose; until you choose, in both."),
    )


class LanguagePreferencesForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language of the website"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        help_text=_("We take you to this language when you sign in."),
    )
    email_language = email_language_field()

    class Meta:
        model = Preferences
        fields = ["language", "email_language"]
