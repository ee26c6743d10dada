"""Thin views of /events/: they call selectors to read and the services (booking, waitlist, evaluations) to write."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programmes.ratelimits import limit_posts
from programmes.redirects import safe_next
from providers.permissions import acting_contact

from . import booking as bookings
from . import selectors
from . import waitlist as waitlists
from .choices import BookingStatus, EventKind, WaitlistStatus
from .errors import BookingError
from .evaluations import evaluation_submit
from .forms import BookingForm, EvaluationForm
from .ics import booking_ics, event_ics, events_feed_ics
from .models import Surgery, WaitlistEntry


def event_list(request):
    return render(
        request,
        "events/event_list.html",
        {"events": selectors.event_list_for_public(), "past_events": selectors.past_public_events()},
    )


def event_detail(request, slug):
    now = timezone.now()
    event = selectors.event_for_viewer(slug=slug, user=request.user)
    surgeries = selectors.event_surgeries(event=event, now=now)
    state = selectors.viewer_booking_state(event=event, user=request.user, now=now)
    theme_slug = request.GET.get("theme") or None
    language = selectors.surgery_language_choice(request.GET.get("language"))
    for surgery in surgeries:
        surgery.future_slots = [slot for slot in surgery.all_slots if slot.starts_at > now]
    # The booking's own rule: a place held for someone on the waiting list is not free to others.
    free = selectors.free_places(
        [slot for surgery in surgeries for slot in surgery.future_slots], user_id=request.user.pk, now=now
    )
    for surgery in surgeries:
        surgery.free_slots = [slot for slot in surgery.future_slots if free[slot.pk] > 0]
        surgery.waitlist_entry = state["waitlist"].get(surgery.pk)
    # Marked before they fill in the form: booking_create refuses an overlapping slot.
    clashes = selectors.slot_clashes(user=request.user, slots=[s for surgery in surgeries for s in surgery.free_slots])
    for surgery in surgeries:
        for slot in surgery.free_slots:
            slot.clashes = clashes.get(slot.pk, [])
    is_past = event.ends_at < now
    evaluation_state = None
    if is_past and state["bookings"]:
        evaluation_state, _ = selectors.evaluation_access(event=event, user=request.user, now=now)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "is_fair": event.kind == EventKind.LEARNING_FAIR,
            "groups": selectors.surgeries_by_programme(surgeries, theme_slug=theme_slug, language=language),
            "themes": selectors.event_themes(surgeries),
            "theme_slug": theme_slug,
            "surgery_languages": selectors.event_languages(surgeries),
            "language_chosen": language,
            "surgery_count": len(surgeries),
            "booking_open": selectors.booking_window_open(event, now=now) and event.starts_at > now,
            "can_book": acting_contact(request.user) is not None,
            "is_past": is_past,
            "evaluation_state": evaluation_state,
            "now": now,
            **state,
        },
    )


@login_required
@limit_posts("booking", user="RATELIMIT_BOOKING")
def booking_new(request, slug, slot_id):
    event = selectors.event_for_viewer(slug=slug, user=request.user)
    slot = selectors.slot_for_booking(event=event, slot_id=slot_id)
    profile = acting_contact(request.user)
    if request.method == "POST":
        form = BookingForm(request.POST)
    else:
        form = BookingForm(initial={"priorities": list(profile.organisation.priorities.all()) if profile else []})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            booking = bookings.booking_create(
                user=request.user,
                slot_id=slot.pk,
                priorities=form.cleaned_data["priorities"],
                questions=form.cleaned_data["questions"],
            )
        except BookingError as refusal:
            error = refusal.message
        else:
            local = timezone.localtime(booking.starts_at)
            messages.success(
                request,
                _(
                    "Booked: %(surgery)s at %(time)s on %(day)s. "
                    "A confirmation email with a calendar file is on its way."
                ) % {"surgery": slot.surgery.title, "time": time_format(local, "H:i"), "day": date_format(local, "l j F")},
            )
            return redirect("events:booking_detail", booking_id=booking.pk)
    return render(
        request,
        "events/booking_form.html",
        {
            "event": event, "slot": slot, "surgery": slot.surgery, "form": form, "error": error,
            "is_provider": profile is not None,
            # Who is booking, for which organisation: the booking is made in their name.
            "person": request.user if profile else None,
            "organisation": profile.organisation if profile else None,
            "hosts": list(slot.surgery.hosts.select_related("user")),
            "clashes": selectors.slot_clashes(user=request.user, slots=[slot]).get(slot.pk, []),
        },
        status=409 if error else 200,
    )


@login_required
def booking_detail(request, booking_id):
    """One booking as its person sees it: what, when, where, for whom, and what to do next."""
    booking = selectors.own_booking_in_full(user=request.user, booking_id=booking_id)
    event = booking.slot.surgery.event
    now = timezone.now()
    cancel_until = booking.starts_at - dt.timedelta(hours=event.cancellation_cutoff_hours)
    return render(
        request,
        "events/booking_detail.html",
        {
            "booking": booking,
            "slot": booking.slot,
            # In minutes, as "lasts 20 minutes" says it (Django has no Welsh for timesince's words).
            "slot_minutes": round((booking.ends_at - booking.starts_at).total_seconds() / 60),
            "surgery": booking.slot.surgery,
            "event": event,
            "hosts": list(booking.slot.surgery.hosts.all()),
            "is_cancelled": booking.status == BookingStatus.CANCELLED,
            "is_over": booking.ends_at <= now,
            "cancel_until": cancel_until,
            "can_cancel_online": booking.status == BookingStatus.CONFIRMED and now < cancel_until,
            "team_email": settings.ENQUIRY_FALLBACK_EMAIL,
        },
    )


@login_required
def booking_calendar(request, booking_id):
    """The booking's own calendar file (the confirmation email's attachment, same UID): its person only."""
    booking = selectors.own_booking(user=request.user, booking_id=booking_id)
    body = booking_ics(booking, cancelled=booking.status == BookingStatus.CANCELLED)
    return _calendar_response(body, f"surgery-{booking.pk}.ics")


def event_calendar(request, slug):
    """The whole event as one calendar entry, for "add to calendar"."""
    event = selectors.event_for_viewer(slug=slug, user=request.user)
    return _calendar_response(event_ics(event), f"{event.slug}.ics")


def _calendar_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def booking_cancel(request, booking_id):
    booking = selectors.own_booking(user=request.user, booking_id=booking_id)
    event = booking.slot.surgery.event
    if request.method == "POST":
        try:
            bookings.booking_cancel(booking_id=booking.pk, user=request.user)
        except BookingError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request, _("Your booking for %(surgery)s is cancelled.") % {"surgery": booking.slot.surgery.title}
            )
        return redirect(safe_next(request, reverse("account:home")))
    return render(
        request,
        "events/booking_cancel.html",
        {"booking": booking, "event": event, "is_cancelled": booking.status == BookingStatus.CANCELLED,
         "next": safe_next(request, reverse("account:home"))},
    )


@login_required
@require_POST
@limit_posts("waitlist", user="RATELIMIT_WAITLIST")
def waitlist_join(request, surgery_id):
    surgery = get_object_or_404(Surgery.objects.select_related("event"), pk=surgery_id)
    selectors.event_for_viewer(slug=surgery.event.slug, user=request.user)
    try:
        waitlists.waitlist_join(user=request.user, surgery_id=surgery.pk)
    except BookingError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("You are on the waiting list for %(surgery)s. If a slot comes free we will email you and hold it for you.")
            % {"surgery": surgery.title},
        )
    return redirect(f"{surgery.event.get_absolute_url()}#surgery-{surgery.pk}")


@login_required
@require_POST
def waitlist_leave(request, entry_id):
    entry = get_object_or_404(
        WaitlistEntry.objects.select_related("surgery__event"),
        pk=entry_id, user=request.user, status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
    )
    waitlists.waitlist_leave(user=request.user, entry_id=entry.pk)
    messages.success(request, _("You have left the waiting list for %(surgery)s.") % {"surgery": entry.surgery.title})
    return redirect(safe_next(request, entry.surgery.event.get_absolute_url()))


def evaluation(request, slug):
    """The evaluation sheet for those who attended; everyone else is told plainly why they cannot fill it in."""
    event = selectors.event_for_viewer(slug=slug, user=request.user)
    now = timezone.now()
    state, existing = selectors.evaluation_access(event=event, user=request.user, now=now)
    if state == selectors.EVALUATION_SIGN_IN:
        # The 403 page offers a sign-in link that comes back here.
        raise PermissionDenied(
            _(
                "Sign in to evaluate %(event)s. The evaluation is for people who booked a surgery at it: "
                "sign in with the account you booked with."
            ) % {"event": event.title}
        )
    if state == selectors.EVALUATION_NOT_ATTENDED:
        raise PermissionDenied(
            _(
                "You cannot evaluate %(event)s: the account you are signed in with had no booking at it. "
                "Only people who booked a surgery and attended can fill in its evaluation."
            ) % {"event": event.title}
        )
    form = EvaluationForm(request.POST or None)
    error = None
    if state == selectors.EVALUATION_OPEN and request.method == "POST" and form.is_valid():
        try:
            evaluation_submit(user=request.user, event_id=event.pk, answers=form.cleaned_data, now=now)
        except BookingError as refusal:
            error = refusal.message
        else:
            messages.success(request, _("Thank you: your evaluation has been recorded."))
            return redirect(event.get_absolute_url())
    return render(
        request,
        "events/evaluation_form.html",
        {"event": event, "form": form, "existing": existing, "error": error,
         "not_yet": state == selectors.EVALUATION_NOT_OVER},
    )


def calendar_feed(request):
    response = HttpResponse(
        events_feed_ics(selectors.upcoming_public_events()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response
