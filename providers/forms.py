from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm, UsernameField
from django.utils.translation import gettext_lazy as _

from people.forms import email_language_field
from programmes.models import Region

from .choices import ProviderKind
from .emails import password_reset_queue
from .models import ProviderOrganisation
from .services import email_in_use, normalise_email


class ProviderSignupForm(UserCreationForm):
    """A provider contact signs up and joins or names their organisation."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), help_text=_("You will sign in with this address."))
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=ProviderOrganisation.objects.order_by("name"),
        required=False,
        empty_label=_("My organisation is not listed"),
        help_text=_("Choose your organisation, or leave this and name it below."),
    )
    new_organisation_name = forms.CharField(
        label=_("Organisation name (if not listed)"), max_length=200, required=False
    )
    new_organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation (if not listed)"),
        choices=[("", "---------"), *ProviderKind.choices],
        required=False,
    )
    new_organisation_region = forms.ModelChoiceField(
        label=_("Region (if not listed)"), queryset=Region.objects.all(), required=False
    )
    reason = forms.CharField(
        label=_("Tell your colleagues who you are"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Your organisation's contacts (or our team) approve your request to act for it: say what you do there."
        ),
    )
    email_language = email_language_field()

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("first_name", "last_name", "email")

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if email_in_use(email):
            raise forms.ValidationError(_("An account already uses this address. Sign in or reset your password."))
        return email

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organisation"):
            missing = {
                "new_organisation_name": _("Name your organisation, or choose it from the list."),
                "new_organisation_kind": _("Say what kind of organisation it is."),
                "new_organisation_region": _("Choose the region your organisation is in."),
            }
            for field, message in missing.items():
                if not cleaned.get(field):
                    self.add_error(field, message)
        return cleaned


class JoinRequestForm(forms.Form):
    """A confirmed account asks to act for an organisation."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=ProviderOrganisation.objects.order_by("name"))
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    reason = forms.CharField(
        label=_("Tell your colleagues who you are"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The organisation's contacts (or our team) read this before approving your request."),
    )


class SignInForm(AuthenticationForm):
    """Provider contacts sign in with their email address (stored lower-case)."""

    username = UsernameField(
        label=_("Email address or username"), widget=forms.TextInput(attrs={"autofocus": True})
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        return username.lower() if "@" in username else username


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, its email written to the outbox instead of sent in the request."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        password_reset_queue(to=to_email, context=context)
