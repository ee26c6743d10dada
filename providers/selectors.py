"""Reads of provider organisations, their contacts, join requests and CPD plans."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from programmes.choices import OfferStatus
from programmes.models import Offer

from .choices import OPEN_MEMBERSHIP_STATUSES, MembershipStatus, PlanStatus
from .models import Membership, PlanItem, ProviderContact

# Accounts that have proved their address (or never had to: see permissions.email_confirmed).
CONFIRMED_USER = Q(user__email_confirmation__isnull=True) | Q(user__email_confirmation__confirmed_at__isnull=False)


def plan_items(organisation):
    return (
        PlanItem.objects.filter(organisation=organisation)
        .select_related("offer__programme", "offer__contact__user", "added_by")
        .order_by("position", "added_at", "pk")
    )


@dataclass(frozen=True)
class Prerequisite:
    """An offer a plan item builds on, and where (if anywhere) it stands in the same plan."""

    offer: Offer
    item: PlanItem | None  # its own item in the plan, or None when it is not in the plan
    number: int | None  # its place in the plan, counting from 1
    out_of_order: bool  # in the plan, but placed after the item that builds on it


def plan_with_guidance(organisation, *, today):
    """The plan in order, each item with `.number`, `.prerequisites` and `.dates_passed_on` (a date or None).

    A prerequisite is listed when it is published or already in the plan
    (drafts and withdrawn offers are nothing a provider can take). Items
    marked done need no guidance: their order and dates are history.
    """
    items = list(
        plan_items(organisation).prefetch_related(
            Prefetch("offer__builds_on", queryset=Offer.objects.order_by("title", "pk"), to_attr="builds_on_list")
        )
    )
    in_plan = {item.offer_id: (number, item) for number, item in enumerate(items, start=1)}
    for number, item in enumerate(items, start=1):
        item.number = number
        item.prerequisites = []
        for offer in item.offer.builds_on_list:
            place, other = in_plan.get(offer.pk, (None, None))
            if other is None and offer.status != OfferStatus.PUBLISHED:
                continue
            out_of_order = (
                place is not None
                and place > number
                and PlanStatus.DONE not in (item.status, other.status)
            )
            item.prerequisites.append(Prerequisite(offer=offer, item=other, number=place, out_of_order=out_of_order))
        item.order_warnings = [p for p in item.prerequisites if p.out_of_order]
        item.dates_passed_on = None if item.status == PlanStatus.DONE else offer_dates_passed_on(item.offer, today=today)
    return items


def offer_dates_passed_on(offer, *, today):
    """The offer's last date when it is before `today` (an offer without an end runs on its start date), else None."""
    if offer.is_rolling:
        return None
    last = offer.ends_on or offer.starts_on
    return last if last is not None and last < today else None


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


def approvers(organisation):
    """Who is asked to decide a request to join: the organisation's contacts' users with an address (maybe none)."""
    users = {contact.user.email: contact.user for contact in organisation_contacts(organisation) if contact.user.email}
    return [users[email] for email in sorted(users)]
