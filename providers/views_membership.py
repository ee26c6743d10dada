"""/account/ for people who do not (yet) act for an organisation, and the organisation's contacts page.

Someone signed in without an approved membership sees only their own
state: confirm your address, your request is waiting (withdraw it), or ask
to join an organisation. Contacts see who else acts for their organisation,
decide requests to join it, remove a colleague or leave.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .choices import MembershipStatus
from .forms import JoinRequestForm
from .models import Membership, ProviderContact
from .permissions import acting_contact, email_confirmed, may_decide_membership


def newcomer_page(request, form=None):
    """What /account/ shows someone who does not act for an organisation."""
    user = request.user
    if hasattr(user, "worker_profile") and not user.memberships.exists():
        raise Http404("This page is for provider contacts")
    confirmed = email_confirmed(user)
    open_membership = selectors.open_membership_of(user)
    last = open_membership or selectors.last_membership_of(user)
    if confirmed and open_membership is None and form is None:
        form = JoinRequestForm()
    return render(
        request,
        "providers/account_newcomer.html",
        {
            "title": _("Your account") if confirmed else _("Check your email"),
            "confirmed": confirmed,
            "membership": open_membership,
            "last_membership": last if open_membership is None else None,
            "join_form": form,
        },
    )


@login_required
@require_POST
def confirmation_resend(request):
    if email_confirmed(request.user):
        messages.info(request, _("Your email address is already confirmed."))
    elif services.email_confirmation_send(user=request.user):
        messages.success(request, _("We have sent a new link to %(email)s.") % {"email": request.user.email})
    else:
        messages.info(request, _("We sent a link a few minutes ago: give it a little longer, and check your spam folder."))
    return redirect("account:home")


@login_required
@require_POST
def join_request(request):
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        return newcomer_page(request, form=form)
    try:
        membership = services.membership_request(user=request.user, **form.cleaned_data)
    except services.MembershipError as refusal:
        messages.error(request, refusal.message)
    else:
        if membership.status == MembershipStatus.APPROVED:
            messages.success(
                request,
                _("Your address is at a verified domain of %(organisation)s: welcome.")
                % {"organisation": membership.organisation},
            )
        else:
            messages.success(
                request,
                _("Your request is sent. We will email you when %(organisation)s decides.")
                % {"organisation": membership.organisation},
            )
    return redirect("account:home")


@login_required
@require_POST
def join_withdraw(request):
    membership = selectors.open_membership_of(request.user)
    if membership is None or membership.status != MembershipStatus.PENDING:
        raise Http404("No request waiting")
    try:
        services.membership_withdraw(membership=membership, user=request.user)
    except services.MembershipError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Your request is withdrawn."))
    return redirect("account:home")


def _contact_or_404(request):
    contact = acting_contact(request.user)
    if contact is None:
        raise Http404("This page is for provider contacts")
    return contact


@login_required
def contacts(request):
    contact = _contact_or_404(request)
    organisation = contact.organisation
    return render(
        request,
        "providers/account_contacts.html",
        {
            "title": _("%(organisation)s: who acts for it") % {"organisation": organisation.name},
            "contact": contact,
            "organisation": organisation,
            "contacts": selectors.organisation_contacts(organisation),
            "pending": selectors.pending_requests_for(organisation),
        },
    )


def _request_or_404(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("user", "organisation"), pk=pk)
    if not may_decide_membership(request.user, membership):
        raise Http404("No such request")
    return membership


@login_required
@require_POST
def request_approve(request, pk):
    membership = _request_or_404(request, pk)
    try:
        services.membership_approve(membership=membership, by=request.user)
    except services.MembershipError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("%(email)s now acts for %(organisation)s.")
            % {"email": membership.user.email, "organisation": membership.organisation},
        )
    return redirect("account:contacts")


@login_required
@require_POST
def request_decline(request, pk):
    membership = _request_or_404(request, pk)
    try:
        services.membership_decline(membership=membership, by=request.user)
    except services.MembershipError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The request from %(email)s is declined.") % {"email": membership.user.email})
    return redirect("account:contacts")


@login_required
@require_POST
def contact_remove(request, pk):
    mine = _contact_or_404(request)
    colleague = get_object_or_404(ProviderContact.objects.select_related("user"), pk=pk, organisation=mine.organisation)
    try:
        services.contact_remove(contact=colleague, by=request.user)
    except services.MembershipError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("%(email)s no longer acts for %(organisation)s.")
            % {"email": colleague.user.email, "organisation": mine.organisation},
        )
    return redirect("account:contacts")


@login_required
@require_POST
def leave(request):
    mine = _contact_or_404(request)
    services.contact_leave(contact=mine)
    messages.success(request, _("You no longer act for %(organisation)s.") % {"organisation": mine.organisation})
    return redirect("account:home")
