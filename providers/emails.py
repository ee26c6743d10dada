"""Emails about accounts and join requests, written to the outbox (programmes/outbox.py).

Each is written inside the caller's transaction and leaves after it commits.
"""

from django.conf import settings
from django.urls import reverse

from people.services import email_language_for
from programmes.outbox import email_queue

from .choices import MembershipStatus
from .selectors import approvers


def email_confirmation_queue(*, user, link, days):
    # The name was typed by whoever signed up, perhaps not the owner of the
    # address: it stays out of the email.
    return email_queue(
        kind="account_confirm", to=[user.email], template="account_confirm", context={"link": link, "days": days},
        language=email_language_for(user), secret=True,
    )


def membership_request_queue(*, membership):
    """Ask the organisation's contacts (or, if it has none, the brokerage team) to decide a request.

    One email per language among the contacts, each addressed to everyone of that language.
    """
    by_language = {}
    for user in approvers(membership.organisation):
        by_language.setdefault(email_language_for(user), []).append(user.email)
    has_contacts = bool(by_language)
    if not has_contacts:
        by_language = {email_language_for(None): [settings.ENQUIRY_FALLBACK_EMAIL]}
    path = (reverse("account:contacts") if has_contacts else
            reverse("admin:providers_membership_changelist") + "?status__exact=pending")
    context = {"membership": membership, "person": membership.user, "organisation": membership.organisation,
               "link": settings.SITE_URL + path}
    return [
        email_queue(kind="membership_request", to=to, template="membership_request", context=context, language=language)
        for language, to in by_language.items()
    ]


def membership_decision_queue(*, membership):
    """Tell the person their request was approved or declined."""
    context = {"membership": membership, "organisation": membership.organisation,
               "approved": membership.status == MembershipStatus.APPROVED,
               "link": settings.SITE_URL + reverse("account:home")}
    return email_queue(
        kind="membership_decision", to=[membership.user.email], template="membership_decision", context=context,
        language=email_language_for(membership.user),
    )


def password_reset_queue(*, to, context):
    """Django's reset link (context from PasswordResetForm), through the outbox like every email."""
    return email_queue(kind="password_reset", to=[to], template="password_reset", context=context,
                       language=email_language_for(context.get("user")), secret=True)
