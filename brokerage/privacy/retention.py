"""How long personal data is kept: the rules the daily task applies and /privacy/ states.

Each rule is one entry of RETENTION_RULES: a key, the sentence /privacy/
shows, and a function (now) -> how many rows it deleted or anonymised. A
branch that adds personal data (organisation join requests, sign-in records)
adds its rule here with one line, and the page and the task follow.
"""

import datetime as dt
from dataclasses import dataclass
from importlib import import_module
from typing import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import ngettext

from programmes.choices import OutboxStatus
from programmes.models import OutboxEmail

from ..bulletins.services import CONFIRM_MAX_AGE
from ..insights.services import months_before
from ..models import Enquiry, Subscriber
from providers.choices import MembershipStatus
from providers.models import Membership

from .services import ERASED_EMAIL, SIGN_IN_RECORDS, enquiries_anonymise, person_erase


@dataclass(frozen=True)
class RetentionRule:
    key: str
    statement: Callable[[], str]  # a function: the periods are settings, read when the page is shown
    apply: Callable[[dt.datetime], int]


def enquiries_past_retention(*, now):
    """Enquiries older than ENQUIRY_RETENTION_MONTHS not yet anonymised."""
    cutoff = months_before(now, settings.ENQUIRY_RETENTION_MONTHS)
    return Enquiry.objects.filter(created_at__lt=cutoff).exclude(email=ERASED_EMAIL)


def enquiries_expire(now):
    return enquiries_anonymise(enquiries=enquiries_past_retention(now=now))


def unconfirmed_subscriptions_expire(now):
    """Delete subscriptions never confirmed whose last confirmation link has expired.

    The link is signed with a max age of CONFIRM_MAX_AGE from when it was
    mailed (confirmation_sent_at; created_at for a row whose link never left).
    """
    cutoff = now - CONFIRM_MAX_AGE
    expired = Subscriber.objects.filter(confirmed_at__isnull=True).alias(
        link_sent_at=Coalesce("confirmation_sent_at", "created_at")
    ).filter(link_sent_at__lt=cutoff)
    return expired.delete()[1].get(Subscriber._meta.label, 0)


def sent_emails_expire(now):
    """Delete the outbox's copies of emails sent more than SENT_EMAIL_RETENTION_DAYS ago."""
    cutoff = now - dt.timedelta(days=settings.SENT_EMAIL_RETENTION_DAYS)
    return OutboxEmail.objects.filter(status=OutboxStatus.SENT, sent_at__lt=cutoff).delete()[0]


def sessions_expire(now):
    """Delete expired sign-in sessions through the session engine's public API (what `clearsessions` calls)."""
    expired = Session.objects.filter(expire_date__lt=now).count()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return expired


def sign_in_records_expire(now):
    """Delete sign-in records (django-axes: sign-ins, failures, lockout counts) older than SIGN_IN_RECORD_RETENTION_DAYS."""
    cutoff = now - dt.timedelta(days=settings.SIGN_IN_RECORD_RETENTION_DAYS)
    return sum(model.objects.filter(attempt_time__lt=cutoff).delete()[0] for model in SIGN_IN_RECORDS)


def join_requests_expire(now):
    """Delete requests to join an organisation left unanswered for JOIN_REQUEST_RETENTION_DAYS, with their history."""
    cutoff = now - dt.timedelta(days=settings.JOIN_REQUEST_RETENTION_DAYS)
    ids = list(
        Membership.objects.filter(status=MembershipStatus.PENDING, requested_at__lt=cutoff).values_list("pk", flat=True)
    )
    Membership.objects.filter(pk__in=ids).delete()
    Membership.history.filter(id__in=ids).delete()  # the reason they gave is in each history row
    return len(ids)


def unconfirmed_accounts_expire(now):
    """Erase accounts made at sign-up that never proved their address within UNCONFIRMED_ACCOUNT_RETENTION_DAYS."""
    cutoff = now - dt.timedelta(days=settings.UNCONFIRMED_ACCOUNT_RETENTION_DAYS)
    User = get_user_model()
    people = User.objects.filter(email_confirmation__confirmed_at__isnull=True, email_confirmation__created_at__lt=cutoff)
    count = 0
    for person in people.order_by("pk"):
        person_erase(user=person, now=now)  # nothing booked or joined: it was never allowed to
        count += 1
    return count


