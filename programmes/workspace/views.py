"""The regional worker's workspace: thin views over selectors, services and permissions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ..models import Region, Theme
from ..permissions import offer_for_editing_or_404, programmes_of, worker_or_403
from ..plain_language import plain_language_report
from ..sections import WORKSPACE, page_sections
from . import selectors, services
from .forms import OfferForm, WorkerProfileForm


@login_required
def home(request):
    worker = worker_or_403(request.user)
    groups = selectors.workspace_offer_groups(request.user, timezone.localdate())
    section_templates, section_context = page_sections(WORKSPACE, request, worker)
    return render(
        request,
        "programmes/workspace_home.html",
        {
            **section_context,  # first: a section's key never hides one of the page's own
            "title": gettext("My workspace"),
            "worker": worker,
            "programmes": programmes_of(request.user),
            "groups": groups,
            "review_after_months": selectors.REVIEW_AFTER_MONTHS,
            "section_templates": section_templates,
        },
    )


@login_required
def offer_create(request):
    worker = worker_or_403(request.user)
    programmes = programmes_of(request.user)
    if not programmes.exists():
        messages.error(request, gettext("You are not a member of any programme yet: ask a coordinator to add you."))
        return redirect("workspace:home")
    form = OfferForm(request.POST or None, programmes=programmes, initial={"contact": worker})
    if request.method == "POST" and form.is_valid():
        offer = services.offer_save(form=form, worker=worker)
        messages.success(
            request, gettext("“%(title)s” is saved as a draft. Publish it when it is ready.") % {"title": offer.title}
        )
        return redirect("workspace:offer_detail", pk=offer.pk)
    return render(
        request,
        "programmes/workspace_offer_form.html",
        {"title": gettext("New offer"), "form": form, "check": _typed_summary_check(form)},
    )


def _typed_summary_check(form):
    summary = form["summary"].value() or ""
    return plain_language_report(summary, selectors.known_acronyms()) if summary.strip() else None


@login_required
def offer_detail(request, pk):
    worker_or_403(request.user)
    offer = offer_for_editing_or_404(request.user, pk)
    return render(
        request,
        "programmes/workspace_offer_detail.html",
        {
            "title": offer.title,
            "offer": offer,
            "check": plain_language_report(offer.summary, selectors.known_acronyms()),
            "history": selectors.offer_history(offer),
            "publish_problems": services.publish_problems(offer) if offer.status != "published" else [],
        },
    )


@login_required
def offer_edit(request, pk):
    worker = worker_or_403(request.user)
    offer = offer_for_editing_or_404(request.user, pk)
    form = OfferForm(request.POST or None, instance=offer, programmes=programmes_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.offer_save(form=form, worker=worker)
        messages.success(request, gettext("Your changes are saved, and the offer is marked as checked today."))
        return redirect("workspace:offer_detail", pk=offer.pk)
    return render(
        request,
        "programmes/workspace_offer_form.html",
        {"title": gettext("Edit “%(title)s”") % {"title": offer.title}, "form": form, "offer": offer, "check": _typed_summary_check(form)},
    )


def _offer_action(request, pk, action, done_message):
    worker = worker_or_403(request.user)
    offer = offer_for_editing_or_404(request.user, pk)
    try:
        offer = action(offer=offer, worker=worker)
    except services.OfferActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done_message % {"title": offer.title})
    # Only our own workspace home is an allowed return target (no open redirect).
    if request.POST.get("next") == "home":
        return redirect("workspace:home")
    return redirect("workspace:offer_detail", pk=offer.pk)


@login_required
@require_POST
def offer_publish(request, pk):
    return _offer_action(
        request, pk, services.offer_publish, gettext("“%(title)s” is published: providers can see it now.")
    )


@login_required
@require_POST
def offer_retire(request, pk):
    return _offer_action(
        request, pk, services.offer_retire, gettext("“%(title)s” is retired: providers no longer see it.")
    )


@login_required
@require_POST
def offer_mark_reviewed(request, pk):
    return _offer_action(
        request, pk, services.offer_mark_reviewed, gettext("“%(title)s” is marked as checked today.")
    )


@login_required
@require_POST
def summary_check(request):
    """The plain-language check of the summary being typed (htmx, while writing; saves nothing)."""
    worker_or_403(request.user)
    summary = request.POST.get("summary", "")[:5000]
    return render(
        request,
        "programmes/workspace_summary_check.html",
        {"check": plain_language_report(summary, selectors.known_acronyms())},
    )


@login_required
def profile_edit(request):
    worker = worker_or_403(request.user)
    form = WorkerProfileForm(request.POST or None, instance=worker)
    if request.method == "POST" and form.is_valid():
        services.worker_profile_update(form=form, worker=worker)
        messages.success(request, gettext("Your directory entry is updated."))
        return redirect("workspace:home")
    return render(
        request, "programmes/workspace_profile_form.html", {"title": gettext("My directory entry"), "form": form, "worker": worker}
    )


@login_required
def all_offers(request):
    """Every programme's published offers by theme, so workers see where they overlap."""
    worker_or_403(request.user)
    region = None
    if request.GET.get("region"):
        region = get_object_or_404(Region, slug=request.GET["region"])
    theme = None
    page, columns = None, []
    if request.GET.get("theme"):
        theme = get_object_or_404(Theme, slug=request.GET["theme"])
        page, columns = selectors.offers_on_theme_by_programme(
            theme, region=region, page_number=request.GET.get("page")
        )
    return render(
        request,
        "programmes/workspace_all_offers.html",
        {
            "title": gettext("All programmes' offers"),
            "themes": selectors.theme_overlap_summary(region=region),
            "regions": Region.objects.all(),
            "region": region,
            "theme": theme,
            "page": page,
            "columns": columns,
        },
    )
