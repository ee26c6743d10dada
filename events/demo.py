"""Demo activity for the events app: some surgeries booked, one fully booked
with a waiting list, and a past fair with attendees and their evaluations.

Called by brokerage.demo.DemoLoader after it has created the fairs. Bookings
and waiting-list entries go through the booking services (booking_seed sends
no email), so a run keeps the booking invariants whatever people have done
with the demo since. Safe to run again: a place the demo gave is given back
only while it is still free.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from programmes.models import Theme

from .booking import booking_seed
from .choices import BookingStatus, EventKind, EventStatus, WaitlistStatus
from .errors import BookingError
from .models import Booking, Evaluation, JointEvent, Slot, Surgery, WaitlistEntry
from .waitlist import waitlist_join

LONDON = ZoneInfo("Europe/London")

QUESTIONS = [
    "We have twelve new maths resit tutors this year. Where should they start?",
    "Can the training come to our site? Our staff cannot travel far in term time.",
    "How does this fit with what we already do on functional skills?",
    "Is any of this funded for voluntary organisations?",
    "Our ESOL team wants to use more digital tools. Is there coaching?",
    "What would you recommend for teaching assistants new to FE?",
    "We are planning next year's CPD calendar: what is coming up in the spring?",
    "Could you help us write a whole-organisation plan for learning technology?",
    "",
]

EVALUATIONS = [
    (5, "Met four programmes in one morning instead of four separate visits.",
     "Providers want one contact, not five. Keep the joint approach.",
     "A shared calendar of all programmes' events.", "More time for small-group discussion.", ""),
    (4, "A clear plan for our maths resit staff for the spring term.",
     "Regional working saves us time: please fund it beyond this year.",
     "Follow-up visits after the fair.", "Sessions for governors.", "Lunch was good."),
    (5, "Understood at last which programme does what.",
     "The acronyms put people off: use plain names.",
     "A glossary at the door.", "Case studies from other colleges.", ""),
    (3, "Useful conversations, but two surgeries overlapped with my other booking.",
     "Small voluntary organisations need funded cover to attend.",
     "An online surgery option.", "Shorter presentations.", "Parking was hard."),
    (4, "Found funded coaching for our ESOL team.",
     "Demand for digital skills support is growing faster than supply.",
     "Peer networks between colleges.", "A session on workload and wellbeing.", ""),
]


def _local(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def _book(slot, contact, question, *, themes):
    """Book the demo's place unless the booking rules refuse it (taken since, held for the list, a clash)."""
    try:
        return booking_seed(user=contact.user, slot_id=slot.pk, priorities=themes, questions=question)
    except BookingError:
        return None


def _wait(surgery, user):
    """Put the person on the surgery's waiting list unless they are on it, have a place, or it has room."""
    active = [WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
    if WaitlistEntry.objects.filter(surgery=surgery, user=user, status__in=active).exists():
        return None
    if Booking.objects.filter(slot__surgery=surgery, user=user, status=BookingStatus.CONFIRMED).exists():
        return None
    try:
        return waitlist_join(user=user, surgery_id=surgery.pk)
    except BookingError:  # WaitlistError (a free place, booking closed) or BookingBusy
        return None


def _one_table_per_host(event):
    """A worker hosting two surgeries would be at two tables at once: keep them at their first."""
    seen = set()
    for surgery in Surgery.objects.filter(event=event).prefetch_related("hosts").order_by("title"):
        hosts = list(surgery.hosts.all())
        doubled = [host for host in hosts if host.pk in seen]
        if doubled and len(doubled) < len(hosts):
            surgery.hosts.remove(*doubled)
        seen.update(host.pk for host in hosts if host not in doubled or len(doubled) == len(hosts))


def demo_events_activity(*, today, contacts, fairs, region=None):
    """Bookings, a waiting list and a past fair for the demo's own provider contacts at the demo's own fairs.

    `contacts` are the demo's provider contacts in a fixed order (not the
    signed-in demo provider, who starts with nothing), `fairs` its upcoming
    fairs: people and events others added are never booked or rearranged.
    """
    contacts = list(contacts)
    if not contacts:
        return
    themes = list(Theme.objects.order_by("position")[:6])
    for upcoming in fairs:
        if upcoming.starts_at >= _local(today, 0):
            _one_table_per_host(upcoming)
    fair = next((f for f in fairs if f.slug == "exeter-learning-fair"), None)
    if fair is not None:
        surgeries = list(Surgery.objects.filter(event=fair).order_by("title"))
        # One surgery fully booked (its waiting list is open), the others partly.
        full = next((s for s in surgeries if s.title.startswith("Maths teaching")), surgeries[0])
        for index, slot in enumerate(full.slots.order_by("starts_at")):
            contact = contacts[index % len(contacts)]
            _book(slot, contact, QUESTIONS[index % len(QUESTIONS)], themes=themes[index % 3: index % 3 + 2])
        for offset, surgery in enumerate(s for s in surgeries if s != full):
            for position, slot in enumerate(surgery.slots.order_by("starts_at")[1::3]):
                index = 10 + offset * 3 + position
                contact = contacts[index % len(contacts)]
                _book(slot, contact, QUESTIONS[index % len(QUESTIONS)], themes=themes[index % 4: index % 4 + 1])
        for contact in contacts[-2:]:
            _wait(full, contact.user)

    # A past fair: who came, and what they said on the evaluation sheet.
    day = today - dt.timedelta(days=75)
    # Created once: a later run keeps its date (and so its slots and bookings).
    past, _ = JointEvent.objects.get_or_create(
        slug="spring-learning-fair-taunton",
        defaults={
            "title": "Spring Learning Fair: Taunton", "kind": EventKind.LEARNING_FAIR,
            "status": EventStatus.PUBLISHED, "region": region,
            "summary": "Providers met the regional workers of every programme and booked one-to-one surgeries.",
            "venue": "Taunton Racecourse Conference Centre",
            "starts_at": _local(day, 9, 30), "ends_at": _local(day, 15, 0),
            "booking_opens_at": _local(day - dt.timedelta(days=30), 9), "booking_closes_at": _local(day, 8),
        },
    )
    day = past.starts_at.astimezone(LONDON).date()
    for number, title in enumerate(["Maths and English: one-to-one surgery", "Learning technology: one-to-one surgery"]):
        surgery, _ = Surgery.objects.get_or_create(event=past, title=title, defaults={"room": f"Table {number + 1}"})
        for position in range(6):
            starts = _local(day, 10) + dt.timedelta(minutes=20 * position)
            slot, _ = Slot.objects.get_or_create(
                surgery=surgery, starts_at=starts, defaults={"ends_at": starts + dt.timedelta(minutes=20)}
            )
            contact = contacts[(number * 6 + position) % len(contacts)]
            _book(slot, contact, QUESTIONS[position], themes=themes[position % 3: position % 3 + 1])
    attendees = [c for c in contacts[:12] if Booking.objects.filter(user=c.user, event=past).exists()]
    for contact, answers in zip(attendees, EVALUATIONS):
        rating, benefits, messages, ideas, future, other = answers
        Evaluation.objects.get_or_create(
            event=past, user=contact.user,
            defaults={"rating": rating, "main_benefits": benefits, "key_messages": messages, "ideas": ideas,
                      "future_meetings": future, "other_comments": other},
        )
