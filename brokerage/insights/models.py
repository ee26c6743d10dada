"""Insights: demand signals, duplicate reviews and the weekly digest record.

Imported by ``brokerage/models.py`` so the tables belong to the brokerage app.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import Audience, Offer, Region, Theme

from .choices import DigestStatus, DuplicateDecision, SignalKind


REFERENCE = {
    "null": True,
    "blank": True,
    "on_delete": models.DO_NOTHING,
    "db_constraint": False,
    "db_index": False,
    "related_name": "+",
}


class Signal(models.Model):
    """One piece of demand: a search, a view, an enquiry, a booking...

    No personal data: no user, no IP address, no email; search words are
    normalised (see ``services.normalise_words``).

    One signal is written as one INSERT of one or more rows: the first row
    (``is_primary``) counts the signal; further rows carry its other themes or
    audiences, so that counts per theme and per audience are both right. Count
    ``is_primary`` rows for totals, rows with a theme for per-theme figures.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=SignalKind.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    is_primary = models.BooleanField(_("is primary"), default=True)
    # References without database constraints or single-column indexes: a
    # signal is history, so it keeps the id of a theme or offer deleted later
    # (the aggregates join only rows that still exist), inserts stay cheap, and
    # deleting an offer does not scan a million signals to null them.
    region = models.ForeignKey(Region, verbose_name=_("region"), **REFERENCE)
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), **REFERENCE)
    audience = models.ForeignKey(Audience, verbose_name=_("audience"), **REFERENCE)
    offer = models.ForeignKey(Offer, verbose_name=_("offer"), **REFERENCE)
    bulletin = models.ForeignKey("brokerage.Bulletin", verbose_name=_("bulletin"), **REFERENCE)
    words = models.CharField(_("words"), max_length=100, blank=True, help_text=_("Normalised search words."))
    result_count = models.PositiveIntegerField(_("result count"), null=True, blank=True)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-created_at"]
        indexes = [
            # /insights/ for one region: equality on region, range on created_at, and the
            # grouped columns in the key so that PostgreSQL can answer from the index alone.
            models.Index(
                fields=["region", "created_at", "kind", "theme", "audience", "is_primary"],
                name="signal_region_created_kind",
            ),
            # /insights/ for all regions, and the retention task's delete.
            models.Index(
                fields=["created_at", "kind", "theme", "audience", "is_primary"], name="signal_created_kind"
            ),
            # The zero-result search list (a small slice of all signals).
            models.Index(
                fields=["created_at", "region", "words"],
                condition=Q(kind=SignalKind.SEARCH, result_count=0, is_primary=True),
                name="signal_zero_results",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SignalKind.values), name="signal_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.created_at:%Y-%m-%d %H:%M}"


class DuplicateReview(models.Model):
    """A coordinator's decision about a pair of offers that look alike."""

    offer_a = models.ForeignKey(Offer, verbose_name=_("offer a"), on_delete=models.CASCADE, related_name="+")
    offer_b = models.ForeignKey(Offer, verbose_name=_("offer b"), on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(_("decision"), max_length=20, choices=DuplicateDecision.choices)
    note = models.TextField(
        _("note"), blank=True, max_length=2000, help_text=_("What the two programmes' workers should talk about.")
    )
    score = models.FloatField(_("score"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("duplicate review")
        verbose_name_plural = _("duplicate reviews")
        ordering = ["-decided_at"]
        constraints = [
            # A pair is stored once, lower id first.
            models.UniqueConstraint(fields=["offer_a", "offer_b"], name="duplicate_review_once_per_pair"),
            models.CheckConstraint(condition=Q(offer_a__lt=F("offer_b")), name="duplicate_review_pair_ordered"),
            models.CheckConstraint(
                condition=Q(decision__in=DuplicateDecision.values), name="duplicate_review_decision_valid"
            ),
        ]

    def __str__(self):
        return f"{self.offer_a} / {self.offer_b}: {self.get_decision_display()}"


class InsightDigest(models.Model):
    """The weekly digest to coordinators: one row per week, claimed before sending."""

    week_start = models.DateField(_("week start"), unique=True, help_text=_("The Monday of the week it was sent in."))
    status = models.CharField(_("status"), max_length=20, choices=DigestStatus.choices, default=DigestStatus.SENDING)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("insight digest")
        verbose_name_plural = _("insight digests")
        ordering = ["-week_start"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DigestStatus.values), name="insight_digest_status_valid"),
        ]

    def __str__(self):
        return f"Insights digest, week of {self.week_start}"
