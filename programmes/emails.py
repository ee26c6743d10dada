"""The one way an email is rendered and built, and the one way an SMTP failure is judged.

Every email is a template triplet under templates/emails/: `<name>_subject.txt`,
`<name>.txt` and `<name>.html`. `render_email` renders it in the recipient's
language (people.services.email_language_for gives it) and returns its parts;
when that language is not known ("") it is the one place that makes a single
email in both languages, Welsh first, as the Welsh Language Standards ask;
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
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import translation

from people.choices import Language

from .words import SITE_NAME


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


WELSH, ENGLISH = Language.WELSH.value, Language.ENGLISH.value
BILINGUAL = ""  # the recipient's language is not known: both, Welsh first


def render_email(name, context, *, language, attachments=()):
    """Render templates/emails/<name>_subject.txt, <name>.txt and <name>.html in `language`.

    `language` ("cy" or "en-gb") is active while rendering, so the templates'
    translations, dates and links come out in it. BILINGUAL ("") gives one
    email in both: see `bilingual_email`. An attachment is (filename, mimetype,
    content), or a callable given `language` that returns one: an .ics whose
    words follow the reader (events.ics.booking_ics_attachment).
    """
    context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": SITE_NAME, **context}
    attachments = tuple(tuple(a(language) if callable(a) else a) for a in attachments)

    def render_in(code, *, part=False):
        # `email_part`: the HTML without its document wrapper, to sit inside the bilingual one.
        with translation.override(code):
            parts_context = {**context, "email_part": part}
            return RenderedEmail(
                subject=render_subject(f"emails/{name}_subject.txt", parts_context),
                text=render_to_string(f"emails/{name}.txt", parts_context),
                html=render_to_string(f"emails/{name}.html", parts_context),
                attachments=attachments,
                language=code,
            )

    if language == BILINGUAL:
        return bilingual_email(render_in(WELSH, part=True), render_in(ENGLISH, part=True))
    return render_in(language)


def bilingual_email(welsh, english):
    """One email from its Welsh and English versions: subject "Welsh / English", bodies Welsh then English.

    The HTML versions are document bodies (rendered with `email_part`); the
    wrapper marks each with its language. The attachments are the Welsh
    version's: render_email makes them once, for both languages.
    """
    context = {"welsh": welsh, "english": english}
    return RenderedEmail(
        subject=header_text(f"{welsh.subject} / {english.subject}"),
        text=render_to_string("emails/bilingual.txt", context),
        html=render_to_string("emails/bilingual.html", context) if welsh.html or english.html else "",
        attachments=welsh.attachments,
        language=BILINGUAL,
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
