"""Shared vocabulary, programmes, their regional workers and their offers.

This app imports nothing from the other apps of the portal.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import (
    DELIVERY_MEDIUM, AgencyKind, CostKind, DeliveryLanguage, Nation, OfferFormat, OfferStatus, OrganisationKind,
    OutboxStatus, ReminderStatus, WorkerRole,
)
from .translated_text import ShownText, translated


class Region(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    nation = models.CharField(_("nation"), max_length=20, choices=Nation.choices, default=Nation.ENGLAND)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(nation__in=Nation.values), name="region_nation_valid"),
        ]

    def __str__(self):
        return self.name


class Theme(models.Model):
    """A priority area that providers choose and offers address."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Audience(models.Model):
    """A staff group an offer is for."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Agency(models.Model):
    """A funder, contractor or consortium: the wiring providers need not see."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=AgencyKind.choices)
    contracted_by = models.ForeignKey(
        "self", verbose_name=_("contracted by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="contractors"
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("agency")
        ordering = ["name"]
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AgencyKind.values), name="agency_kind_valid"),
        ]

    def __str__(self):
        return self.name


class Programme(models.Model):
    official_name = models.CharField(_("official name"), max_length=200)
    plain_name = models.CharField(
        _("plain name"), max_length=120, help_text=_("What providers see: plain words, no acronyms.")
    )
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(
        _("summary"), blank=True, max_length=5000, help_text=_("What the programme offers, in plain language.")
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.SET_NULL, related_name="programmes",
        help_text=_("Who runs it (not shown to providers)."),
    )
    funder = models.ForeignKey(
        Agency, verbose_name=_("funder"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="funded_programmes",
        help_text=_("Who pays for it (not shown to providers)."),
    )
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), blank=True, related_name="programmes")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="programmes")
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("is active"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["plain_name"]

    def __str__(self):
        return self.plain_name

    def get_absolute_url(self):
        return reverse("programmes:programme_detail", args=[self.slug])


class RegionalWorker(models.Model):
    """A person who brokers or delivers programmes in one or more regions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="worker_profile"
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=WorkerRole.choices, default=WorkerRole.BROKERING)
    remit = models.TextField(
        _("remit"), blank=True, max_length=2000, help_text=_("What you cover and who should talk to you.")
    )
    public_email = models.EmailField(_("public email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), blank=True, related_name="workers")
    programmes = models.ManyToManyField(Programme, verbose_name=_("programmes"), blank=True, related_name="workers")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="workers")
    is_listed = models.BooleanField(_("is listed"), default=True, help_text=_("Shown in the network directory."))

    class Meta:
        verbose_name = _("regional worker")
        verbose_name_plural = _("regional workers")
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=WorkerRole.values), name="worker_role_valid"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.user.get_full_name() or self.user.get_username()

    @property
    def contact_email(self):
        return self.public_email or self.user.email

    def get_absolute_url(self):
        return reverse("network:worker_detail", args=[self.slug])


def validate_organisation_kinds(value):
    if not isinstance(value, list) or any(kind not in OrganisationKind.values for kind in value):
        raise ValidationError("Choose kinds of organisation from the list.")


class OrganisationKindsField(models.JSONField):
    """A list of OrganisationKind values (empty: any kind), edited as checkboxes in every form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("validators", [validate_organisation_kinds])
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=OrganisationKind.choices, required=False, widget=forms.CheckboxSelectMultiple,
            label=kwargs.get("label") or capfirst(self.verbose_name), help_text=self.help_text,
        )


class OfferQuerySet(models.QuerySet):
    def with_stale(self, cutoff):
        """Annotate ``stale``: 1 for an offer last checked before cutoff, else 0 (orders put fresh offers first)."""
        return self.annotate(
            stale=Case(When(last_reviewed_on__lt=cutoff, then=Value(1)), default=Value(0), output_field=IntegerField())
        )


