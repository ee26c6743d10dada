"""The error pages that Django's own handlers cannot render in the site's layout."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template.loader import render_to_string

from programmes.words import site_name


def server_error(request):
    """500: rendered without the request's context, since the database or a context processor may be what failed."""
    return HttpResponseServerError(render_to_string("500.html", {"SITE_NAME": site_name()}))


def csrf_failure(request, reason=""):
    """403 for a form that could not be checked: said plainly, with the cookie hint when that is the cause."""
    return render(request, "403_csrf.html", {"no_cookie": reason == REASON_NO_CSRF_COOKIE}, status=403)


def rate_limited(request, exception=None):
    """429 for a form posted too often (RATELIMIT_VIEW): the site's page, saying to wait."""
    return render(request, "429.html", status=429)


def sign_in_locked_out(request, original_response=None, credentials=None):
    """429 for sign-in paused after too many wrong passwords (AXES_LOCKOUT_CALLABLE), in the site's layout."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
