"""Reads of joint events."""

import datetime as dt
from collections import Counter, OrderedDict
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext

from programmes.choices import DELIVERY_MEDIUM
from programmes.translated_text import ShownText, translated, translated_versions

from .choices import BookingStatus, EventStatus, SurgeryLanguage, WaitlistStatus
from .models import Booking, Evaluation, JointEvent, Slot, Surgery, WaitlistEntry


def public_events():
    """Events the public may see: published only."""
    return JointEvent.objects.filter(status=EventStatus.PUBLISHED)


def booking_window_open(event, *, now):
    """Whether the event's booking window (its opening and closing times, if any) is open at `now`."""
    if event.booking_opens_at and now < event.booking_opens_at:
        return False
    if event.booking_closes_at and now >= event.booking_closes_at:
        return False
    return True


def upcoming_public_events(limit=None):
    events = public_events().filter(ends_at__gte=timezone.now()).select_related("region").order_by("starts_at")
    return events[:limit] if limit else events


def event_list_for_public(*, now=None):
    """Upcoming published events with how many surgery places are still free."""
    now = now or timezone.now()
    return (
        public_events()
        .filter(ends_at__gte=now)
        .select_related("region")
        .annotate(
            surgery_count=Count("surgeries", distinct=True),
            free_places=Count(
                "surgeries__slots",
                filter=Q(surgeries__slots__starts_at__gt=now)
                & Q(surgeries__slots__booked_count__lt=F("surgeries__slots__capacity")),
            ),
        )
        .order_by("starts_at")
    )


def surgeries_with_programme(programme, *, now=None, limit=3):
    """The next surgeries at published fairs where someone from `programme` talks one to one (an offer's page)."""
    now = now or timezone.now()
    return (
        Surgery.objects.filter(programmes=programme, event__status=EventStatus.PUBLISHED, event__ends_at__gte=now)
        .select_related("event")
        .order_by("event__starts_at", "title", "pk")[:limit]
    )


def past_public_events(*, now=None, limit=6):
    now = now or timezone.now()
    return public_events().filter(ends_at__lt=now).order_by("-starts_at")[:limit]


def event_for_viewer(*, slug, user):
    """One event: published ones for everyone, drafts and cancelled ones for staff only (404 otherwise)."""
    queryset = JointEvent.objects.select_related("region")
    if not (user.is_authenticated and user.is_staff):
        queryset = queryset.filter(status=EventStatus.PUBLISHED)
    return get_object_or_404(queryset, slug=slug)


def event_surgeries(*, event, now=None):
    """The event's surgeries with hosts, programmes, themes and their future slots."""
    now = now or timezone.now()
    return list(
        Surgery.objects.filter(event=event)
        .prefetch_related(
            "hosts__user",
            "programmes",
            "themes",
            Prefetch("slots", queryset=Slot.objects.order_by("starts_at"), to_attr="all_slots"),
        )
        .order_by("title")
    )


def event_themes(surgeries):
    """The themes the event's surgeries cover, with how many surgeries each: [(theme, count), ...]."""
    counts = {}
    for surgery in surgeries:
        for theme in surgery.themes.all():
            counts[theme] = counts.get(theme, 0) + 1
    return sorted(counts.items(), key=lambda item: (item[0].position, item[0].name))


def surgery_language_choice(value):
    """The language a fair page is asked to show surgeries in, or None (no choice, or not a known language)."""
    return value if value in SurgeryLanguage.values else None


def event_languages(surgeries):
    """The languages the event's surgeries are held in, Welsh first: [(value, label, count), ...]."""
    counts = Counter(surgery.language for surgery in surgeries)
    return [(value, label, counts[value]) for value, label in DELIVERY_MEDIUM if counts[value]]


