"""The one way an email is rendered and built, and the one way an SMTP failure is judged.

Every email is a template triplet under templates/emails/: `<name>_subject.txt`,
`<name>.txt` and `<name>.html`. `render_email` renders it in the language
asked for (the person's, once they can choose one) and returns its parts;
`email_message` turns parts into a Django message; the outbox
(`programmes/outbox.py`) stores the parts and sends them after the
transaction commits. `smtp_failure_is_permanent` is the single answer to
"retry or give up?" for the outbox and the bulletin sender alike.

It lives in `programmes`, the lowest app, so that every app may import it.

A subject is not HTML, so it is rendered without escaping (an enquiry from
"O'Brien & Sons" keeps its apostrophe and ampersand); and no header may
carry a line break, so every run of whitespace, CR and LF included, becomes
one space.
"""

import smtplib
from contextlib import nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class RenderedEmail:
    """What an email says: subject, text, HTML, attachments as (filename, mimetype, content)."""

    subject: str
    text: str
    html: str = ""
    attachments: tuple = ()
    language: str = ""


def header_text(value):
    """One header line: whitespace runs (line breaks included) become single spaces."""
    return " ".join(str(value).split())


def render_subject(template_name, context):
    """Render a subject template as plain text (autoescape off) on one line."""
    template = Engine.get_default().get_template(template_name)
    return header_text(template.render(Context(context, autoescape=False)))


def render_email(name, context, *, language=None, attachments=()):
    """Render templates/emails/<name>_subject.txt, <name>.txt and <name>.html.

    `language` (a code such as "cy") is active while rendering, so the
    templates' translations and dates come out in it; None keeps the current one.
    """
    context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME, **context}
    with translation.override(language) if language else nullcontext():
        return RenderedEmail(
            subject=render_subject(f"emails/{name}_subject.txt", context),
            text=render_to_string(f"emails/{name}.txt", context),
            html=render_to_string(f"emails/{name}.html", context),
            attachments=tuple(tuple(a) for a in attachments),
            language=language or translation.get_language() or "",
        )


def email_message(email, *, to, reply_to=(), headers=None, connection=None):
    """A Django message from rendered parts: text body, HTML alternative, attachments."""
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.text, from_email=settings.DEFAULT_FROM_EMAIL, to=list(to),
        reply_to=list(reply_to), headers=headers, connection=connection,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for filename, mimetype, content in email.attachments:
        message.attach(filename, content, mimetype)
    return message


def smtp_failure_is_permanent(error):
    """5xx replies are permanent; 4xx, disconnections and network errors are worth retrying.

    A refusal of the recipients is permanent only if every refusal is a 5xx
    (Django's SMTP backend raises it only when no recipient was accepted).
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def smtp_failure_describe(error):
    """A short, readable reason to store beside the row."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{addr}: {code} {msg!r}" for addr, (code, msg) in error.recipients.items())[:500]
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        reply = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
        return f"{error.smtp_code} {reply}"[:500]
    return f"{type(error).__name__}: {error}"[:500]