def _with_number(message, n):
    """An ngettext() sentence with its number put in (ngettext is called in each rule, with the
    English sentences written out, so that makemessages finds them)."""
    return message % {"n": n}


RETENTION_RULES = [
    RetentionRule(
        "enquiries",
        lambda: _with_number(
            ngettext(
                "Questions you send about an offer: your name, email address, organisation and message are erased "
                "%(n)d month after you sent them (we keep only which offer was asked about, and when).",
                "Questions you send about an offer: your name, email address, organisation and message are erased "
                "%(n)d months after you sent them (we keep only which offer was asked about, and when).",
                settings.ENQUIRY_RETENTION_MONTHS,
            ),
            settings.ENQUIRY_RETENTION_MONTHS,
        ),
        enquiries_expire,
    ),
    RetentionRule(
        "unconfirmed-subscriptions",
        lambda: _with_number(
            ngettext(
                "Bulletin sign-ups that were never confirmed: deleted when the confirmation link expires, "
                "%(n)d day after it was sent.",
                "Bulletin sign-ups that were never confirmed: deleted when the confirmation link expires, "
                "%(n)d days after it was sent.",
                int(CONFIRM_MAX_AGE.total_seconds()) // 86400,
            ),
            int(CONFIRM_MAX_AGE.total_seconds()) // 86400,
        ),
        unconfirmed_subscriptions_expire,
    ),
    RetentionRule(
        "sent-emails",
        lambda: _with_number(
            ngettext(
                "Copies of the emails we send you about bookings, waiting lists and evaluations: deleted "
                "%(n)d day after they were sent.",
                "Copies of the emails we send you about bookings, waiting lists and evaluations: deleted "
                "%(n)d days after they were sent.",
                settings.SENT_EMAIL_RETENTION_DAYS,
            ),
            settings.SENT_EMAIL_RETENTION_DAYS,
        ),
        sent_emails_expire,
    ),
    RetentionRule(
        "sessions",
        lambda: _with_number(
            ngettext(
                "Sign-in sessions: they end %(n)d day after you last signed in "
                "(or when you sign out), and ended sessions are deleted every day.",
                "Sign-in sessions: they end %(n)d days after you last signed in "
                "(or when you sign out), and ended sessions are deleted every day.",
                settings.SESSION_COOKIE_AGE // 86400,
            ),
            settings.SESSION_COOKIE_AGE // 86400,
        ),
        sessions_expire,
    ),
    RetentionRule(
        "sign-in-records",
        lambda: _with_number(
            ngettext(
                "Records of signing in (when, from which internet address and browser, and failed attempts, "
                "which pause sign-in after too many): deleted %(n)d day later.",
                "Records of signing in (when, from which internet address and browser, and failed attempts, "
                "which pause sign-in after too many): deleted %(n)d days later.",
                settings.SIGN_IN_RECORD_RETENTION_DAYS,
            ),
            settings.SIGN_IN_RECORD_RETENTION_DAYS,
        ),
        sign_in_records_expire,
    ),
    RetentionRule(
        "join-requests",
        lambda: _with_number(
            ngettext(
                "Requests to act for an organisation that nobody has answered: deleted, with the reason you gave, "
                "%(n)d day after you asked.",
                "Requests to act for an organisation that nobody has answered: deleted, with the reason you gave, "
                "%(n)d days after you asked.",
                settings.JOIN_REQUEST_RETENTION_DAYS,
            ),
            settings.JOIN_REQUEST_RETENTION_DAYS,
        ),
        join_requests_expire,
    ),
    RetentionRule(
        "unconfirmed-accounts",
        lambda: _with_number(
            ngettext(
                "Accounts whose email address was never confirmed: deleted "
                "%(n)d day after they were made.",
                "Accounts whose email address was never confirmed: deleted "
                "%(n)d days after they were made.",
                settings.UNCONFIRMED_ACCOUNT_RETENTION_DAYS,
            ),
            settings.UNCONFIRMED_ACCOUNT_RETENTION_DAYS,
        ),
        unconfirmed_accounts_expire,
    ),
]


def retention_apply(*, now=None):
    """Apply every retention rule; return {rule key: rows deleted or anonymised}."""
    now = now or timezone.now()
    return {rule.key: rule.apply(now) for rule in RETENTION_RULES}


def retention_statements():
    return [rule.statement() for rule in RETENTION_RULES]
