"""Bulletin emails: list headers, the prepared fast path, and the subscription confirmation."""

from urllib.parse import urlsplit

from django.conf import settings

from programmes.emails import RenderedEmail, email_message
from programmes.outbox import email_queue

from .content import unsubscribe_url


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
    return email_message(
        RenderedEmail(subject, text, html), to=[to], headers=bulletin_headers(token), connection=connection
    )


def confirmation_queue(*, email, confirm_url, language):
    """The double opt-in link, written to the outbox (sent once the caller's transaction commits)."""
    # The name was typed by whoever filled in the form, perhaps not the owner
    # of the address: it stays out of the email, so nobody can write the
    # opening line of a message we send to someone else.
    return email_queue(
        kind="bulletin_confirm", to=[email], template="bulletin_confirm", context={"confirm_url": confirm_url},
        language=language, secret=True,
    )


# --- Fast path: one MIME message per content choice, personalised as bytes ---

TO_PLACEHOLDER = "recipient@placeholder.invalid"
NAME_TEXT_PLACEHOLDER = "@@name-in-text@@"
NAME_HTML_PLACEHOLDER = "@@name-in-html@@"
MESSAGE_ID_PLACEHOLDER = "<message-id@placeholder.invalid>"
DATE_PLACEHOLDER = "Thu, 01 Jan 1970 00:00:00 -0000"


class PreparedMessage:
    """A bulletin email serialised once, with placeholders swapped per reader.

    Building a MIME message costs more than sending it over a local SMTP
    connection; readers with the same choices get the same bytes apart from
    their address, name, unsubscribe link, Message-ID and Date. The link's
    placeholder (the renderer's) is shared by the body and the List-Unsubscribe
    header, so one substitution fills all of them. This only
    works when the parts went out as 8-bit text (placeholders intact); when
    they did not, `prepare` returns None and the caller builds each message.
    """

    def __init__(self, data, unsubscribe_placeholder):
        self.data = data
        self.unsubscribe_placeholder = unsubscribe_placeholder.encode()

    @classmethod
    def prepare(cls, *, subject, text, html, name_placeholder, unsubscribe_placeholder, list_unsubscribe_root):
        """`unsubscribe_placeholder` stands for the link's path; the header puts it after `list_unsubscribe_root`."""
        text = text.replace(name_placeholder, NAME_TEXT_PLACEHOLDER)
        html = html.replace(name_placeholder, NAME_HTML_PLACEHOLDER)
        message = email_message(
            RenderedEmail(subject, text, html), to=[TO_PLACEHOLDER],
            headers={
                "List-Unsubscribe": f"<{list_unsubscribe_root}{unsubscribe_placeholder}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": list_id(),
                "Message-ID": MESSAGE_ID_PLACEHOLDER,
                "Date": DATE_PLACEHOLDER,
            },
        )
        data = message.message().as_bytes(linesep="\r\n")
        for placeholder in (TO_PLACEHOLDER, NAME_TEXT_PLACEHOLDER, NAME_HTML_PLACEHOLDER, unsubscribe_placeholder,
                            MESSAGE_ID_PLACEHOLDER, DATE_PLACEHOLDER):
            if placeholder.encode() not in data:
                return None
        return cls(data, unsubscribe_placeholder)

    def personalise(self, *, to, name, unsubscribe_path):
        from email.utils import formatdate, make_msgid

        from django.core.mail.message import DNS_NAME
        from django.utils.html import escape

        name = " ".join(name.split())  # no line breaks into the body
        return (
            self.data.replace(TO_PLACEHOLDER.encode(), to.encode())
            .replace(NAME_TEXT_PLACEHOLDER.encode(), name.encode())
            .replace(NAME_HTML_PLACEHOLDER.encode(), escape(name).encode())
            .replace(self.unsubscribe_placeholder, unsubscribe_path.encode())
            .replace(MESSAGE_ID_PLACEHOLDER.encode(), make_msgid(domain=DNS_NAME).encode())
            .replace(DATE_PLACEHOLDER.encode(), formatdate(localtime=settings.EMAIL_USE_LOCALTIME).encode())
        )


def from_address():
    from django.core.mail.message import sanitize_address

    return sanitize_address(settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET)
