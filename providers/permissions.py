"""Who may see or change what among provider data.

The rule "only approved contacts act for an organisation" lives in
``acting_contact``: every page, form and service that acts for an
organisation (its plan, priorities, bookings, questions asked in its name)
asks it, never ``user.provider_profile`` on its own.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from .models import PlanItem


def email_confirmed(user):
    """Has this account proved its email address?

    Sign-up creates an unconfirmed EmailConfirmation row; accounts without one
    were made by coordinators, the demo loader or before sign-up proved
    addresses, and are trusted.
    """
    if user is None or not user.is_authenticated:
        return False
    try:
        confirmation = user.email_confirmation
    except ObjectDoesNotExist:
        return True
    return confirmation.confirmed_at is not None


def acting_contact(user):
    """The ProviderContact through which this user acts for an organisation, or None.

    A contact profile exists only while the person's membership is approved
    (services keep the two together); the account must also have proved its
    address. The signed-in user comes with both joined (brokerage.auth_backends).
    """
    if user is None or not user.is_authenticated:
        return None
    try:
        contact = user.provider_profile
    except ObjectDoesNotExist:
        return None
    return contact if email_confirmed(user) else None


def may_decide_membership(user, membership):
    """An approved contact of the organisation decides its join requests (coordinators use the admin)."""
    contact = acting_contact(user)
    return contact is not None and contact.organisation_id == membership.organisation_id


def plan_item_for_user_or_404(user, pk):
    """A plan item of the user's own organisation; any other organisation's item is a 404."""
    contact = acting_contact(user)
    if contact is None:
        raise Http404("No such plan item")
    item = PlanItem.objects.select_related("offer").filter(pk=pk, organisation_id=contact.organisation_id).first()
    if item is None:
        raise Http404("No such plan item")
    return item
