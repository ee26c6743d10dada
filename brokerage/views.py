from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from events.selectors import upcoming_public_events
from programmes.models import Theme
from programmes.selectors import newest_offers, published_offers

from .health import broker_status, cache_status, database_status


def home(request):
    return render(
        request,
        "home.html",
        {
            "events": upcoming_public_events(limit=3),
            "offers": newest_offers(limit=6),
            "offer_count": published_offers().count(),
            "themes": Theme.objects.all(),
        },
    )


@require_GET
@never_cache
def healthz(request):
    checks = {"database": database_status(), "cache": cache_status(), "broker": broker_status()}
    status = 200 if checks["database"] == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "error", **checks}, status=status)
