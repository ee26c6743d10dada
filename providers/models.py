"""Provider organisations, their contacts, priorities and CPD plans."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programmes.models import Audience, Offer, Region, Theme

from .choices import OPEN_MEMBERSHIP_STATUSES, MembershipStatus, PlanStatus, ProviderKind


class ProviderOrganisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ProviderKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="providers")
    town = models.CharField(_("town"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    priorities = models.ManyToManyField(
        Theme, verbose_name=_("priorities"), blank=True, related_name="prioritised_by",
        help_text=_("The themes that matter most this year.")
    )
    staff_groups = models.ManyToManyField(
        Audience, verbose_name=_("staff groups"), blank=True, related_name="provider_organisations",
        help_text=_("The staff you develop.")
    )

    class Meta:
        verbose_name = _("provider organisation")
        verbose_name_plural = _("provider organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ProviderKind.values), name="provider_kind_valid"),
        ]

    def __str__(self):
        return self.name


class VerifiedDomain(models.Model):
    """An email domain a coordinator has checked belongs to the organisation.

    A confirmed address at this domain joins the organisation without waiting
    for a colleague's approval.
    """

    organisation = models.ForeignKey(
        ProviderOrganisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="verified_domains"
    )
    domain = models.CharField(
        _("domain"), max_length=253, unique=True, help_text=_("For example exeter-college.ac.uk, without “@”.")
    )

    class Meta:
        verbose_name = _("verified domain")
        verbose_name_plural = _("verified domains")
        ordering = ["domain"]
        constraints = [
            # Compared with the lower-cased part after "@" of an address (services.email_domain).
            models.CheckConstraint(condition=Q(domain=Lower("domain")), name="verified_domain_lower_case"),
        ]

    def __str__(self):
        return self.domain


class EmailConfirmation(models.Model):
    """An account made through sign-up, and whether it has proved its address yet.

    Only sign-up, where anyone may type any address, creates this row (in the
    same transaction as the account). Accounts without one were made by
    coordinators, the demo loader or before this rule, and count as confirmed:
    see permissions.email_confirmed.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="email_confirmation"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The last link mailed: one per few minutes, so "resend" cannot flood an inbox.
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("email confirmation")
        verbose_name_plural = _("email confirmations")

    def __str__(self):
        return f"{self.user.email} ({'confirmed' if self.confirmed_at else 'not confirmed'})"


class Membership(models.Model):
    """A person's request to act for an organisation, and what became of it.

    An approved membership is the fact that the person acts for the
    organisation; its ProviderContact profile exists exactly while it is
    approved (services keep the two together).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        ProviderOrganisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    reason = models.TextField(
        _("reason"), max_length=1000, blank=True,
        help_text=_("What the person told the organisation's contacts about themselves.")
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who approved, declined or removed it; empty when a verified domain approved it."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Every change of status, with who made it (HistoryRequestMiddleware) and why (change reason).
    history = HistoricalRecords(user_related_name="+")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MembershipStatus.values), name="membership_status_valid"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(status__in=OPEN_MEMBERSHIP_STATUSES), name="membership_one_open_per_user"
            ),
        ]
        indexes = [
            # The organisation's pending requests and its approved contacts (the contacts page).
            models.Index(fields=["organisation", "status"], name="membership_org_status"),
        ]

    def __str__(self):
        return f"{self.user.email or self.user.get_username()} at {self.organisation} ({self.get_status_display()})"


class ProviderContact(models.Model):
    """The profile of a person who acts for a provider organisation (an approved membership)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="provider_profile"
    )
    organisation = models.ForeignKey(
        ProviderOrganisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="contacts"
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    history = HistoricalRecords(user_related_name="+")

    class Meta:
        verbose_name = _("provider contact")
        verbose_name_plural = _("provider contacts")
        ordering = ["organisation__name", "user__last_name"]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.organisation})"


class PlanItem(models.Model):
    """An offer in an organisation's CPD plan."""

    organisation = models.ForeignKey(
        ProviderOrganisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="plan_items"
    )
    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="plan_items")
    position = models.PositiveIntegerField(_("position"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.CONSIDERING)
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["organisation", "position", "added_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "offer"], name="plan_item_once_per_organisation"),
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="plan_item_status_valid"),
        ]

    def __str__(self):
        return f"{self.offer} in {self.organisation}'s plan"
