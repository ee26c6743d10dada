"""The offer form workers use, and their directory profile form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from ..choices import CostKind, OfferStatus
from ..models import Audience, Offer, Region, RegionalWorker, Theme

SUMMARY_LIMIT = Offer.SUMMARY_MAX_LENGTH
# The offer's texts a worker writes in English and Welsh side by side (BilingualFieldsMixin).
BILINGUAL_FIELDS = ("title", "summary", "description", "open_to_condition")

# Where the form words a field otherwise than the model's own (translatable) name: for the person
# writing the offer.
OFFER_FIELD_LABELS = {
    "summary": _("Plain summary"),
    "themes": _("Priority areas (themes)"),
    "audiences": _("Who it is for"),
    "is_national": _("Available in every region"),
    "price": _("Price per person (£)"),
    "funding_note": _("Funding"),
    "accredited": _("Leads to a qualification or accreditation"),
    "is_rolling": _("Rolling: available any time"),
    "contact": _("Person to talk to"),
}


def offer_rule_errors(data, *, status):
    """The offer rules a form must explain, as {field: message}; `data` is cleaned data.

    Shared by the workspace form and the CSV import, so both say the same thing.
    """
    errors = {}
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = gettext("The end date must be on or after the start date (%(start)s).") % {
            "start": date_format(starts_on, "j F Y")
        }
    if data.get("cost") == CostKind.PAID and data.get("price") is None:
        errors["price"] = gettext("A paid offer needs a price per person. Enter it, or choose Free or Funded.")
    contact, programme = data.get("contact"), data.get("programme")
    if contact and programme and not contact.programmes.filter(pk=programme.pk).exists():
        # Naming someone publishes their name and email as the person to talk to: only they can agree to that
        # for their own programme.
        errors["contact"] = gettext(
            "%(person)s does not work for %(programme)s. Choose a colleague of that programme."
        ) % {"person": contact.name, "programme": programme.plain_name}
    if status == OfferStatus.PUBLISHED and not data.get("contact"):
        errors["contact"] = gettext(
            "A published offer must name a person to talk to. Choose a contact (or retire the offer first)."
        )
    summary = data.get("summary") or ""
    if len(summary) > SUMMARY_LIMIT:
        errors["summary"] = gettext(
            "Keep the summary to %(limit)d characters: it has %(length)d. Move the detail to the description."
        ) % {"limit": SUMMARY_LIMIT, "length": len(summary)}
    return errors


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}, {obj.job_title}" if obj.job_title else obj.name


class OfferChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.programme.plain_name})"


class BilingualFieldsMixin:
    """A model form whose `bilingual_fields` are written in English and Welsh side by side.

    The form's "title" is the English one whatever the page's language (the model's
    "title" means the page language's, modeltranslation), "title_cy" the Welsh one.
    """

    bilingual_fields = ()

    def bilingual_side_by_side(self):
        """English and Welsh fields labelled by language, each input marked with its language;
        the English ones show the English text even on a Welsh page."""
        for name in self.bilingual_fields:
            english, welsh = self.fields[name], self.fields[f"{name}_cy"]
            field = english.label
            english.label = gettext_lazy("%(field)s in English") % {"field": field}
            welsh.label = gettext_lazy("%(field)s in Welsh") % {"field": field}
            welsh.help_text = gettext_lazy("Optional: Welsh pages show the English until there is a Welsh version.")
            english.widget.attrs["lang"], welsh.widget.attrs["lang"] = "en", "cy"
            if self.instance.pk:
                self.initial[name] = getattr(self.instance, f"{name}_en_gb")

    def side_by_side(self, name):
        """The layout row holding a field's English and Welsh inputs."""
        return Div(Div(name, css_class="col-md-6"), Div(f"{name}_cy", css_class="col-md-6"), css_class="row")

    def write_english(self, cleaned):
        """The English fields into the English columns, whatever the page's language."""
        for name in self.bilingual_fields:
            if name in cleaned:
                setattr(self.instance, f"{name}_en_gb", cleaned[name])

    def save(self, commit=True):
        # On a Welsh page the model form writes the English field into the Welsh column too
        # (modeltranslation reads "title" as the page language's), and modeltranslation keeps
        # it there when the Welsh field is left empty: the Welsh would silently become the
        # English, shown unmarked. Each Welsh column gets its own field's value.
        for name in self.bilingual_fields:
            if f"{name}_cy" in self.cleaned_data:
                setattr(self.instance, f"{name}_cy", self.cleaned_data[f"{name}_cy"])
        return super().save(commit)


class OfferForm(BilingualFieldsMixin, forms.ModelForm):
    bilingual_fields = BILINGUAL_FIELDS
    contact = WorkerChoiceField(
        queryset=RegionalWorker.objects.none(),
        required=False,
        label=OFFER_FIELD_LABELS["contact"],
        help_text=_("Providers see this person's name, email and phone on the offer. Needed to publish."),
    )
    builds_on = OfferChoiceField(
        queryset=Offer.objects.none(),
        required=False,
        label=capfirst(Offer._meta.get_field("builds_on").verbose_name),
        help_text=_("Offers, of any programme, a provider would usually take first. Hold Ctrl (or ⌘) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Offer
        fields = [
            "programme", "title", "summary", "description", "title_cy", "summary_cy", "description_cy",
            "themes", "audiences", "regions", "is_national", "open_to", "open_to_condition", "open_to_condition_cy",
            "format", "cost", "price", "funding_note", "delivery_language", "accredited", "accreditation", "level",
            "starts_on", "ends_on", "is_rolling",
            "contact", "builds_on",
        ]
        labels = OFFER_FIELD_LABELS
        help_texts = {
            "summary": format_lazy(
                _("Two or three plain sentences, at most {limit} characters: what it is and why it helps."),
                limit=SUMMARY_LIMIT,
            ),
            "funding_note": _("For example: fully funded for colleges in the region until March."),
            "level": _("For example: Level 3, or 'for beginners'."),
            "is_national": "",
            "is_rolling": "",
            "price": "",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4, "data-char-limit": SUMMARY_LIMIT}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "summary_cy": forms.Textarea(attrs={"rows": 4, "data-char-limit": SUMMARY_LIMIT}),
            "description_cy": forms.Textarea(attrs={"rows": 6}),
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
        self.fields["programme"].help_text = gettext("Only the programmes you work for are listed.")
        # A form sent without the language (an older page, a script) keeps the offer's own, English for a new one.
        self.fields["delivery_language"].required = False
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["audiences"].queryset = Audience.objects.all()
        self.fields["regions"].queryset = Region.objects.all()
        self.bilingual_side_by_side()
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
        for summary in (self.fields["summary"], self.fields["summary_cy"]):
            summary.max_length = None
            # Only the length validator goes: the others (a NUL character, say) still refuse what cannot be stored.
            summary.validators = [v for v in summary.validators if not isinstance(v, MaxLengthValidator)]
            summary.widget.attrs.pop("maxlength", None)
        summary = self.fields["summary"]
        # The live character count's words (static/js/workspace.js), in the page's language.
        summary.widget.attrs.update(
            {
                "data-count-left": gettext("{left} of {limit} characters left"),
                "data-count-over": gettext("{over} characters too many (limit {limit})"),
            }
        )
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
            Fieldset(
                gettext("What it is"),
                self.side_by_side("title"),
                "programme",
                self.side_by_side("summary"),
                self.side_by_side("description"),
                css_class="ws-fieldset",
            ),
            Fieldset(
                gettext("Who and where"),
                Div("themes", css_class="ws-checks"),
                Div("audiences", css_class="ws-checks"),
                Div("regions", css_class="ws-checks"),
                "is_national",
                Div("open_to", css_class="ws-checks"),
                self.side_by_side("open_to_condition"),
                css_class="ws-fieldset",
            ),
            Fieldset(
                gettext("Format and cost"),
                Div(Div("format", css_class="col-md-6"), Div("cost", css_class="col-md-6"), css_class="row"),
                Div(Div("price", css_class="col-md-6"), Div("funding_note", css_class="col-md-6"), css_class="row"),
                "delivery_language",
                "accredited",
                Div(Div("accreditation", css_class="col-md-6"), Div("level", css_class="col-md-6"), css_class="row"),
                css_class="ws-fieldset",
            ),
            Fieldset(
                gettext("When"),
                Div(Div("starts_on", css_class="col-md-6"), Div("ends_on", css_class="col-md-6"), css_class="row"),
                "is_rolling",
                css_class="ws-fieldset",
            ),
            Fieldset(gettext("People and links"), "contact", "builds_on", css_class="ws-fieldset"),
        )

    def clean_delivery_language(self):
        return self.cleaned_data.get("delivery_language") or self.instance.delivery_language

    def clean_summary(self):
        summary = (self.cleaned_data.get("summary") or "").strip()
        if len(summary) > SUMMARY_LIMIT:
            raise forms.ValidationError(offer_rule_errors({"summary": summary}, status=None)["summary"])
        return summary

    def clean_summary_cy(self):
        summary = (self.cleaned_data.get("summary_cy") or "").strip()
        if len(summary) > SUMMARY_LIMIT:
            raise forms.ValidationError(offer_rule_errors({"summary": summary}, status=None)["summary"])
        return summary or None  # no Welsh version, as the other Welsh fields store it

    def clean(self):
        cleaned = super().clean()
        self.write_english(cleaned)
        status = self.instance.status if self.instance.pk else OfferStatus.DRAFT
        for field, message in offer_rule_errors(cleaned, status=status).items():
            if field == "summary":
                continue  # clean_summary already said it
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned


class WorkerProfileForm(BilingualFieldsMixin, forms.ModelForm):
    """What a worker says about themselves in the directory. Programme membership is
    not here: it decides which offers they may edit, so coordinators set it."""

    bilingual_fields = ("job_title", "remit")

    first_name = forms.CharField(max_length=150, label=_("First name"))
    last_name = forms.CharField(max_length=150, label=_("Last name"))

    class Meta:
        model = RegionalWorker
        fields = [
            "job_title", "job_title_cy", "role", "remit", "remit_cy", "public_email", "phone", "regions", "themes",
            "is_listed",
        ]
        labels = {
            "job_title": _("Job title"),
            "role": _("Role"),
            "remit": _("Remit"),
            "public_email": _("Email shown in the directory"),
            "phone": _("Phone"),
            "themes": _("Themes you can talk about"),
            "regions": _("Regions you cover"),
            "is_listed": _("Show me in the network directory"),
        }
        help_texts = {
            "public_email": _("Leave empty to show your sign-in email."),
            "role": _("Brokering: you help providers find what fits. Delivery: you run the training or support."),
            "is_listed": "",
        }
        widgets = {
            "remit": forms.Textarea(attrs={"rows": 4}),
            "remit_cy": forms.Textarea(attrs={"rows": 4}),
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
        self.bilingual_side_by_side()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                gettext("About you"),
                Div(Div("first_name", css_class="col-md-6"), Div("last_name", css_class="col-md-6"), css_class="row"),
                self.side_by_side("job_title"), "role", self.side_by_side("remit"),
                css_class="ws-fieldset",
            ),
            Fieldset(
                gettext("How to reach you"),
                Div(Div("public_email", css_class="col-md-6"), Div("phone", css_class="col-md-6"), css_class="row"),
                "is_listed",
                css_class="ws-fieldset",
            ),
            Fieldset(
                gettext("What you cover"),
                Div("regions", css_class="ws-checks"),
                Div("themes", css_class="ws-checks"),
                css_class="ws-fieldset",
            ),
        )

    def clean(self):
        cleaned = super().clean()
        self.write_english(cleaned)
        return cleaned
