"""The events' entry to the outbox: booking, waiting-list and evaluation emails.

The outbox itself (rendering, claims, retries, the drain) is
`programmes/outbox.py`; this keeps the events' call shape: templates under
templates/emails/events/, one optional attachment (the .ics).
"""

from programmes.outbox import email_queue


def outbox_add(*, key, kind, to, template, context, booking=None, attachment=None, may_exist=False):
    """Store one email to send once the current transaction commits (see programmes.outbox.email_queue).

    `booking` is accepted for the callers' sake; the key names the booking.
    `attachment` is (filename, mimetype, text).
    """
    return email_queue(
        key=key, kind=kind, to=to, template=f"events/{template}", context=context,
        attachments=[attachment] if attachment else (), may_exist=may_exist,
    )
