"""The brokerage layer: enquiries about offers and the joint bulletin."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.models import JointEvent
from people.choices import Language
from programmes.models import Offer, Region, RegionalWorker, Theme

from .choices import BulletinItemKind, BulletinStatus, DeliveryStatus


class Enquiry(models.Model):
    """A question about an offer, routed to the offer's named contact."""

    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="enquiries")
    contact = models.ForeignKey(
        RegionalWorker, verbose_name=_("contact"), null=True, on_delete=models.SET_NULL, related_name="enquiries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="enquiries"
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enquiry")
        ordering = ["-created_at"]
        verbose_name_plural = _("enquiries")
        indexes = [models.Index(fields=["contact", "answered_at"], name="enquiry_contact_answered")]

    def __str__(self):
        return f"{self.name} about {self.offer}"


# ---------------------------------------------------------------------------
# Joint bulletin (issue 6): subscribers, bulletins, their items, deliveries.
# The code that composes and sends them lives in brokerage/bulletins/.
# ---------------------------------------------------------------------------


def new_token():
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="subscribers")
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), blank=True, related_name="subscribers")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="subscriber"
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The last confirmation link mailed: one per address per few minutes, so
    # the form cannot be used to flood someone's inbox.
    confirmation_sent_at = models.DateTimeField(_("confirmation sent at"), null=True, blank=True, editable=False)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    consecutive_failures = models.PositiveSmallIntegerField(
        _("consecutive failures"), default=0,
        help_text=_("Bulletins running whose delivery failed permanently; three pause the address.")
    )
    paused_at = models.DateTimeField(
        _("paused at"), null=True, blank=True,
        help_text=_("Set after three permanent failures running; cleared on confirming again.")
    )
    # Blank: not known, and the bulletin goes in both languages, Welsh first.
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["email"]
        indexes = [models.Index(fields=["confirmed_at", "unsubscribed_at"], name="subscriber_active")]
        constraints = [
            models.CheckConstraint(condition=Q(language__in=["", *Language.values]), name="subscriber_language_valid"),
        ]

    def __str__(self):
        return self.email

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None and self.paused_at is None

    @property
    def email_language(self):
        """What people.services.email_language_for reads: the language they asked for, blank if not known."""
        return self.language


class Bulletin(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    introduction = models.TextField(
        _("introduction"), blank=True, max_length=5000, help_text=_("A few plain sentences that open the bulletin.")
    )
    send_empty = models.BooleanField(
        default=False,
        verbose_name=_("Send to subscribers with nothing matching"),
        help_text=_(
            "If ticked, a subscriber whose themes and region match nothing gets a short "
            "'nothing new for your interests' version; if not, they are skipped."
        ),
    )
    status = models.CharField(_("status"), max_length=20, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    # When sending started (the date shown in the archive); the status turns
    # "sent" once no delivery remains pending or in flight.
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-period_end"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=BulletinStatus.values), name="bulletin_status_valid"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="bulletin_period_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(status=BulletinStatus.SCHEDULED) | Q(scheduled_for__isnull=False),
                name="bulletin_scheduled_has_time",
            ),
        ]
        indexes = [
            # The beat task looks for scheduled bulletins that are due.
            models.Index(fields=["status", "scheduled_for"], name="bulletin_status_scheduled"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("bulletins:bulletin_detail", args=[self.slug])

    @property
    def is_editable(self):
        return self.status in (BulletinStatus.DRAFT, BulletinStatus.SCHEDULED)


class BulletinItem(models.Model):
    """An offer or an event drafted into a bulletin; the coordinator pins or drops it."""

    bulletin = models.ForeignKey(Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=BulletinItemKind.choices)
    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        JointEvent, verbose_name=_("event"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Listed first, and kept when the draft is redone.")
    )
    dropped = models.BooleanField(
        _("dropped"), default=False, help_text=_("Left out, and not added back when the draft is redone.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("bulletin item")
        verbose_name_plural = _("bulletin items")
        ordering = ["-pinned", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=BulletinItemKind.values), name="bulletin_item_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind=BulletinItemKind.OFFER) & Q(offer__isnull=False) & Q(event__isnull=True))
                | (Q(kind=BulletinItemKind.EVENT) & Q(event__isnull=False) & Q(offer__isnull=True)),
                name="bulletin_item_one_target",
            ),
            models.UniqueConstraint(fields=["bulletin", "offer"], name="bulletin_item_offer_once"),
            models.UniqueConstraint(fields=["bulletin", "event"], name="bulletin_item_event_once"),
        ]

    def __str__(self):
        return str(self.offer or self.event)


class Delivery(models.Model):
    """One bulletin to one subscriber: the row a sender claims before sending."""

    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # Set by the claiming UPDATE (compare-and-set on status): the claimer reads
    # back exactly the rows it won, on PostgreSQL and SQLite alike.
    claim_token = models.UUIDField(_("claim token"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    permanent_failure = models.BooleanField(_("permanent failure"), default=False)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            # Claiming, progress counts and the reaper filter on (bulletin, status).
            models.Index(fields=["bulletin", "status"], name="delivery_bulletin_status"),
            # The reaper looks for rows left "sending" by a dead worker.
            models.Index(fields=["status", "claimed_at"], name="delivery_status_claimed"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "subscriber"], name="delivery_once_per_subscriber"),
            models.CheckConstraint(condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False), name="delivery_sent_has_time"
            ),
        ]

    def __str__(self):
        return f"{self.bulletin} to {self.subscriber}"


# Insights (issue 7): demand signals, duplicate reviews, weekly digest.
from .insights.models import DuplicateReview, InsightDigest, Signal  # noqa: E402,F401
