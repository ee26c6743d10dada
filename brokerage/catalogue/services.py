"""Writes of the catalogue: enquiries about offers."""

from django.db import transaction

from brokerage.models import Enquiry

from . import tasks


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
    # The email goes from a Celery task once the row is committed, never inside this transaction.
    enquiry_id = enquiry.pk
    transaction.on_commit(lambda: tasks.enquiry_notify.delay(enquiry_id))
    # A copy for the asker, to the address they gave (the view limits how often one address is used).
    transaction.on_commit(lambda: tasks.enquiry_acknowledge.delay(enquiry_id))
    return enquiry
