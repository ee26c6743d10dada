"""Celery tasks of the catalogue. They take ids, never model instances."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from programmes.emails import render_subject

logger = logging.getLogger(__name__)


def enquiry_recipient(enquiry):
    if enquiry.contact is not None and enquiry.contact.contact_email:
        return enquiry.contact.contact_email
    # An offer without a named contact: the brokerage team answers.
    return settings.ENQUIRY_FALLBACK_EMAIL


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def enquiry_notify(self, enquiry_id):
    """Email the offer's contact with the question (reply goes to the asker)."""
    from brokerage.models import Enquiry

    enquiry = (
        Enquiry.objects.select_related("offer__programme", "contact__user").filter(pk=enquiry_id).first()
    )
    if enquiry is None:
        logger.warning("Enquiry %s vanished before its email was sent", enquiry_id)
        return
    context = {"enquiry": enquiry, "offer": enquiry.offer, "SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME}
    message = EmailMultiAlternatives(
        subject=render_subject("emails/enquiry_subject.txt", context),
        body=render_to_string("emails/enquiry.txt", context),
        to=[enquiry_recipient(enquiry)],
        reply_to=[enquiry.email],
    )
    message.attach_alternative(render_to_string("emails/enquiry.html", context), "text/html")
    try:
        message.send()
    except (OSError, ConnectionError) as error:  # SMTP unreachable or refused: try again later
        raise self.retry(exc=error)
