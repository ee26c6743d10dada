"""Email backends that fail the way SMTP servers do, for the sending tests."""

import smtplib

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class TemporaryFailureBackend(BaseEmailBackend):
    """Every message gets 451 (try again later)."""

    def send_messages(self, messages):
        raise smtplib.SMTPResponseException(451, b"4.3.0 Mailbox busy, try again later")


class PermanentFailureBackend(BaseEmailBackend):
    """Addresses at bounce.example are refused for good (550); others are delivered to the outbox."""

    def send_messages(self, messages):
        for message in messages:
            if message.to[0].endswith("@bounce.example"):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"5.1.1 No such mailbox")})
        return LocmemBackend().send_messages(messages)


class FlakyBackend(LocmemBackend):
    """Fails the first delivery attempt of every address with 421, then delivers."""

    seen = set()

    def send_messages(self, messages):
        for message in messages:
            if message.to[0] not in FlakyBackend.seen:
                FlakyBackend.seen.add(message.to[0])
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def outbox_recipients():
    return sorted(m.to[0] for m in mail.outbox)
