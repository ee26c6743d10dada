"""The coordinator's start page, and the sign-in that lands coordinators on it."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from brokerage.roles import is_coordinator

from . import selectors


class SignInView(auth_views.LoginView):
    """Coordinators land on their start page; everyone else where they did before (the home page)."""

    def get_default_redirect_url(self):
        if is_coordinator(self.request.user):
            return reverse("coordinator_start")
        return super().get_default_redirect_url()


@require_GET
@never_cache
def start(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_coordinator(request.user):
        raise PermissionDenied("The start page is for coordinators.")
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
