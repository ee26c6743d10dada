"""Writes of the workspace: saving, publishing, retiring and reviewing offers.

Callers have already fetched the offer through `permissions.offer_for_editing_or_404`;
these functions keep the offer's own rules. django-simple-history records each
save with the signed-in user (its middleware) and the reason given here.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_noop

from ..choices import OfferStatus
from ..models import Offer


class OfferActionRefused(Exception):
    """An expected refusal with a message for the worker (not a crash)."""


def unique_offer_slug(title, exclude_pk=None):
    base = slugify(title)[:200] or "offer"
    slug, n = base, 2
    others = Offer.objects.exclude(pk=exclude_pk) if exclude_pk else Offer.objects.all()
    while others.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _mark_reviewed(offer, worker):
    offer.last_reviewed_on = timezone.localdate()
    offer.last_reviewed_by = worker


@transaction.atomic
def offer_save(*, form, worker):
    """Create or update an offer from a valid OfferForm; saving counts as a review."""
    offer = form.save(commit=False)
    creating = offer.pk is None
    if creating:
        offer.slug = unique_offer_slug(offer.title)
        offer.status = OfferStatus.DRAFT
    _mark_reviewed(offer, worker)
    # Reasons are stored in English and translated when shown (selectors.offer_history).
    offer._change_reason = gettext_noop("Created in the workspace") if creating else gettext_noop("Edited in the workspace")
    offer.save()
    form.save_m2m()
    return offer


def publish_problems(offer):
    """What stops this offer being published, in words for the worker."""
    problems = []
    if offer.contact_id is None:
        problems.append(gettext("name a person to talk to (the contact)"))
    if not offer.themes.exists():
        problems.append(gettext("choose at least one theme"))
    if not offer.audiences.exists():
        problems.append(gettext("choose who it is for"))
    return problems


@transaction.atomic
def offer_publish(*, offer, worker):
    # Lock the row so a double click publishes once and records one history entry.
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status == OfferStatus.PUBLISHED:
        return offer
    problems = publish_problems(offer)
    if problems:
        raise OfferActionRefused(
            gettext("Before publishing, %(problems)s.") % {"problems": gettext(" and ").join(problems)}
        )
    offer.status = OfferStatus.PUBLISHED
    offer.published_at = timezone.now()
    _mark_reviewed(offer, worker)
    offer._change_reason = gettext_noop("Published")
    offer.save()
    return offer


@transaction.atomic
def offer_retire(*, offer, worker):
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status == OfferStatus.ARCHIVED:
        return offer
    offer.status = OfferStatus.ARCHIVED
    _mark_reviewed(offer, worker)
    offer._change_reason = gettext_noop("Retired")
    offer.save()
    return offer


@transaction.atomic
def offer_mark_reviewed(*, offer, worker):
    """The worker checked the offer and it is still right: no other change."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    _mark_reviewed(offer, worker)
    offer._change_reason = gettext_noop("Checked: still current")
    offer.save()
    return offer


@transaction.atomic
def worker_profile_update(*, form, worker):
    user = worker.user
    user.first_name = form.cleaned_data["first_name"]
    user.last_name = form.cleaned_data["last_name"]
    user.save(update_fields=["first_name", "last_name"])
    return form.save()
