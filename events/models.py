"""Joint events, their surgeries and slots, bookings, waiting lists, evaluations.

Times are stored in UTC (USE_TZ) and shown in Europe/London.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import Programme, Region, RegionalWorker, Theme
from providers.models import ProviderOrganisation

from .choices import BookingStatus, EventKind, EventStatus, SurgeryLanguage, WaitlistStatus


class JointEvent(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices, default=EventKind.LEARNING_FAIR)
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    booking_opens_at = models.DateTimeField(_("booking opens at"), null=True, blank=True)
    booking_closes_at = models.DateTimeField(_("booking closes at"), null=True, blank=True)
    max_surgeries_per_person = models.PositiveSmallIntegerField(
        _("max surgeries per person"), default=3, help_text=_("How many surgeries one person may book at this event.")
    )
    waitlist_hold_hours = models.PositiveSmallIntegerField(
        _("waitlist hold hours"), default=24,
        help_text=_("How long a freed slot is held for the next person on the waiting list.")
    )
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(
        _("cancellation cutoff hours"), default=24,
        help_text=_("Providers may cancel up to this many hours before their slot.")
    )
    programmes = models.ManyToManyField(Programme, verbose_name=_("programmes"), blank=True, related_name="events")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("joint event")
        verbose_name_plural = _("joint events")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"], name="event_status_starts")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=EventStatus.values), name="event_status_valid"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(booking_opens_at__isnull=True)
                | Q(booking_closes_at__isnull=True)
                | Q(booking_closes_at__gt=F("booking_opens_at")),
                name="event_booking_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(max_surgeries_per_person__gte=1), name="event_max_surgeries_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event_detail", args=[self.slug])

    def slot_outside_message(self, starts_at, ends_at):
        """Why a slot from starts_at to ends_at cannot be held, when it does not fall within the event; else None.

        The slot generator and the admin's slot forms share this rule.
        """
        if starts_at >= self.starts_at and ends_at <= self.ends_at:
            return None
        starts, ends = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"Slots must fall within the event ({starts:%-d %B %Y %H:%M} to {ends:%H:%M})."


class Surgery(models.Model):
    """A table at a fair where regional workers hold one-to-one conversations."""

    event = models.ForeignKey(JointEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="surgeries")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    room = models.CharField(_("room"), max_length=100, blank=True)
    language = models.CharField(
        _("language"), max_length=10,
        choices=SurgeryLanguage.choices,
        default=SurgeryLanguage.ENGLISH,
        help_text=_("The language the conversation is held in."),
    )
    hosts = models.ManyToManyField(RegionalWorker, verbose_name=_("hosts"), related_name="surgeries")
    programmes = models.ManyToManyField(Programme, verbose_name=_("programmes"), blank=True, related_name="surgeries")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="surgeries")

    class Meta:
        verbose_name = _("surgery")
        ordering = ["event", "title"]
        verbose_name_plural = _("surgeries")
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=SurgeryLanguage.values), name="surgery_language_known"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.event})"


class Slot(models.Model):
    surgery = models.ForeignKey(Surgery, verbose_name=_("surgery"), on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1)
    # Confirmed bookings, kept by events.booking under the slot's row lock.
    # The CheckConstraint below makes overbooking impossible even if a code
    # path forgot the lock: the UPDATE that would exceed capacity fails.
    booked_count = models.PositiveSmallIntegerField(_("booked count"), default=0, editable=False)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["surgery", "starts_at"]
        indexes = [models.Index(fields=["surgery", "starts_at"], name="slot_surgery_starts")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_positive"),
            models.CheckConstraint(
                condition=Q(booked_count__gte=0) & Q(booked_count__lte=F("capacity")),
                name="slot_booked_within_capacity",
            ),
            models.UniqueConstraint(fields=["surgery", "starts_at"], name="slot_unique_start_per_surgery"),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.surgery.title} at {local:%H:%M} on {local:%-d %b %Y}"

    @property
    def free_places(self):
        return max(self.capacity - self.booked_count, 0)

    def overlap_label(self, surgery_id):
        """How an overlap refusal names this slot, seen from the surgery being scheduled."""
        where = "this surgery" if self.surgery_id == surgery_id else f"“{self.surgery.title}” (same host)"
        return f"the slot at {timezone.localtime(self.starts_at):%H:%M} of {where}"


class Booking(models.Model):
    slot = models.ForeignKey(Slot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="bookings"
    )
    # Copied from the slot when the booking is made, so that the per-event
    # limit is one indexed count and PostgreSQL can exclude overlapping
    # confirmed bookings of one person (migration 0003, btree_gist).
    event = models.ForeignKey(
        JointEvent, verbose_name=_("event"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="bookings", editable=False
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True, editable=False)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True, editable=False)
    organisation = models.ForeignKey(
        ProviderOrganisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="bookings"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    priorities = models.ManyToManyField(Theme, verbose_name=_("priorities"), blank=True, related_name="bookings")
    questions = models.TextField(_("questions"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["slot__starts_at"]
        indexes = [
            models.Index(fields=["user", "status"], name="booking_user_status"),
            # The per-event limit: a person's confirmed bookings at one event.
            models.Index(fields=["event", "user", "status"], name="booking_event_user_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=BookingStatus.values), name="booking_status_valid"),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="booking_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status=BookingStatus.CANCELLED) | Q(cancelled_at__isnull=False),
                name="booking_cancelled_has_time",
            ),
            models.UniqueConstraint(
                fields=["slot", "user"],
                condition=Q(status=BookingStatus.CONFIRMED),
                name="booking_one_active_per_person_and_slot",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.slot}"

    def save(self, *args, **kwargs):
        # Keep the copies in step with the slot (admin edits, factories).
        if self.slot_id and (self.starts_at is None or self.event_id is None):
            self.starts_at, self.ends_at = self.slot.starts_at, self.slot.ends_at
            self.event_id = self.slot.surgery.event_id
        super().save(*args, **kwargs)

    @property
    def is_confirmed(self):
        return self.status == BookingStatus.CONFIRMED


class WaitlistEntry(models.Model):
    surgery = models.ForeignKey(Surgery, verbose_name=_("surgery"), on_delete=models.CASCADE, related_name="waitlist")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    offered_slot = models.ForeignKey(
        Slot, verbose_name=_("offered slot"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offered_until = models.DateTimeField(_("offered until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("waitlist entry")
        ordering = ["surgery", "created_at"]
        verbose_name_plural = _("waiting list entries")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=WaitlistStatus.values), name="waitlist_status_valid"),
            models.UniqueConstraint(
                fields=["surgery", "user"],
                condition=Q(status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]),
                name="waitlist_once_per_person_and_surgery",
            ),
            models.CheckConstraint(
                condition=~Q(status=WaitlistStatus.OFFERED)
                | (Q(offered_slot__isnull=False) & Q(offered_until__isnull=False)),
                name="waitlist_offer_has_slot_and_deadline",
            ),
        ]
        indexes = [
            # Who is next in line for a surgery, and which offers have lapsed.
            models.Index(fields=["surgery", "status", "created_at"], name="waitlist_next_in_line"),
            models.Index(fields=["status", "offered_until"], name="waitlist_offer_deadline"),
        ]

    def __str__(self):
        return f"{self.user} waiting for {self.surgery}"


class Evaluation(models.Model):
    """The questions of a learning fair's evaluation sheet, one per attendee."""

    event = models.ForeignKey(JointEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="evaluations")
    # NULL once its author's account is erased: the answers still count, and name nobody.
    # (NULLs are distinct in the unique constraint, so several erased people's evaluations of one event stay.)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="evaluations"
    )
    main_benefits = models.TextField(_("The main benefits for you"), blank=True, max_length=5000)
    key_messages = models.TextField(
        _("Key messages for national strategic groups about regional working"), blank=True, max_length=5000
    )
    ideas = models.TextField(_("Ideas worth taking forward"), blank=True, max_length=5000)
    future_meetings = models.TextField(_("What future meetings could offer"), blank=True, max_length=5000)
    other_comments = models.TextField(_("Other comments"), blank=True, max_length=5000)
    rating = models.PositiveSmallIntegerField(_("Overall rating (1 to 5)"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="evaluation_once_per_attendee"),
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="evaluation_rating_1_to_5"),
        ]

    def __str__(self):
        return f"Evaluation of {self.event} by {self.user or 'an erased account'}"

    WRITTEN_FIELDS = ("main_benefits", "key_messages", "ideas", "future_meetings", "other_comments")

    def written_answers(self):
        """[(question, answer), ...] in the sheet's order, for showing someone what they wrote."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.WRITTEN_FIELDS]