def surgeries_by_programme(surgeries, *, theme_slug=None, language=None):
    """[(programme plain name, [surgery, ...]), ...], optionally only the surgeries on one theme, in one language.

    The names are ShownText (programmes.translated_text): a Welsh page marks a name it shows in English.

    A surgery is listed once, under its first programme; joint surgeries with
    no programme come last.
    """
    groups = OrderedDict()
    joint = []
    for surgery in surgeries:
        if theme_slug and theme_slug not in {theme.slug for theme in surgery.themes.all()}:
            continue
        if language and surgery.language != language:
            continue
        programmes = sorted(surgery.programmes.all(), key=lambda programme: programme.plain_name)
        if programmes:
            groups.setdefault(translated(programmes[0], "plain_name"), []).append(surgery)
        else:
            joint.append(surgery)
    result = sorted(groups.items(), key=lambda group: group[0].text)
    if joint:
        result.append((ShownText(gettext("Joint surgeries")), joint))
    return result


def viewer_booking_state(*, event, user, now=None):
    """What the signed-in person holds at this event: booked slot ids, waiting-list entries by surgery."""
    if not user.is_authenticated:
        return {"booked_slot_ids": set(), "waitlist": {}, "bookings": []}
    bookings = list(
        Booking.objects.filter(event=event, user=user, status=BookingStatus.CONFIRMED)
        .select_related("slot__surgery")
        .order_by("starts_at")
    )
    entries = WaitlistEntry.objects.filter(
        surgery__event=event, user=user, status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
    )
    return {
        "booked_slot_ids": {booking.slot_id for booking in bookings},
        "waitlist": {entry.surgery_id: entry for entry in entries},
        "bookings": bookings,
    }


@dataclass(frozen=True)
class Clash:
    """A confirmed booking of the person that overlaps a slot they are looking at."""

    booking_id: int
    starts_at: dt.datetime
    with_whom: ShownText  # the hosts' names, or the surgery's title when it has no host yet
    event_id: int
    event_title: ShownText  # in the page's language, marked when it falls back (programmes.translated_text)


def slot_clashes(*, user, slots):
    """{slot id: [Clash, ...]}: the person's confirmed bookings overlapping each slot (touching ends do not).

    One query for all the slots, whatever their number: the bookings within
    the slots' span, one row per booking and host. A slot the person booked
    is not a clash with itself. Anonymous visitors have none.
    """
    slots = list(slots)
    if not user.is_authenticated or not slots:
        return {}
    rows = (
        Booking.objects.filter(
            user=user,
            status=BookingStatus.CONFIRMED,
            starts_at__lt=max(slot.ends_at for slot in slots),
            ends_at__gt=min(slot.starts_at for slot in slots),
        )
        .order_by("starts_at", "pk", "slot__surgery__hosts__user__last_name", "slot__surgery__hosts__user__first_name")
        .values_list(
            "pk", "slot_id", "starts_at", "ends_at", "event_id", "event__title_en_gb", "event__title_cy",
            "slot__surgery__title_en_gb", "slot__surgery__title_cy",
            "slot__surgery__hosts__user__first_name", "slot__surgery__hosts__user__last_name",
            "slot__surgery__hosts__user__username",
        )
    )
    bookings = {}  # booking id: (slot id, starts, ends, event id, event title, surgery title, [host names])
    for pk, slot_id, starts_at, ends_at, event_id, *titles, first, last, username in rows:
        event_title, surgery_title = translated_versions(*titles[:2]), translated_versions(*titles[2:])
        booking = bookings.setdefault(pk, (slot_id, starts_at, ends_at, event_id, event_title, surgery_title, []))
        if username is not None:
            booking[6].append(f"{first} {last}".strip() or username)  # as RegionalWorker.name says it
    clashes = {}
    for pk, (slot_id, starts_at, ends_at, event_id, event_title, surgery_title, hosts) in bookings.items():
        clash = Clash(
            booking_id=pk, starts_at=starts_at, event_id=event_id, event_title=event_title,
            with_whom=ShownText(_names(hosts)) if hosts else surgery_title,
        )
        for slot in slots:
            if slot.pk != slot_id and starts_at < slot.ends_at and ends_at > slot.starts_at:
                clashes.setdefault(slot.pk, []).append(clash)
    return clashes


def _names(names):
    """"A", "A and B", "A, B and C" (in the page's language)."""
    return get_text_list(names, gettext("and"))


def slot_for_booking(*, event, slot_id):
    return get_object_or_404(Slot.objects.select_related("surgery__event"), pk=slot_id, surgery__event=event)


