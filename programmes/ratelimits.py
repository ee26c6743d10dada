"""Limits on how often one visitor may post a form: django-ratelimit, keyed and configured here.

A limited view answers 429 with the site's page (``RATELIMIT_VIEW``,
``brokerage.error_views.rate_limited``). Only POSTs count: looking at a form
is never limited. Each rate is a setting ("10/h": ten an hour) read when the
request comes, so a test's ``settings`` fixture or an operator's environment
changes it without touching the views. The counters live in the default
cache, which must be shared by every process and increment atomically:
Redis in production.

It lives in ``programmes``, the lowest app, so that providers, events and
brokerage may all decorate their views with it.
"""

import ipaddress

from django.conf import settings
from django_ratelimit.decorators import ratelimit


def client_ip(request):
    """The visitor's address: REMOTE_ADDR, or the one our own reverse proxy put in X-Forwarded-For.

    Behind a proxy every request comes from the proxy's address, so each
    per-address limit would be shared by everyone. With TRUSTED_PROXY_COUNT
    proxies in front that each append the address they saw (nginx's
    ``$proxy_add_x_forwarded_for``), the client is that many entries from the
    right; entries further left were written by the client and are not
    trusted. Anything unreadable falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate


def posted_email(group, request):
    """The posted "email" field as one address: trimmed and lower-cased, so case tricks share one count."""
    return request.POST.get("email", "").strip().lower()


def _setting_rate(setting_name, *, needs_email=False):
    def rate(group, request):
        if needs_email and not posted_email(group, request):
            return None  # no address to count against; the per-address limit still applies
        return getattr(settings, setting_name)

    return rate


BY_IP = "ip"
BY_USER = "user"
BY_EMAIL = "email"
_KEYS = {BY_IP: "ip", BY_USER: "user", BY_EMAIL: posted_email}


def limit_posts(group, **limits):
    """Limit a view's POSTs, one count per key: ``limit_posts("signup", ip="RATELIMIT_SIGNUP")``.

    Each keyword names a key (``ip``, ``user``, ``email``: the posted address)
    and the setting that holds its rate. The counts are kept per ``group``, so
    two views never share one.
    """
    unknown = set(limits) - set(_KEYS)
    if unknown:
        raise ValueError(f"Unknown rate-limit keys: {sorted(unknown)}")

    def decorator(view):
        for key_name, setting_name in limits.items():
            view = ratelimit(
                group=f"{group}:{key_name}",
                key=_KEYS[key_name],
                rate=_setting_rate(setting_name, needs_email=key_name == BY_EMAIL),
                method="POST",
                block=True,
            )(view)
        return view

    return decorator
