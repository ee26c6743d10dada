"""Who may see or change what among provider data."""

from django.http import Http404

from .models import PlanItem, ProviderContact


def provider_contact_for(user):
    """The signed-in user's provider contact profile, or None."""
    if not user.is_authenticated:
        return None
    return ProviderContact.objects.select_related("organisation").filter(user=user).first()


def plan_item_for_user_or_404(user, pk):
    """A plan item of the user's own organisation; any other organisation's item is a 404."""
    contact = provider_contact_for(user)
    if contact is None:
        raise Http404("No such plan item")
    item = PlanItem.objects.select_related("offer").filter(pk=pk, organisation_id=contact.organisation_id).first()
    if item is None:
        raise Http404("No such plan item")
    return item
