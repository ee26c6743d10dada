"""A person's data: everything held about them, as one export, and its erasure.

The invariant (docs/invariants.md): "A person can download everything held
about them and have it erased; what is kept after that identifies nobody." The person's own pages
(brokerage.privacy.views) and the admin (users and subscribers) both call
these functions.

Erasure keeps what counts without naming anyone: an enquiry keeps its offer
and date, an evaluation its answers and rating (without its author), insight
signals never named anyone. Everything else about the person goes: their
account and profiles, bookings, waiting-list entries, bulletin subscription,
the outbox's copies of emails that name them, and the admin log's mentions.
Bookings still to come are cancelled through events.booking first, so the
place is offered to the waiting list and the emails go as for any
cancellation (their copies are deleted once sent).
"""

import datetime as dt
import json
import re

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from events import selectors as event_selectors
from events.booking import booking_cancel
from events.choices import BookingStatus, WaitlistStatus
from events.errors import ScheduleBusy
from events.evaluations import EVALUATION_FIELDS
from events.locking import people_lock
from events.models import Booking, Evaluation, WaitlistEntry
from events.waitlist import waitlist_leave_all
from people.models import Preferences
from programmes.choices import OutboxStatus
from programmes.models import Offer, OutboxEmail
from providers.models import Membership, PlanItem, ProviderContact

from ..models import Enquiry, Subscriber

ERASED = "(erased)"
# An address no mail can reach (RFC 2606 .invalid), for the required email field of an erased enquiry.
ERASED_EMAIL = "erased@erased.invalid"
NAME_REMOVED = "[name removed]"
# Shorter identifiers would match too much text that is not about the person.
MIN_IDENTIFIER_LENGTH = 4


