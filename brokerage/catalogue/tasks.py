"""Celery tasks of the catalogue. They take ids, never model instances."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from programmes.emails import render_subject

logger = logging.getLogger(__name__)


def _answering_contact(enquiry):
    """The offer's named contact if they can be emailed; None when the brokerage team answers instead."""
    if enquiry.contact is not None and enquiry.contact.contact_email:
        return enquiry.contact
    return None


def enquiry_recipient(enquiry):
    contact = _answering_contact(enquiry)
    # An offer without a named contact: the brokerage team answers.
    return contact.contact_email if contact else settings.ENQUIRY_FALLBACK_EMAIL


def enquiry_answerer(enquiry):
    """Who will answer, as the acknowledgement names them: the offer's contact, or the brokerage team."""
    contact = _answering_contact(enquiry)
    return contact.name if contact else "the brokerage team"


def _enquiry(enquiry_id):
    from brokerage.models import Enquiry

    enquiry = (
        Enquiry.objects.select_related("offer__programme", "contact__user").filter(pk=enquiry_id).first()
    )
    if enquiry is None:
        logger.warning("Enquiry %s vanished before its email was sent", enquiry_id)
    return enquiry


def _send(task, template, context, *, to, reply_to):
    """Render emails/<template> (subject, text, html) and send it; SMTP trouble is retried later."""
    context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME, **context}
    message = EmailMultiAlternatives(
        subject=render_subject(f"emails/{template}_subject.txt", context),
        body=render_to_string(f"emails/{template}.txt", context),
        to=to,
        reply_to=reply_to,
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    try:
        message.send()
    except (OSError, ConnectionError) as error:  # SMTP unreachable or refused: try again later
        raise task.retry(exc=error)


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def enquiry_notify(self, enquiry_id):
    """Email the offer's contact with the question (reply goes to the asker)."""
    enquiry = _enquiry(enquiry_id)
    if enquiry is None:
        return
    _send(
        self, "enquiry", {"enquiry": enquiry, "offer": enquiry.offer},
        to=[enquiry_recipient(enquiry)], reply_to=[enquiry.email],
    )


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def enquiry_acknowledge(self, enquiry_id):
    """Tell the asker, at the address they gave and only there, who will answer and when, with their question.

    Anyone can type anything into the form, so the email never greets them by
    the name typed nor repeats their organisation; their question appears only
    quoted and marked as theirs (escaped in HTML, "> " lines in text).
    """
    enquiry = _enquiry(enquiry_id)
    if enquiry is None:
        return
    context = {
        "enquiry": enquiry,
        "offer": enquiry.offer,
        "answerer": enquiry_answerer(enquiry),
        "answered_by_contact": _answering_contact(enquiry) is not None,
        "working_days": settings.ENQUIRY_ANSWER_WORKING_DAYS,
        "quoted_message": "\n".join(f"> {line}" for line in enquiry.message.splitlines()),
    }
    _send(self, "enquiry_acknowledgement", context, to=[enquiry.email], reply_to=[enquiry_recipient(enquiry)])
