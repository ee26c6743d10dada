"""The portal's URLs plus trivial views, the baseline every benchmark compares against.

Selected with ROOT_URLCONF=benchmarks.urls (see brokerage/settings.py); never
used in production.
"""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from brokerage.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
def trivial_post(request):
    if request.method != "POST":
        return HttpResponse("POST only", status=405, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial", trivial, name="bench_trivial"),
    path("bench/trivial-post", trivial_post, name="bench_trivial_post"),
    *portal_urlpatterns,
]
