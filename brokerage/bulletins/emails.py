"""Bulletin emails: subject/text/html template triplets and list headers."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .content import unsubscribe_url


def render_triplet(prefix, context):
    """Render templates/<prefix>_subject.txt, _body.txt and _body.html."""
    subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
    text = render_to_string(f"{prefix}_body.txt", context)
    html = render_to_string(f"{prefix}_body.html", context)
    return subject, text, html


def list_id():
    """RFC 2919 List-Id: a name and a dotted identifier under the site's domain."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    identifier = getattr(settings, "BULLETIN_LIST_ID", f"bulletin.{host}")
    return f'"{settings.SITE_NAME} joint bulletin" <{identifier}>'


def bulletin_headers(token):
    # RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the
    # https URL; the view unsubscribes at once without cookies or sign-in.
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": list_id(),
    }


def bulletin_message(*, subject, text, html, to, token, connection=None):
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=bulletin_headers(token),
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(*, email, name, confirm_url):
    subject, text, html = render_triplet(
        "bulletins/emails/confirm",
        {"name": name, "confirm_url": confirm_url, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL},
    )
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[email])
    message.attach_alternative(html, "text/html")
    return message
