"""The brokerage layer: enquiries about offers and the joint bulletin."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from programmes.models import Offer, Region, RegionalWorker, Theme

from .choices import BulletinStatus, DeliveryStatus


class Enquiry(models.Model):
    """A question about an offer, routed to the offer's named contact."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="enquiries")
    contact = models.ForeignKey(
        RegionalWorker, null=True, on_delete=models.SET_NULL, related_name="enquiries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="enquiries"
    )
    name = models.CharField(max_length=150)
    email = models.EmailField()
    organisation = models.CharField(max_length=200, blank=True)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "enquiries"
        indexes = [models.Index(fields=["contact", "answered_at"], name="enquiry_contact_answered")]

    def __str__(self):
        return f"{self.name} about {self.offer}"


def new_token():
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=200, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="subscribers")
    regions = models.ManyToManyField(Region, blank=True, related_name="subscribers")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="subscriber"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveSmallIntegerField(default=0)
    paused_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email"]
        indexes = [models.Index(fields=["confirmed_at", "unsubscribed_at"], name="subscriber_active")]

    def __str__(self):
        return self.email

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None and self.paused_at is None


class Bulletin(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    period_start = models.DateField()
    period_end = models.DateField()
    introduction = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=BulletinStatus.values), name="bulletin_status_valid"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="bulletin_period_ordered"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("bulletins:bulletin_detail", args=[self.slug])


class Delivery(models.Model):
    """One bulletin to one subscriber: the row a sender claims before sending."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["bulletin", "status"], name="delivery_bulletin_status")]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "subscriber"], name="delivery_once_per_subscriber"),
            models.CheckConstraint(condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"),
        ]

    def __str__(self):
        return f"{self.bulletin} to {self.subscriber}"


# Insights (issue 7): demand signals, duplicate reviews, weekly digest.
from .insights.models import DuplicateReview, InsightDigest, Signal  # noqa: E402,F401
