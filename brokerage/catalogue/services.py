"""Writes of the catalogue: enquiries about offers."""

from django.db import transaction

from brokerage.models import Enquiry

from .emails import enquiry_acknowledgement_queue, enquiry_notify_queue


@transaction.atomic
def enquiry_create(*, offer, user, name, email, organisation, message):
    """Record a question about an offer for its named contact; after commit, email them and acknowledge the asker."""
    enquiry = Enquiry.objects.create(
        offer=offer,
        contact=offer.contact,
        user=user if user is not None and user.is_authenticated else None,
        name=name,
        email=email,
        organisation=organisation,
        message=message,
    )
    # Written to the outbox now, sent once this transaction commits.
    enquiry_notify_queue(enquiry=enquiry)
    # A copy for the asker, to the address they gave (the view limits how often one address is used).
    enquiry_acknowledgement_queue(enquiry=enquiry)
    return enquiry
