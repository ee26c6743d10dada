from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from events.selectors import upcoming_public_events
from programmes.models import Theme
from programmes.selectors import newest_offers

from . import health
from .catalogue.selectors import catalogue_total


def home(request):
    return render(
        request,
        "home.html",
        {
            "events": upcoming_public_events(limit=3),
            "offers": newest_offers(limit=6),
            "offer_count": catalogue_total(),  # the number /offers/ shows
            "themes": Theme.objects.all(),
        },
    )


@require_GET
@never_cache
def healthz(request):
    """The overall state for anyone (a load balancer); each dependency's only for the operator."""
    state, checks = health.health_report()
    body = {"status": state}
    if health.is_operator(request):
        body["checks"] = checks
    return JsonResponse(body, status=503 if state == "down" else 200)
