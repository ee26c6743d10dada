"""Reads of provider organisations, their contacts, join requests and CPD plans."""

from django.db.models import Q

from .choices import OPEN_MEMBERSHIP_STATUSES, MembershipStatus
from .models import Membership, PlanItem, ProviderContact

# Accounts that have proved their address (or never had to: see permissions.email_confirmed).
CONFIRMED_USER = Q(user__email_confirmation__isnull=True) | Q(user__email_confirmation__confirmed_at__isnull=False)


def plan_items(organisation):
    return (
        PlanItem.objects.filter(organisation=organisation)
        .select_related("offer__programme", "offer__contact__user", "added_by")
        .order_by("position", "added_at", "pk")
    )


def open_membership_of(user):
    """The person's pending or approved membership (at most one), or None."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, status__in=OPEN_MEMBERSHIP_STATUSES).select_related("organisation").first()
    )


def last_membership_of(user):
    """The person's most recent membership of any status, or None."""
    return Membership.objects.filter(user=user).select_related("organisation").order_by("-requested_at", "-pk").first()


def pending_requests_for(organisation):
    """Requests to join the organisation that its contacts can decide: only from confirmed addresses."""
    return (
        Membership.objects.filter(organisation=organisation, status=MembershipStatus.PENDING)
        .filter(CONFIRMED_USER)
        .select_related("user")
        .order_by("requested_at", "pk")
    )


def organisation_contacts(organisation):
    """Everyone who acts for the organisation."""
    return (
        ProviderContact.objects.filter(organisation=organisation)
        .filter(CONFIRMED_USER)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def approver_emails(organisation):
    """Who is asked to decide a request to join: the organisation's contacts (empty if it has none)."""
    return sorted({contact.user.email for contact in organisation_contacts(organisation) if contact.user.email})
