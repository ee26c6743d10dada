"""The offer form workers use, and their directory profile form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format

from ..choices import CostKind, OfferStatus
from ..models import Audience, Offer, Region, RegionalWorker, Theme

SUMMARY_LIMIT = Offer.SUMMARY_MAX_LENGTH


def offer_rule_errors(data, *, status):
    """The offer rules a form must explain, as {field: message}; `data` is cleaned data.

    Shared by the workspace form and the CSV import, so both say the same thing.
    """
    errors = {}
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = (
            f"The end date must be on or after the start date ({date_format(starts_on, 'j F Y')})."
        )
    if data.get("cost") == CostKind.PAID and data.get("price") is None:
        errors["price"] = "A paid offer needs a price per person. Enter it, or choose Free or Funded."
    contact, programme = data.get("contact"), data.get("programme")
    if contact and programme and not contact.programmes.filter(pk=programme.pk).exists():
        # Naming someone publishes their name and email as the person to talk to: only they can agree to that
        # for their own programme.
        errors["contact"] = (
            f"{contact.name} does not work for {programme.plain_name}. Choose a colleague of that programme."
        )
    if status == OfferStatus.PUBLISHED and not data.get("contact"):
        errors["contact"] = (
            "A published offer must name a person to talk to. Choose a contact (or retire the offer first)."
        )
    summary = data.get("summary") or ""
    if len(summary) > SUMMARY_LIMIT:
        errors["summary"] = (
            f"Keep the summary to {SUMMARY_LIMIT} characters: it has {len(summary)}. "
            "Move the detail to the description."
        )
    return errors


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}, {obj.job_title}" if obj.job_title else obj.name


class OfferChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.programme.plain_name})"


class OfferForm(forms.ModelForm):
    contact = WorkerChoiceField(
        queryset=RegionalWorker.objects.none(),
        required=False,
        label="Person to talk to",
        help_text="Providers see this person's name, email and phone on the offer. Needed to publish.",
    )
    builds_on = OfferChoiceField(
        queryset=Offer.objects.none(),
        required=False,
        label="Builds on",
        help_text="Offers, of any programme, a provider would usually take first. Hold Ctrl (or ⌘) to choose several.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Offer
        fields = [
            "programme", "title", "summary", "description",
            "themes", "audiences", "regions", "is_national", "open_to", "open_to_condition",
            "format", "cost", "price", "funding_note", "delivery_language", "accredited", "accreditation", "level",
            "starts_on", "ends_on", "is_rolling",
            "contact", "builds_on",
        ]
        labels = {
            "summary": "Plain summary",
            "themes": "Priority areas (themes)",
            "audiences": "Who it is for",
            "is_national": "Available in every region",
            "price": "Price per person (£)",
            "funding_note": "Funding",
            "accredited": "Leads to a qualification or accreditation",
            "starts_on": "Starts on",
            "ends_on": "Ends on",
            "is_rolling": "Rolling: available any time",
        }
        help_texts = {
            "summary": f"Two or three plain sentences, at most {SUMMARY_LIMIT} characters: what it is and why it helps.",
            "funding_note": "For example: fully funded for colleges in the region until March.",
            "level": "For example: Level 3, or 'for beginners'.",
            "is_national": "",
            "is_rolling": "",
            "price": "",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4, "data-char-limit": SUMMARY_LIMIT}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "themes": forms.CheckboxSelectMultiple,
            "audiences": forms.CheckboxSelectMultiple,
            "regions": forms.CheckboxSelectMultiple,
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "price": forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
        }

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].empty_label = None
        self.fields["programme"].help_text = "Only the programmes you work for are listed."
        # A form sent without the language (an older page, a script) keeps the offer's own, English for a new one.
        self.fields["delivery_language"].required = False
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["audiences"].queryset = Audience.objects.all()
        self.fields["regions"].queryset = Region.objects.all()
        # Colleagues in the programmes this worker edits (the rule checks the offer's own programme), and
        # whoever the offer names now, so a form never silently drops its contact.
        colleagues = Q(programmes__in=programmes)
        if self.instance.contact_id:
            colleagues |= Q(pk=self.instance.contact_id)
        self.fields["contact"].queryset = (
            RegionalWorker.objects.filter(colleagues).distinct().select_related("user")
            .order_by("user__first_name", "user__last_name")
        )
        # Any programme's published offers, this worker's own drafts, and whatever it
        # already builds on (so saving never silently drops a link); never another
        # programme's unpublished draft.
        choosable = Q(status=OfferStatus.PUBLISHED) | Q(programme__in=programmes, status=OfferStatus.DRAFT)
        if self.instance.pk:
            choosable |= Q(pk__in=self.instance.builds_on.values("pk"))
        builds_on = Offer.objects.filter(choosable).select_related("programme").order_by("programme__plain_name", "title")
        if self.instance.pk:
            builds_on = builds_on.exclude(pk=self.instance.pk)
        self.fields["builds_on"].queryset = builds_on
        # The length rule is explained by clean_summary, not silently enforced by the
        # browser: a worker who pastes too much sees what was cut and why.
        summary = self.fields["summary"]
        summary.max_length = None
        # Only the length validator goes: the others (a NUL character, say) still refuse what cannot be stored.
        summary.validators = [v for v in summary.validators if not isinstance(v, MaxLengthValidator)]
        summary.widget.attrs.pop("maxlength", None)
        # While writing, htmx asks for the plain-language check of the summary (advice only).
        summary.widget.attrs.update(
            {
                "data-hx-post": reverse("workspace:summary_check"),
                "data-hx-trigger": "input changed delay:800ms",
                "data-hx-target": "#summary-check",
                "data-hx-swap": "innerHTML",
            }
        )

        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("What it is", "title", "programme", "summary", "description", css_class="ws-fieldset"),
            Fieldset(
                "Who and where",
                Div("themes", css_class="ws-checks"),
                Div("audiences", css_class="ws-checks"),
                Div("regions", css_class="ws-checks"),
                "is_national",
                Div("open_to", css_class="ws-checks"),
                "open_to_condition",
                css_class="ws-fieldset",
            ),
            Fieldset(
                "Format and cost",
                Div(Div("format", css_class="col-md-6"), Div("cost", css_class="col-md-6"), css_class="row"),
                Div(Div("price", css_class="col-md-6"), Div("funding_note", css_class="col-md-6"), css_class="row"),
                "delivery_language",
                "accredited",
                Div(Div("accreditation", css_class="col-md-6"), Div("level", css_class="col-md-6"), css_class="row"),
                css_class="ws-fieldset",
            ),
            Fieldset(
                "When",
                Div(Div("starts_on", css_class="col-md-6"), Div("ends_on", css_class="col-md-6"), css_class="row"),
                "is_rolling",
                css_class="ws-fieldset",
            ),
            Fieldset("People and links", "contact", "builds_on", css_class="ws-fieldset"),
        )

    def clean_delivery_language(self):
        return self.cleaned_data.get("delivery_language") or self.instance.delivery_language

    def clean_summary(self):
        summary = (self.cleaned_data.get("summary") or "").strip()
        if len(summary) > SUMMARY_LIMIT:
            raise forms.ValidationError(offer_rule_errors({"summary": summary}, status=None)["summary"])
        return summary

    def clean(self):
        cleaned = super().clean()
        status = self.instance.status if self.instance.pk else OfferStatus.DRAFT
        for field, message in offer_rule_errors(cleaned, status=status).items():
            if field == "summary":
                continue  # clean_summary already said it
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned


class WorkerProfileForm(forms.ModelForm):
    """What a worker says about themselves in the directory. Programme membership is
    not here: it decides which offers they may edit, so coordinators set it."""

    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")

    class Meta:
        model = RegionalWorker
        fields = ["job_title", "role", "remit", "public_email", "phone", "regions", "themes", "is_listed"]
        labels = {
            "public_email": "Email shown in the directory",
            "themes": "Themes you can talk about",
            "regions": "Regions you cover",
            "is_listed": "Show me in the network directory",
        }
        help_texts = {
            "public_email": "Leave empty to show your sign-in email.",
            "role": "Brokering: you help providers find what fits. Delivery: you run the training or support.",
            "is_listed": "",
        }
        widgets = {
            "remit": forms.Textarea(attrs={"rows": 4}),
            "regions": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance.user
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                "About you",
                Div(Div("first_name", css_class="col-md-6"), Div("last_name", css_class="col-md-6"), css_class="row"),
                "job_title", "role", "remit",
                css_class="ws-fieldset",
            ),
            Fieldset(
                "How to reach you",
                Div(Div("public_email", css_class="col-md-6"), Div("phone", css_class="col-md-6"), css_class="row"),
                "is_listed",
                css_class="ws-fieldset",
            ),
            Fieldset(
                "What you cover",
                Div("regions", css_class="ws-checks"),
                Div("themes", css_class="ws-checks"),
                css_class="ws-fieldset",
            ),
        )