def bookings_of(user, *, now=None):
    """A person's bookings, split into upcoming (confirmed) and past or cancelled."""
    now = now or timezone.now()
    bookings = (
        Booking.objects.filter(user=user)
        .select_related("slot__surgery__event")
        .prefetch_related("slot__surgery__hosts__user")
        .order_by("starts_at", "pk")
    )
    upcoming = [b for b in bookings if b.status == BookingStatus.CONFIRMED and b.starts_at and b.starts_at > now]
    past = [b for b in bookings if b not in upcoming]
    past.reverse()
    return {"upcoming": upcoming, "past": past}


def evaluations_due(user, *, now=None):
    """Published events this person attended (a confirmed booking) that have ended and they have not evaluated."""
    if not user.is_authenticated:
        return JointEvent.objects.none()
    now = now or timezone.now()
    return (
        public_events()
        .filter(ends_at__lte=now, bookings__user=user, bookings__status=BookingStatus.CONFIRMED)
        .exclude(evaluations__user=user)
        .distinct()
        .order_by("-ends_at")
    )


# Whether a person may fill in an event's evaluation, and if not, why: see evaluation_access.
EVALUATION_OPEN = "open"
EVALUATION_SIGN_IN = "sign_in"
EVALUATION_NOT_ATTENDED = "not_attended"
EVALUATION_NOT_OVER = "not_over"
EVALUATION_DONE = "done"


def evaluation_access(*, event, user, now=None):
    """(state, their evaluation or None): the first reason this person cannot fill in the evaluation, else open.

    The rules are evaluation_submit's: signed in, a confirmed booking at the
    event, the event over, one evaluation each.
    """
    now = now or timezone.now()
    if not user.is_authenticated:
        return EVALUATION_SIGN_IN, None
    existing = Evaluation.objects.filter(event=event, user=user).first()
    if existing is not None:
        return EVALUATION_DONE, existing
    if not Booking.objects.filter(event=event, user=user, status=BookingStatus.CONFIRMED).exists():
        return EVALUATION_NOT_ATTENDED, None
    if event.ends_at > now:
        return EVALUATION_NOT_OVER, None
    return EVALUATION_OPEN, None


def own_booking(*, user, booking_id):
    """The person's own booking, or 404 (another person's booking is not found, not forbidden)."""
    return get_object_or_404(Booking.objects.select_related("slot__surgery__event"), pk=booking_id, user=user)


def own_booking_in_full(*, user, booking_id):
    """The person's own booking with what its confirmation shows (hosts, organisation, priorities), or 404."""
    return get_object_or_404(
        Booking.objects.select_related("slot__surgery__event", "organisation", "user").prefetch_related(
            "slot__surgery__hosts__user", "priorities"
        ),
        pk=booking_id,
        user=user,
    )


def waitlist_entries_of(user):
    return (
        WaitlistEntry.objects.filter(user=user, status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED])
        .select_related("surgery__event", "offered_slot")
        .order_by("created_at")
    )


def host_bookings(worker, *, now=None):
    """Confirmed bookings of the surgeries a regional worker hosts, upcoming first."""
    now = now or timezone.now()
    return (
        Booking.objects.filter(
            slot__surgery__hosts=worker, status=BookingStatus.CONFIRMED, ends_at__gte=now
        )
        .select_related("user", "organisation", "slot__surgery__event")
        .prefetch_related("priorities")
        .order_by("starts_at", "pk")
    )


def event_bookings_for_export(event):
    return (
        Booking.objects.filter(event=event)
        .select_related("user", "organisation", "slot__surgery")
        .prefetch_related("priorities", "slot__surgery__hosts__user")
        .order_by("starts_at", "slot__surgery__title", "pk")
    )


def host_timetable(event):
    """[(host, [(slot, [bookings])...]), ...] for the printable day timetable."""
    surgeries = (
        Surgery.objects.filter(event=event)
        .prefetch_related(
            "hosts__user",
            Prefetch("slots", queryset=Slot.objects.order_by("starts_at")),
            Prefetch(
                "slots__bookings",
                queryset=Booking.objects.filter(status=BookingStatus.CONFIRMED)
                .select_related("user", "organisation")
                .prefetch_related("priorities"),
                to_attr="confirmed",
            ),
        )
        .order_by("title")
    )
    table = {}
    for surgery in surgeries:
        for host in surgery.hosts.all():
            table.setdefault(host, []).extend((surgery, slot) for slot in surgery.slots.all())
    return sorted(
        ((host, sorted(rows, key=lambda row: row[1].starts_at)) for host, rows in table.items()),
        key=lambda item: item[0].name,
    )