class ErasureRefused(Exception):
    """An expected refusal with a message for the person or coordinator."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


# --- Export ---------------------------------------------------------------------


def _when(value):
    return timezone.localtime(value).isoformat() if isinstance(value, dt.datetime) else value


def _account(user):
    return {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "date_joined": _when(user.date_joined),
        "last_sign_in": _when(user.last_login),
        "groups": sorted(user.groups.values_list("name", flat=True)),
    }


def _language_preferences(user):
    preferences = Preferences.objects.filter(user=user).first()
    if preferences is None:
        return None
    return {"website": preferences.language, "emails": preferences.email_language or "both, Welsh first"}


def _provider_contact(user):
    contact = getattr(user, "provider_profile", None)
    if contact is None:
        return None
    organisation = contact.organisation
    return {
        "job_title": contact.job_title,
        "phone": contact.phone,
        "organisation": {
            "name": organisation.name,
            "kind": organisation.get_kind_display(),
            "region": organisation.region.name,
            "town": organisation.town,
            "website": organisation.website,
        },
    }


def _regional_worker(user):
    worker = getattr(user, "worker_profile", None)
    if worker is None:
        return None
    return {
        "directory_address": worker.get_absolute_url(),
        "job_title": worker.job_title_en_gb or "",
        "job_title_in_welsh": worker.job_title_cy or "",
        "role": worker.get_role_display(),
        "remit": worker.remit_en_gb or "",
        "remit_in_welsh": worker.remit_cy or "",
        "public_email": worker.public_email,
        "phone": worker.phone,
        "listed_in_directory": worker.is_listed,
        "regions": [region.name for region in worker.regions.all()],
        "programmes": [programme.plain_name for programme in worker.programmes.all()],
        "themes": [theme.name for theme in worker.themes.all()],
    }


def _organisation_links(user):
    """Every request to act for an organisation, with what became of it (approved ones are the contacts)."""
    return [
        {"organisation": membership.organisation.name, "status": membership.status,
         "job_title": membership.job_title, "reason_given": membership.reason,
         "requested_at": _when(membership.requested_at), "decided_at": _when(membership.decided_at)}
        for membership in Membership.objects.filter(user=user).select_related("organisation").order_by("requested_at")
    ]


def _enquiries_of(user):
    return Enquiry.objects.filter(Q(user=user) | Q(email__iexact=user.email) if user.email else Q(user=user))


def _enquiries(user):
    return [
        {
            "offer": enquiry.offer.title,
            "sent_to": enquiry.contact.name if enquiry.contact else "the brokerage team",
            "name": enquiry.name,
            "email": enquiry.email,
            "organisation": enquiry.organisation,
            "message": enquiry.message,
            "sent_at": _when(enquiry.created_at),
            "answered_at": _when(enquiry.answered_at),
        }
        for enquiry in _enquiries_of(user).select_related("offer", "contact__user").order_by("created_at")
    ]


def _bookings(user):
    bookings = (
        Booking.objects.filter(user=user)
        .select_related("slot__surgery__event", "organisation")
        .prefetch_related("priorities")
        .order_by("created_at")
    )
    return [
        {
            "event": booking.slot.surgery.event.title,
            "surgery": booking.slot.surgery.title,
            "starts_at": _when(booking.slot.starts_at),
            "ends_at": _when(booking.slot.ends_at),
            "organisation": booking.organisation.name if booking.organisation else "",
            "status": booking.get_status_display(),
            "priorities": [theme.name for theme in booking.priorities.all()],
            "questions": booking.questions,
            "booked_at": _when(booking.created_at),
            "cancelled_at": _when(booking.cancelled_at),
        }
        for booking in bookings
    ]


def _waiting_list_entries(user):
    entries = WaitlistEntry.objects.filter(user=user).select_related("surgery__event", "offered_slot")
    return [
        {
            "event": entry.surgery.event.title,
            "surgery": entry.surgery.title,
            "status": entry.get_status_display(),
            "joined_at": _when(entry.created_at),
            "place_held_until": _when(entry.offered_until),
        }
        for entry in entries.order_by("created_at")
    ]


def _evaluations(user):
    return [
        {
            "event": evaluation.event.title,
            "submitted_at": _when(evaluation.submitted_at),
            "rating": evaluation.rating,
            **{name: getattr(evaluation, name) for name in EVALUATION_FIELDS if name != "rating"},
        }
        for evaluation in Evaluation.objects.filter(user=user).select_related("event").order_by("submitted_at")
    ]


def _subscribers_of(user):
    return Subscriber.objects.filter(Q(user=user) | Q(email__iexact=user.email) if user.email else Q(user=user))


def _bulletin_subscriptions(user):
    return [
        {
            "email": subscriber.email,
            "name": subscriber.name,
            "organisation": subscriber.organisation,
            "themes": [theme.name for theme in subscriber.themes.all()],
            "regions": [region.name for region in subscriber.regions.all()],
            "language": subscriber.language or "both, Welsh first",
            "signed_up_at": _when(subscriber.created_at),
            "confirmed_at": _when(subscriber.confirmed_at),
            "unsubscribed_at": _when(subscriber.unsubscribed_at),
            "paused_at": _when(subscriber.paused_at),
            "bulletins_sent": subscriber.deliveries.filter(sent_at__isnull=False).count(),
        }
        for subscriber in _subscribers_of(user).prefetch_related("themes", "regions")
    ]


def _plan_items_added(user):
    items = PlanItem.objects.filter(added_by=user).select_related("offer", "organisation").order_by("added_at")
    return [
        {
            "organisation": item.organisation.name,
            "offer": item.offer.title,
            "status": item.get_status_display(),
            "note": item.note,
            "added_at": _when(item.added_at),
        }
        for item in items
    ]


def _emails(user):
    if not user.email:
        return []
    rows = OutboxEmail.objects.filter(to__icontains=user.email).order_by("created_at")
    return [
        {"subject": row.subject, "kind": row.kind, "status": row.get_status_display(),
         "written_at": _when(row.created_at), "sent_at": _when(row.sent_at)}
        for row in rows
    ]


SIGN_IN_RECORDS = (AccessLog, AccessFailureLog, AccessAttempt)  # django-axes: sign-ins, failures, lockout counts


def sign_in_records_of(username):
    """The sign-in records (django-axes) that name this username, one queryset per model."""
    return [model.objects.filter(username__iexact=username) for model in SIGN_IN_RECORDS]


def _sign_in_history(user):
    signed_in, failure_log, failure_counts = sign_in_records_of(user.get_username())
    return {
        "last_sign_in": _when(user.last_login),
        "sign_ins": [
            {"at": _when(row.attempt_time), "signed_out_at": _when(row.logout_time), "address": row.ip_address,
             "browser": row.user_agent}
            for row in signed_in.order_by("attempt_time")
        ],
        # Failed attempts counted per address and browser (what pauses sign-in after too many), and each
        # failure if the failure log is switched on (AXES_ENABLE_ACCESS_FAILURE_LOG).
        "failed_sign_ins": [
            {"first_at": _when(row.attempt_time), "address": row.ip_address, "browser": row.user_agent,
             "failures": row.failures_since_start}
            for row in failure_counts.order_by("attempt_time")
        ],
        "failure_log": [
            {"at": _when(row.attempt_time), "address": row.ip_address, "browser": row.user_agent,
             "locked_out": row.locked_out}
            for row in failure_log.order_by("attempt_time")
        ],
    }


# (key in the export, function of the user): one line per kind of record.
EXPORT_SECTIONS = [
    ("account", _account),
    ("language_preferences", _language_preferences),
    ("provider_contact", _provider_contact),
    ("regional_worker", _regional_worker),
    ("organisation_links", _organisation_links),
    ("enquiries", _enquiries),
    ("bookings", _bookings),
    ("waiting_list_entries", _waiting_list_entries),
    ("evaluations", _evaluations),
    ("bulletin_subscriptions", _bulletin_subscriptions),
    ("plan_items_added", _plan_items_added),
    ("emails_to_you", _emails),
    ("sign_in_history", _sign_in_history),
]


def person_data_export(*, user, now=None):
    """Everything the portal holds about `user`, as a dict of plain values (see EXPORT_SECTIONS)."""
    data = {"exported_at": _when(now or timezone.now())}
    for key, collect in EXPORT_SECTIONS:
        data[key] = collect(user)
    return data


def export_json(data):
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def export_filename(*, user, now=None):
    return f"my-data-{timezone.localdate(now or timezone.now()):%Y-%m-%d}-{user.pk}.json"


# --- Erasure --------------------------------------------------------------------


def enquiries_anonymise(*, enquiries):
    """Erase the name, address, organisation and message of these enquiries (and their author link)."""
    return enquiries.update(name=ERASED, email=ERASED_EMAIL, organisation="", message=ERASED, user=None)


def _identifiers(*values):
    found = []
    for value in values:
        value = (value or "").strip()
        if len(value) >= MIN_IDENTIFIER_LENGTH and value.lower() not in {f.lower() for f in found}:
            found.append(value)
    return found


def _mentioning(identifiers, fields):
    condition = Q(pk__in=[])
    for identifier in identifiers:
        for field in fields:
            condition |= Q(**{f"{field}__icontains": identifier})
    return condition


def _outbox_forget(identifiers):
    """Delete the outbox's copies of emails that name the person; ones still to send go, then are deleted."""
    mentions = _mentioning(identifiers, ["to", "subject", "body", "html", "attachment", "last_error"])
    in_flight = [OutboxStatus.PENDING, OutboxStatus.SENDING]
    # Flag first, then delete the rest: a row that turns "sent" in between is deleted by the second statement.
    flagged = OutboxEmail.objects.filter(mentions, status__in=in_flight).update(forget_after_send=True)
    deleted = OutboxEmail.objects.filter(mentions).exclude(status__in=in_flight).delete()[0]
    return flagged + deleted


