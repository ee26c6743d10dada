"""Emails about enquiries, written to the outbox (programmes/outbox.py) in the enquiry's transaction."""

from django.conf import settings
from django.utils.translation import gettext

from programmes.outbox import email_queue


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
    return contact.name if contact else gettext("the brokerage team")


def enquiry_notify_queue(*, enquiry):
    """Email the offer's contact with the question (reply goes to the asker)."""
    return email_queue(
        kind="enquiry", key=f"enquiry:{enquiry.pk}", to=[enquiry_recipient(enquiry)], reply_to=[enquiry.email],
        template="enquiry", context={"enquiry": enquiry, "offer": enquiry.offer},
    )


def enquiry_acknowledgement_queue(*, enquiry):
    """Tell the asker, at the address they gave and only there, who will answer and when, with their question.

    Anyone can type anything into the form, so the email never greets them by
    the name typed nor repeats their organisation; their question appears only
    quoted and marked as theirs (escaped in HTML, "> " lines in text).
    """
    context = {
        "enquiry": enquiry,
        "offer": enquiry.offer,
        "answerer": enquiry_answerer(enquiry),
        "answered_by_contact": _answering_contact(enquiry) is not None,
        "working_days": settings.ENQUIRY_ANSWER_WORKING_DAYS,
        "quoted_message": "\n".join(f"> {line}" for line in enquiry.message.splitlines()),
    }
    return email_queue(
        kind="enquiry_acknowledgement", key=f"enquiry-acknowledgement:{enquiry.pk}", to=[enquiry.email],
        reply_to=[enquiry_recipient(enquiry)], template="enquiry_acknowledgement", context=context,
    )