def slots_overlapping(*, surgery_id, host_ids, starts_at, ends_at, exclude_ids=()):
    """Slots overlapping [starts_at, ends_at) of this surgery, or of another surgery one of these hosts sits at."""
    return (
        Slot.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
        .filter(Q(surgery_id=surgery_id) | Q(surgery__hosts__in=host_ids))
        .exclude(pk__in=exclude_ids)
        .select_related("surgery")
        .distinct()
        .order_by("starts_at", "pk")
    )


def slots_of_hosts_elsewhere(*, host_ids, exclude_surgery_ids, starts_at, ends_at):
    """Slots overlapping [starts_at, ends_at) of other surgeries at which one of these hosts sits, with the hosts."""
    return (
        Slot.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at, surgery__hosts__in=host_ids)
        .exclude(surgery_id__in=exclude_surgery_ids)
        .select_related("surgery")
        .prefetch_related("surgery__hosts__user")
        .distinct()
        .order_by("starts_at", "pk")
    )


def slots_outside(*, event_id, starts_at, ends_at):
    """The event's slots that would not fall within [starts_at, ends_at], earliest first."""
    return (
        Slot.objects.filter(surgery__event_id=event_id)
        .filter(Q(starts_at__lt=starts_at) | Q(ends_at__gt=ends_at))
        .select_related("surgery")
        .order_by("starts_at", "surgery__title", "pk")
    )


def confirmed_bookings(*, slot_ids):
    """The confirmed bookings of these slots: what deleting or moving them would leave behind."""
    return Booking.objects.filter(slot_id__in=list(slot_ids), status=BookingStatus.CONFIRMED)


def confirmed_booking_counts(*, slot_ids):
    """{slot id: how many confirmed bookings}, only for slots that have some."""
    return Counter(confirmed_bookings(slot_ids=slot_ids).values_list("slot_id", flat=True))


def offers_held_on(*, slot_ids, now, exclude_user_id=None):
    """The waiting-list offers holding a place on these slots, not lapsed (other than `exclude_user_id`'s own).

    Offers are made, taken and passed on under the slot's row lock: read this after locking the slots.
    """
    offers = WaitlistEntry.objects.filter(
        offered_slot_id__in=list(slot_ids), status=WaitlistStatus.OFFERED, offered_until__gt=now
    )
    return offers.exclude(user_id=exclude_user_id) if exclude_user_id else offers


def held_place_counts(*, slot_ids, now, exclude_user_id=None):
    """{slot id: places held for someone on the waiting list, whose offer has not lapsed}, only for slots with some.

    Read after locking the slots (see offers_held_on).
    """
    offers = offers_held_on(slot_ids=slot_ids, now=now, exclude_user_id=exclude_user_id)
    return Counter(offers.values_list("offered_slot_id", flat=True))


def free_places(slots, *, user_id, now):
    """{slot id: places this person could book}: not booked, and not held for someone else on the waiting list.

    The rule booking_create applies; a place held for this person counts as free for them.
    """
    held = held_place_counts(slot_ids=[slot.pk for slot in slots], now=now, exclude_user_id=user_id)
    return {slot.pk: slot.capacity - slot.booked_count - held[slot.pk] for slot in slots}


def bookings_to_come_of(*, user_ids, now):
    """These people's confirmed bookings not yet over: what deleting their accounts would delete unannounced."""
    return Booking.objects.filter(user_id__in=list(user_ids), status=BookingStatus.CONFIRMED, ends_at__gt=now)


def surgeries_booked_to_come_hosted_by(*, user_ids, now):
    """Surgeries these people host that have confirmed bookings not yet over: deleting a host leaves them hostless."""
    return Surgery.objects.filter(
        pk__in=Booking.objects.filter(status=BookingStatus.CONFIRMED, ends_at__gt=now).values("slot__surgery_id"),
        hosts__user_id__in=list(user_ids),
    ).distinct()
