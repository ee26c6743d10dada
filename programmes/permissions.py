"""Who may see or change what in the workers' workspace.

A regional worker edits only the offers of the programmes they belong to.
Every check is made on the object: the offer is fetched through
`offers_editable_by(user)`, so an offer of another programme is simply not
found (404) and nothing about it changes or leaks.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Offer, Programme, RegionalWorker


def worker_for(user):
    """The user's worker profile, or None (anonymous, provider contacts, coordinators)."""
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.worker_profile
    except RegionalWorker.DoesNotExist:
        return None


def worker_or_403(user):
    """The signed-in user's worker profile; other signed-in people are refused."""
    worker = worker_for(user)
    if worker is None:
        raise PermissionDenied("The workspace is for regional workers.")
    return worker


def programmes_of(user):
    """The programmes whose offers `user` may create and edit."""
    worker = worker_for(user)
    if worker is None:
        return Programme.objects.none()
    return Programme.objects.filter(workers=worker)


def offers_editable_by(user):
    """Offers `user` may view in the workspace, edit, publish and retire."""
    if worker_for(user) is None:
        return Offer.objects.none()
    return Offer.objects.filter(programme__in=programmes_of(user))


def can_edit_offer(user, offer):
    return offers_editable_by(user).filter(pk=offer.pk).exists()


OFFER_NOT_YOURS = (
    "You can open only the offers of the programmes you work for, and this is not one of them "
    "(or it no longer exists). Your workspace lists the offers you can edit."
)


def offer_for_editing_or_404(user, pk):
    """The offer with this id if `user` may edit it; otherwise 404, saying why without saying whether it exists."""
    try:
        return offers_editable_by(user).select_related("programme", "contact__user").get(pk=pk)
    except Offer.DoesNotExist:
        raise Http404(OFFER_NOT_YOURS) from None


def listed_worker_or_404(slug, viewer=None):
    """A worker's directory entry; unlisted workers are visible only to themselves."""
    worker = get_object_or_404(RegionalWorker.objects.select_related("user"), slug=slug)
    if not worker.is_listed and (viewer is None or worker_for(viewer) != worker):
        raise Http404("No such person in the directory.")
    return worker
