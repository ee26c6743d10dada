"""Writes about provider organisations and their contacts."""

from django.db import transaction
from django.utils.text import slugify

from .models import ProviderContact, ProviderOrganisation


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
