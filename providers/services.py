"""Writes about provider organisations and their contacts."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import slugify

from .models import PlanItem, ProviderContact, ProviderOrganisation


def unique_slug(model, text, max_length=200):
    base = slugify(text)[: max_length - 8] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def provider_contact_register(*, form):
    """Create the user, the organisation if it is new, and the contact profile."""
    user = form.save(commit=False)
    user.username = form.cleaned_data["email"]
    user.email = form.cleaned_data["email"]
    user.save()
    organisation = form.cleaned_data.get("organisation")
    if organisation is None:
        name = form.cleaned_data["new_organisation_name"]
        organisation = ProviderOrganisation.objects.create(
            name=name,
            slug=unique_slug(ProviderOrganisation, name),
            kind=form.cleaned_data["new_organisation_kind"],
            region=form.cleaned_data["new_organisation_region"],
        )
    ProviderContact.objects.create(
        user=user, organisation=organisation, job_title=form.cleaned_data.get("job_title", "")
    )
    return user


@transaction.atomic
def organisation_priorities_update(*, organisation, themes, audiences):
    organisation.priorities.set(themes)
    organisation.staff_groups.set(audiences)


def plan_item_add(*, organisation, offer, user):
    """Add an offer to the organisation's plan (at the end); adding it twice keeps one item."""
    existing = PlanItem.objects.filter(organisation=organisation, offer=offer).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            last = PlanItem.objects.filter(organisation=organisation).aggregate(m=Max("position"))["m"]
            item = PlanItem.objects.create(
                organisation=organisation, offer=offer, added_by=user, position=(last or 0) + 1
            )
        return item, True
    except IntegrityError:  # a colleague added it at the same moment: the unique constraint kept one
        return PlanItem.objects.get(organisation=organisation, offer=offer), False


@transaction.atomic
def plan_item_move(*, item, direction):
    """Swap the item with its neighbour above ("up") or below ("down"), renumbering the plan."""
    items = list(
        PlanItem.objects.select_for_update().filter(organisation_id=item.organisation_id).order_by("position", "added_at", "pk")
    )
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])


def plan_item_set_status(*, item, status):
    item.status = status
    item.save(update_fields=["status"])


def plan_item_remove(*, item):
    item.delete()
