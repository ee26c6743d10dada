"""Emails about accounts and join requests: subject/text/html template triplets."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from programmes.emails import render_subject


def triplet_message(name, context, *, to):
    """templates/emails/<name>_subject.txt, <name>.txt and <name>.html as one message."""
    context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME, **context}
    message = EmailMultiAlternatives(
        subject=render_subject(f"emails/{name}_subject.txt", context),
        body=render_to_string(f"emails/{name}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
    return message
