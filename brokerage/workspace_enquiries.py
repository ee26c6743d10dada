"""Enquiries in the regional worker's workspace: the list, and "mark answered".

Enquiries live in the brokerage layer, above programmes, so this module adds
itself to the workspace through programmes.sections (registered in
BrokerageConfig.ready) rather than programmes importing brokerage.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from programmes.permissions import worker_or_403

from .models import Enquiry

WORKSPACE_LIMIT = 20


# -- selectors ---------------------------------------------------------------
def enquiries_for_worker(worker):
    """Enquiries routed to this worker: unanswered first, newest first."""
    return (
        Enquiry.objects.filter(contact=worker)
        .select_related("offer")
        .order_by(F("answered_at").asc(nulls_first=True), "-created_at")
    )


# -- services ----------------------------------------------------------------
@transaction.atomic
def enquiry_mark_answered(*, enquiry, worker):
    """Mark answered once; a second click keeps the first time."""
    Enquiry.objects.filter(pk=enquiry.pk, contact=worker, answered_at__isnull=True).update(answered_at=timezone.now())
    enquiry.refresh_from_db(fields=["answered_at"])
    return enquiry


# -- the workspace section ---------------------------------------------------
def workspace_context(request, worker):
    enquiries = enquiries_for_worker(worker)
    return {
        "workspace_enquiries": list(enquiries[:WORKSPACE_LIMIT]),
        "workspace_enquiries_open": enquiries.filter(answered_at__isnull=True).count(),
    }


# -- views -------------------------------------------------------------------
@login_required
@require_POST
def mark_answered(request, pk):
    worker = worker_or_403(request.user)
    # On the object: another worker's enquiry is not found.
    enquiry = get_object_or_404(Enquiry, pk=pk, contact=worker)
    enquiry_mark_answered(enquiry=enquiry, worker=worker)
    messages.success(request, gettext("The enquiry from %(name)s is marked as answered.") % {"name": enquiry.name})
    return redirect(reverse("workspace:home") + "#enquiries")  # in the page's language


app_name = "workspace_enquiries"
urlpatterns = [path("<int:pk>/answered/", mark_answered, name="mark_answered")]
