"""Tracked links for bulletin items: /insights/r/<signed token>/ records a click and redirects.

The token is signed, so nobody can make the portal redirect elsewhere: it
carries only a path on this site (never a scheme or host), the bulletin, and
optionally the theme and offer the item is about.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "brokerage.insights.tracked-link"


def _local_path(url):
    """The path (with query and fragment) of a URL on this site; ValueError otherwise."""
    parts = urlsplit(url)
    site = urlsplit(settings.SITE_URL)
    if parts.scheme or parts.netloc:
        if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            raise ValueError(f"Tracked links only lead to this site's own pages, not to {url!r}.")
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        raise ValueError(f"Not a path on this site: {url!r}")
    return path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def _pk(value):
    return value if value is None or isinstance(value, int) else value.pk


def tracked_path(url, *, bulletin=None, theme=None, offer=None):
    payload = {"u": _local_path(url)}
    for key, value in (("b", bulletin), ("t", theme), ("o", offer)):
        if value is not None:
            payload[key] = _pk(value)
    token = signing.dumps(payload, salt=SALT, compress=True)
    return reverse("insights:tracked_redirect", args=[token])


def tracked_link(url, *, bulletin=None, theme=None, offer=None):
    """The absolute tracked URL for a bulletin item (for emails and the archive)."""
    return settings.SITE_URL + tracked_path(url, bulletin=bulletin, theme=theme, offer=offer)


def read_token(token):
    """The payload of a tracked link, or None when the token is not one of ours."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), str):
        return None
    try:
        payload["u"] = _local_path(payload["u"])
    except ValueError:
        return None
    return payload
