"""/account/: a provider contact's page (priorities, CPD plan; other apps add sections).

Its sections, this app's own included, are registered in programmes.sections.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from programmes.csv_export import csv_response
from programmes.redirects import safe_next
from programmes.sections import ACCOUNT, page_sections
from programmes.selectors import published_offers

from . import services
from .forms_account import PlanAddForm, PlanMoveForm, PlanStatusForm, PrioritiesForm
from .permissions import acting_contact, plan_item_for_user_or_404
from .selectors import plan_items, plan_with_guidance
from .views_membership import newcomer_page

def _contact_or_404(request):
    contact = acting_contact(request.user)
    if contact is None:
        raise Http404("This page is for provider contacts")
    return contact


def _back(request):
    return redirect(safe_next(request, reverse("account:home")))


def _plan_redirect():
    """Back to the plan on the account page, in the page's language (/cy/account/ on a Welsh page)."""
    return redirect(reverse("account:home") + "#plan")


@login_required
def home(request):
    contact = acting_contact(request.user)
    if contact is None:  # not confirmed, waiting for approval, or not (yet) of any organisation
        return newcomer_page(request)
    organisation = contact.organisation
    if request.method == "POST":
        form = PrioritiesForm(request.POST)
        if form.is_valid():
            services.organisation_priorities_update(
                organisation=organisation,
                themes=form.cleaned_data["priorities"],
                audiences=form.cleaned_data["staff_groups"],
            )
            messages.success(request, gettext("Saved. The catalogue now shows offers that match these first."))
            return redirect("account:home")
        messages.error(request, gettext("Your priorities were not saved: see the message below."))
    else:
        form = PrioritiesForm(
            initial={"priorities": organisation.priorities.all(), "staff_groups": organisation.staff_groups.all()}
        )
    section_templates, section_context = page_sections(ACCOUNT, request, contact)
    context = {
        **section_context,
        "contact": contact,
        "organisation": organisation,
        "priorities_form": form,
        "plan_items": plan_with_guidance(organisation, today=timezone.localdate()),
        "status_form": PlanStatusForm(),
        "title": gettext("%(organisation)s: priorities and CPD plan") % {"organisation": organisation.name},
        "account_sections": section_templates,
    }
    return render(request, "providers/account.html", context)


@login_required
@require_POST
def plan_add(request, offer_id):
    contact = _contact_or_404(request)
    offer = get_object_or_404(published_offers(), pk=offer_id)
    placing = PlanAddForm(request.POST, organisation=contact.organisation)
    before = placing.cleaned_data["before"] if placing.is_valid() else None  # a bad value: add it last
    _, created = services.plan_item_add(
        organisation=contact.organisation, offer=offer, user=request.user, before=before
    )
    if created:
        messages.success(request, gettext("“%(offer)s” is now in your CPD plan.") % {"offer": offer.title})
    else:
        messages.info(request, gettext("“%(offer)s” was already in your CPD plan.") % {"offer": offer.title})
    return _back(request)


@login_required
@require_POST
def plan_move(request, pk):
    item = plan_item_for_user_or_404(request.user, pk)
    form = PlanMoveForm(request.POST, organisation=item.organisation_id)
    if form.is_valid():
        if form.cleaned_data["direction"] == "after":
            services.plan_item_move_after(item=item, after=form.cleaned_data["after"])
        else:
            services.plan_item_move(item=item, direction=form.cleaned_data["direction"])
    return _plan_redirect()


@login_required
@require_POST
def plan_status(request, pk):
    item = plan_item_for_user_or_404(request.user, pk)
    form = PlanStatusForm(request.POST)
    if form.is_valid():
        services.plan_item_set_status(item=item, status=form.cleaned_data["status"])
        messages.success(
            request,
            gettext("“%(offer)s” is now marked %(status)s.")
            % {"offer": item.offer.title, "status": item.get_status_display().lower()},
        )
    else:
        messages.error(request, gettext("Choose considering, booked or done."))
    return _plan_redirect()


@login_required
@require_POST
def plan_remove(request, pk):
    item = plan_item_for_user_or_404(request.user, pk)
    title = item.offer.title
    services.plan_item_remove(item=item)
    messages.success(request, gettext("“%(offer)s” was removed from your CPD plan.") % {"offer": title})
    return _plan_redirect()


@login_required
def plan_csv(request):
    contact = _contact_or_404(request)
    organisation = contact.organisation
    filename = f"cpd-plan-{organisation.slug}-{timezone.localdate().isoformat()}.csv"
    header = [
        gettext("Order"), gettext("Offer"), gettext("Programme"), gettext("Status"), gettext("Starts"),
        gettext("Ends"), gettext("Cost"), gettext("Contact"), gettext("Contact email"), gettext("Link"),
    ]
    rows = (_plan_row(request, position, item) for position, item in enumerate(plan_items(organisation), start=1))
    return csv_response(filename, header, rows)


def _plan_row(request, position, item):
    offer = item.offer
    return [
        position,
        offer.title,
        offer.programme.plain_name,
        item.get_status_display(),
        offer.starts_on.isoformat() if offer.starts_on else (gettext("Rolling") if offer.is_rolling else ""),
        offer.ends_on.isoformat() if offer.ends_on else "",
        offer.get_cost_display(),
        offer.contact.name if offer.contact else "",
        offer.contact.contact_email if offer.contact else "",
        request.build_absolute_uri(offer.get_absolute_url()),
    ]
