"""/network/: the directory of regional workers, public, under plain programme names."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext

from ..permissions import listed_worker_or_404
from . import selectors
from .filters import WorkerFilter

PAGE_SIZE = 24


def worker_list(request):
    workers = WorkerFilter(request.GET or None, queryset=selectors.directory_workers())
    page = Paginator(workers.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programmes/network_list.html",
        {
            "title": gettext("Regional workers"),
            "filter": workers,
            "page": page,
            "query": query.urlencode(),
            "is_filtered": any(v for k, v in request.GET.items() if k != "page"),
        },
    )


def worker_detail(request, slug):
    worker = listed_worker_or_404(slug, viewer=request.user)
    return render(
        request,
        "programmes/network_detail.html",
        {
            "title": worker.name,
            "person": worker,
            "programmes": worker.programmes.order_by("plain_name"),
            "offers": selectors.worker_public_offers(worker),
        },
    )
