"""The coordinator's start page, and where signing in lands coordinators."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from brokerage.roles import is_coordinator

from . import selectors


@require_GET
def signed_in(request):
    """Where signing in lands without a ?next= (LOGIN_REDIRECT_URL): coordinators on their
    start page, everyone else on the home page. A view here, not a sign-in view, because
    sign-in lives in providers, below this layer."""
    if request.user.is_authenticated and is_coordinator(request.user):
        return redirect("coordinator_start")
    return redirect("home")


@require_GET
@never_cache
def start(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_coordinator(request.user):
        raise PermissionDenied(gettext("The start page is for coordinators."))
    today = timezone.localdate()
    return render(
        request,
        "coordination/start.html",
        {
            "overdue": selectors.offers_overdue_for_review(today=today),
            "requests": selectors.pending_organisation_requests(),
            "events": selectors.events_this_month(today=today),
            "month": today,
            "next_bulletin": selectors.next_bulletin(),
            "last_bulletin": selectors.last_sent_bulletin(),
            "searches": selectors.new_zero_result_searches(today=today),
            "search_days": selectors.ZERO_RESULT_DAYS,
        },
    )
