"""Return addresses ("next") that a form or link carries: only ever somewhere on this site.

Every view that sends a person back to a `next` address asks safe_next, so
the one rule (Django's url_has_allowed_host_and_scheme: this host, and https
when the request came over https) holds everywhere; hand-made checks such as
"starts with / but not //" let `/\\evil.example` through, which browsers
read as `//evil.example`. It lives in `programmes`, the lowest app, so that
every app may import it.
"""

from urllib.parse import urlsplit

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback):
    """The request's `next` (POST first, then GET) if it stays on this site, else `fallback` (a URL).

    Only an address whose path starts with "/" is taken: redirect() reads a bare word ("-1", "home") as
    the name of a view to look up.
    """
    target = request.POST.get("next") or request.GET.get("next")
    if target and urlsplit(target).path.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