class Offer(models.Model):
    """One CPD opportunity or kind of support, described in plain language."""

    SUMMARY_MAX_LENGTH = 400

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="offers"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(
        _("summary"), max_length=SUMMARY_MAX_LENGTH,
        help_text=_("Two or three plain sentences: what it is and why it helps.")
    )
    description = models.TextField(_("description"), blank=True, max_length=10000)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="offers")
    audiences = models.ManyToManyField(Audience, verbose_name=_("audiences"), related_name="offers")
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), blank=True, related_name="offers")
    is_national = models.BooleanField(_("is national"), default=False, help_text=_("Available in every region."))
    format = models.CharField(_("format"), max_length=20, choices=OfferFormat.choices)
    cost = models.CharField(_("cost"), max_length=20, choices=CostKind.choices, default=CostKind.FREE)
    price = models.DecimalField(
        _("price"), max_digits=8, decimal_places=2, null=True, blank=True, help_text=_("Per person, in pounds.")
    )
    funding_note = models.CharField(_("funding note"), max_length=300, blank=True)
    open_to = OrganisationKindsField(
        _("who can take it up"),
        help_text=_("The kinds of organisation it is open to or funded for. Tick none if any organisation can."),
    )
    open_to_condition = models.CharField(
        _("condition"), max_length=200, blank=True,
        help_text=_("One line, for example: funded for support staff in maintained schools."),
    )
    delivery_language = models.CharField(
        _("language of delivery"), max_length=10, choices=DeliveryLanguage.choices, default=DeliveryLanguage.ENGLISH,
        help_text=_("The language it is taught or given in."),
    )
    accredited = models.BooleanField(_("accredited"), default=False)
    accreditation = models.CharField(_("accreditation"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=60, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_rolling = models.BooleanField(_("is rolling"), default=False, help_text=_("Available any time, no fixed dates."))
    contact = models.ForeignKey(
        RegionalWorker, verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="contact_for",
    )
    status = models.CharField(_("status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("last reviewed on"), default=timezone.localdate)
    last_reviewed_by = models.ForeignKey(
        RegionalWorker, verbose_name=_("last reviewed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="reviewed_offers",
    )
    builds_on = models.ManyToManyField(
        "self", verbose_name=_("builds on"), symmetrical=False, blank=True, related_name="leads_to",
        help_text=_("Offers a provider would usually take before this one."),
    )
    same_as = models.ManyToManyField(
        "self", verbose_name=_("same as"), symmetrical=True, blank=True,
        help_text=_("Offers of other programmes that are the same thing (shown as one card)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Who changed what and when, for the worker and coordinators.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["title"]
        indexes = [
            # The catalogue lists published offers by start date or newest.
            models.Index(fields=["status", "starts_on"], name="offer_status_starts"),
            models.Index(fields=["status", "published_at"], name="offer_status_published"),
            models.Index(fields=["status", "last_reviewed_on"], name="offer_status_reviewed"),
            models.Index(fields=["format"], name="offer_format"),
            models.Index(fields=["cost"], name="offer_cost"),
            # Insights' supply counts read the published offers' ids (and the
            # national flag) from this index alone, not the wide offer rows
            # (72 -> 33 ms at 50,000 offers).
            models.Index(fields=["status", "is_national", "id"], name="offer_status_national_id"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OfferStatus.values), name="offer_status_valid"),
            models.CheckConstraint(condition=Q(format__in=OfferFormat.values), name="offer_format_valid"),
            models.CheckConstraint(condition=Q(cost__in=CostKind.values), name="offer_cost_valid"),
            models.CheckConstraint(
                condition=Q(delivery_language__in=DeliveryLanguage.values), name="offer_delivery_language_known"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="offer_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(cost=CostKind.PAID) | Q(price__isnull=False), name="offer_paid_has_price"
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="offer_price_not_negative"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def area_label(self):
        """Where it runs, as a page names it: "every region" in the page's language, or its regions' names.

        A list of shown texts (empty: no region given), so a template can mark a
        region name shown in English on a Welsh page lang="en" (WCAG 3.1.2).
        Reads a prefetch of the regions if there is one.
        """
        if self.is_national:
            return [ShownText(gettext("every region"))]
        return [translated(region, "name") for region in self.regions.all()]

    @property
    def open_to_labels(self):
        """The kinds of organisation that can take it up, as a person reads them (empty: any kind)."""
        labels = dict(OrganisationKind.choices)
        return [labels[kind] for kind in OrganisationKind.values if kind in (self.open_to or ())]

    @property
    def delivery_medium(self):
        """"Welsh-medium", "Bilingual" or "English-medium", in the active language."""
        return dict(DELIVERY_MEDIUM)[self.delivery_language]

    @property
    def delivery_language_tag(self):
        """The card's tag for an offer delivered in Welsh or bilingually (English, the usual case, has none)."""
        return None if self.delivery_language == DeliveryLanguage.ENGLISH else self.delivery_medium

    @property
    def is_published(self):
        return self.status == OfferStatus.PUBLISHED


class GlossaryTerm(models.Model):
    acronym = models.CharField(_("acronym"), max_length=30, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    meaning = models.CharField(_("meaning"), max_length=200, help_text=_("What the letters stand for."))
    explanation = models.TextField(
        _("explanation"), blank=True, max_length=2000, help_text=_("What it is, in plain words.")
    )

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["acronym"]

    def __str__(self):
        return f"{self.acronym}: {self.meaning}"


class OfferReviewReminder(models.Model):
    """One review reminder for one offer to one worker in one reminder period.

    The unique constraint makes "once per offer per period" a property of the
    data: the weekly task may run twice, or two beat processes may overlap,
    and still only one row exists to be claimed and sent.
    """

    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="review_reminders")
    worker = models.ForeignKey(
        RegionalWorker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="review_reminders"
    )
    period_start = models.DateField(
        _("period start"), help_text=_("First day of the reminder period this reminder belongs to.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # Set by the one sender that claimed the row (compare-and-set), so two
    # senders racing for a worker's rows can each tell which rows are theirs.
    claim_token = models.CharField(_("claim token"), max_length=32, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("offer review reminder")
        verbose_name_plural = _("offer review reminders")
        ordering = ["-period_start", "worker"]
        indexes = [
            # The sender claims a worker's pending rows of one period.
            models.Index(fields=["worker", "period_start", "status"], name="reminder_worker_period_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "worker", "period_start"], name="reminder_once_per_offer_worker_period"
            ),
            models.CheckConstraint(condition=Q(status__in=ReminderStatus.values), name="reminder_status_valid"),
        ]

    def __str__(self):
        return f"Review {self.offer} ({self.worker}, from {self.period_start})"


class OutboxEmail(models.Model):
    """An email to send, written in the same transaction as the change it reports.

    Every kind of email the portal sends is one of these rows (programmes/outbox.py).
    A task is enqueued when that transaction commits; if the broker is down the
    row simply waits, and the periodic drain task (programmes.outbox_drain) sends
    it later. SMTP happens in the task, never inside a transaction. It lives in
    `programmes`, the lowest app, so that every app may write one.
    """

    # Makes "exactly once" a database fact: reminder:<booking>, evaluation:<event>:<user>...
    key = models.CharField(_("key"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    to = models.JSONField(_("to"), default=list)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    # Extra headers, e.g. a bulletin test copy's List-Unsubscribe.
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("The language it was written in.")
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    html = models.TextField(_("html"), blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=100, blank=True)
    attachment_type = models.CharField(_("attachment type"), max_length=100, blank=True)
    attachment = models.TextField(_("attachment"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    # Set when the person the email names has been erased: the row is deleted
    # once it is sent (or fails for good), so no copy naming them is kept.
    forget_after_send = models.BooleanField(_("forget after send"), default=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # After a temporary failure the drain leaves the row alone until then (back-off).
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("outgoing email")
        # Explicit: Django's derived plural would add an English "s" to the Welsh.
        verbose_name_plural = _("outgoing emails")
        indexes = [
            # The drain task's scan: pending or stuck rows, oldest first.
            models.Index(fields=["status", "created_at"], name="outbox_email_status_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OutboxStatus.values), name="outbox_email_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=OutboxStatus.SENT) | Q(sent_at__isnull=False), name="outbox_email_sent_has_time"
            ),
        ]

    def __str__(self):
        return f"{self.kind} to {', '.join(self.to)}"


class SearchSynonym(models.Model):
    """Words and phrases the catalogue search treats as one (kept as data a coordinator edits).

    A search for any of the terms also finds offers that say another one:
    "maths, mathematics, numeracy"; "head teacher, headteacher".
    """

    terms = models.CharField(
        _("terms"), max_length=300,
        unique=True,
        help_text=_("Words or phrases meaning the same, separated by commas: maths, mathematics, numeracy."),
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("Why they mean the same (for other coordinators).")
    )

    class Meta:
        ordering = ["terms"]
        verbose_name = _("search synonym")
        # Explicit: Django's derived plural would add an English "s" to the Welsh.
        verbose_name_plural = _("search synonyms")

    def __str__(self):
        return self.terms

    def term_list(self):
        """The terms, trimmed and lower-cased, without empties or repeats, in the order written."""
        found = []
        for term in self.terms.split(","):
            term = " ".join(term.split()).lower()
            if term and term not in found:
                found.append(term)
        return found