def _admin_log_scrub(identifiers):
    """The admin log names objects by their str(): an erased person's name or address goes from it."""
    return LogEntry.objects.filter(_mentioning(identifiers, ["object_repr", "change_message"])).update(
        object_repr=ERASED, change_message=""
    )


def _scrub_text(text, identifiers):
    for identifier in identifiers:
        text = re.sub(re.escape(identifier), NAME_REMOVED, text, flags=re.IGNORECASE)
    return text


def _evaluations_keep_anonymously(user, identifiers):
    fields = [name for name in EVALUATION_FIELDS if name != "rating"]
    for evaluation in Evaluation.objects.filter(user=user):
        for name in fields:
            setattr(evaluation, name, _scrub_text(getattr(evaluation, name), identifiers))
        evaluation.user = None
        evaluation.save(update_fields=[*fields, "user"])


def _history_forget(user):
    """The change history (django-simple-history) keeps nothing of them.

    Their organisation links go with their whole trail (the reasons they
    gave, their job titles); changes they made to others' rows stay, made
    by nobody. Done before the account goes: deleting it would write new
    history rows naming them as the one who deleted.
    """
    for model in (ProviderContact, Membership):
        ids = list(model.objects.filter(user=user).values_list("pk", flat=True))
        model.objects.filter(pk__in=ids).delete()
        model.history.filter(id__in=ids).delete()
    for model in (Offer, ProviderContact, Membership):
        model.history.filter(history_user=user).update(history_user=None)


