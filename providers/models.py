"""Provider organisations, their contacts, priorities and CPD plans."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from programmes.models import Audience, Offer, Region, Theme

from .choices import PlanStatus, ProviderKind


class ProviderOrganisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=ProviderKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="providers")
    town = models.CharField(max_length=100, blank=True)
    website = models.URLField(blank=True)
    priorities = models.ManyToManyField(
        Theme, blank=True, related_name="prioritised_by", help_text="The themes that matter most this year."
    )
    staff_groups = models.ManyToManyField(
        Audience, blank=True, related_name="provider_organisations", help_text="The staff you develop."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ProviderKind.values), name="provider_kind_valid"),
        ]

    def __str__(self):
        return self.name


class ProviderContact(models.Model):
    """A person at a provider organisation who uses the portal."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_profile"
    )
    organisation = models.ForeignKey(
        ProviderOrganisation, on_delete=models.CASCADE, related_name="contacts"
    )
    job_title = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["organisation__name", "user__last_name"]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.organisation})"


class PlanItem(models.Model):
    """An offer in an organisation's CPD plan."""

    organisation = models.ForeignKey(
        ProviderOrganisation, on_delete=models.CASCADE, related_name="plan_items"
    )
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="plan_items")
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.CONSIDERING)
    note = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "position", "added_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "offer"], name="plan_item_once_per_organisation"),
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="plan_item_status_valid"),
        ]

    def __str__(self):
        return f"{self.offer} in {self.organisation}'s plan"