def person_erase(*, user, now=None):
    """Erase everything that identifies `user`, then delete the account. Raises ErasureRefused.

    Returns what was done, as counts, for the confirmation message. Refused
    while the person hosts a surgery with bookings to come: those providers
    need another host first (a coordinator's job).
    """
    now = now or timezone.now()
    User = get_user_model()
    identifiers = _identifiers(user.email, user.get_username(), user.get_full_name())
    with transaction.atomic():
        try:
            people_lock(user_ids=[user.pk])
        except ScheduleBusy as busy:
            raise ErasureRefused(busy.message) from None
        user = User.objects.get(pk=user.pk)
        if event_selectors.surgeries_booked_to_come_hosted_by(user_ids=[user.pk], now=now).exists():
            raise ErasureRefused(
                "This person hosts surgeries that people have booked: a coordinator must give those surgeries "
                "another host before the account can be erased."
            )
        to_cancel = Booking.objects.filter(user=user, status=BookingStatus.CONFIRMED, starts_at__gt=now)
        cancelled = 0
        for booking_id in list(to_cancel.order_by("pk").values_list("pk", flat=True)):
            booking_cancel(booking_id=booking_id, user=user, now=now, enforce_cutoff=False)
            cancelled += 1
        waiting = WaitlistEntry.objects.filter(
            user=user, status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
        ).count()
        waitlist_leave_all(user=user, now=now)
        done = {
            "bookings_cancelled": cancelled,
            "waiting_lists_left": waiting,
            "enquiries_erased": enquiries_anonymise(enquiries=_enquiries_of(user)),
            "subscriptions_removed": _subscribers_of(user).delete()[1].get(Subscriber._meta.label, 0),
            "evaluations_kept_anonymously": Evaluation.objects.filter(user=user).count(),
        }
        _evaluations_keep_anonymously(user, identifiers)
        done["emails_forgotten"] = _outbox_forget(identifiers)
        for records in sign_in_records_of(user.get_username()):
            records.delete()
        _history_forget(user)
        _admin_log_scrub(identifiers)
        # Bookings, waiting-list entries and profiles go with the account (CASCADE); plan items,
        # bulletins and reviews they wrote keep their rows without them (SET_NULL).
        user.delete()
    return done


def subscriber_erase(*, email):
    """Erase what is held about an address alone: its bulletin subscription, enquiries and emails.

    For someone with no account (or before erasing the account, which does
    this too). Returns counts, and whether an account still uses the address.
    """
    email = email.strip()
    identifiers = _identifiers(email)
    with transaction.atomic():
        done = {
            "subscriptions_removed": Subscriber.objects.filter(email__iexact=email).delete()[1].get(
                Subscriber._meta.label, 0
            ),
            "enquiries_erased": enquiries_anonymise(enquiries=Enquiry.objects.filter(email__iexact=email)),
            "emails_forgotten": _outbox_forget(identifiers),
        }
        _admin_log_scrub(identifiers)
    done["account_exists"] = get_user_model().objects.filter(email__iexact=email).exists()
    return done
