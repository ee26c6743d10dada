"""Writes about provider organisations and their contacts."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from people.services import preferences_save

from . import emails
from .choices import OPEN_MEMBERSHIP_STATUSES, MembershipStatus
from .models import EmailConfirmation, Membership, PlanItem, ProviderContact, ProviderOrganisation, VerifiedDomain
from .permissions import email_confirmed


def unique_slug(model, text, max_length=200):
    base = slugify(text)[: max_length - 8] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class MembershipError(Exception):
    """An expected refusal, with a message for the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


CONFIRM_SALT = "providers.email_confirmation"
CONFIRM_MAX_AGE = dt.timedelta(days=3)
CONFIRMATION_INTERVAL = dt.timedelta(minutes=5)


def normalise_email(email):
    return email.strip().lower()


def email_in_use(email, *, exclude_user=None):
    """Is this address (compared case-insensitively) already an account's address or username?

    auth.User cannot carry our functional unique constraint (it is Django's
    model, not ours), so sign-up checks here, and sign-up is the only place
    strangers create accounts.
    """
    users = get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
    if exclude_user is not None:
        users = users.exclude(pk=exclude_user.pk)
    return users.exists()


def email_domain(email):
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""


@transaction.atomic
def provider_account_register(*, form, language=""):
    """Create the account (unconfirmed), the organisation if it is new, and a pending request to join it.

    Nothing of the organisation is the person's until their address is
    confirmed and the request approved. The confirmation link leaves after commit.
    """
    email = normalise_email(form.cleaned_data["email"])
    # A lock-free check: the form checked too; two sign-ups racing for one
    # address within milliseconds meet the username's unique constraint.
    if email_in_use(email):
        raise MembershipError(gettext("An account already uses this address. Sign in or reset your password."))
    user = form.save(commit=False)
    user.username = email
    user.email = email
    user.save()
    EmailConfirmation.objects.create(user=user)
    # The website in the language they signed up in; emails in the one they chose (both if none).
    preferences_save(user=user, language=language, email_language=form.cleaned_data.get("email_language", ""))
    organisation = form.cleaned_data.get("organisation")
    if organisation is None:
        name = form.cleaned_data["new_organisation_name"]
        organisation = ProviderOrganisation.objects.create(
            name=name,
            slug=unique_slug(ProviderOrganisation, name),
            kind=form.cleaned_data["new_organisation_kind"],
            region=form.cleaned_data["new_organisation_region"],
        )
    Membership.objects.create(
        user=user,
        organisation=organisation,
        job_title=form.cleaned_data.get("job_title", ""),
        reason=form.cleaned_data.get("reason", ""),
    )
    email_confirmation_send(user=user)
    return user


# --- Proving an email address ------------------------------------------------


def email_confirmation_token(user):
    """A signed link token naming the account and the address it proves; valid for CONFIRM_MAX_AGE."""
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object({"u": user.pk, "e": user.email})


def email_confirmation_send(*, user):
    """Mail a fresh link (at most one per CONFIRMATION_INTERVAL). Returns whether one was sent."""
    now = timezone.now()
    # Compare-and-set, so two clicks on "resend" send one email.
    sent = EmailConfirmation.objects.filter(user=user, confirmed_at__isnull=True).filter(
        Q(sent_at__isnull=True) | Q(sent_at__lte=now - CONFIRMATION_INTERVAL)
    ).update(sent_at=now)
    if sent:
        link = settings.SITE_URL + reverse("email_confirm", args=[email_confirmation_token(user)])
        emails.email_confirmation_queue(user=user, link=link, days=CONFIRM_MAX_AGE.days)
    return bool(sent)


def email_confirmation_payload(token):
    """The account id and address a link names; raises signing.BadSignature if tampered or expired."""
    return signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(token, max_age=CONFIRM_MAX_AGE)


def email_confirm(*, token):
    """Confirm the address a link was sent to; raises signing.BadSignature if tampered, expired or stale.

    Then the person's pending request reaches its deciders (or is approved
    at once by a verified domain). Returns the user.
    """
    payload = email_confirmation_payload(token)
    with transaction.atomic():
        confirmation = (
            EmailConfirmation.objects.select_for_update().select_related("user")
            .filter(user_id=payload["u"], user__email=payload["e"]).first()
        )
        if confirmation is None:
            raise signing.BadSignature("The account or its address has changed since the link was sent.")
        user = confirmation.user
        if confirmation.confirmed_at is None:
            confirmation.confirmed_at = timezone.now()
            confirmation.save(update_fields=["confirmed_at"])
            pending = Membership.objects.filter(user=user, status=MembershipStatus.PENDING).first()
            if pending is not None:
                _membership_submitted(pending)
    return user


# --- Joining an organisation -------------------------------------------------


def membership_request(*, user, organisation, reason="", job_title=""):
    """Ask to act for an organisation. Raises MembershipError if the person already has an open one."""
    if not email_confirmed(user):
        raise MembershipError(gettext("Confirm your email address first: follow the link we sent you."))
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, organisation=organisation, reason=reason, job_title=job_title
            )
            _membership_submitted(membership)
    except IntegrityError:  # membership_one_open_per_user
        raise MembershipError(
            gettext("You already have a request waiting or act for an organisation: withdraw or leave it first.")
        ) from None
    membership.refresh_from_db()
    return membership


def _membership_submitted(membership):
    """A confirmed person's pending request: a verified domain approves it, otherwise its deciders hear of it."""
    domain = email_domain(membership.user.email)
    if domain and VerifiedDomain.objects.filter(organisation_id=membership.organisation_id, domain=domain).exists():
        _approve(membership, by=None, reason=f"Approved: {domain} is a verified domain of the organisation")
        return
    emails.membership_request_queue(membership=membership)


def _locked_pending(membership):
    """The membership, locked, if still pending; a second click on approve or decline finds it decided."""
    locked = Membership.objects.select_for_update().select_related("user").filter(pk=membership.pk).first()
    if locked is None or locked.status != MembershipStatus.PENDING:
        raise MembershipError(gettext("This request has already been decided or withdrawn."))
    return locked


def _decide(membership, *, status, by, reason):
    membership.status = status
    membership.decided_by = by
    membership.decided_at = timezone.now()
    membership._change_reason = reason
    membership._history_user = by
    membership.save(update_fields=["status", "decided_by", "decided_at"])


def _approve(membership, *, by, reason):
    _decide(membership, status=MembershipStatus.APPROVED, by=by, reason=reason)
    contact = ProviderContact.objects.filter(user=membership.user).first() or ProviderContact(user=membership.user)
    contact.organisation = membership.organisation
    contact.job_title = membership.job_title or contact.job_title
    contact._change_reason = reason
    contact._history_user = by
    contact.save()
    emails.membership_decision_queue(membership=membership)


@transaction.atomic
def membership_approve(*, membership, by):
    """An approved contact of the organisation, or a coordinator, approves a pending request."""
    membership = _locked_pending(membership)
    if not email_confirmed(membership.user):
        raise MembershipError(gettext("This person has not confirmed their email address yet."))
    who = by.get_full_name() or by.get_username()
    _approve(membership, by=by, reason=f"Approved by {who}")
    return membership


@transaction.atomic
def membership_decline(*, membership, by):
    membership = _locked_pending(membership)
    who = by.get_full_name() or by.get_username()
    _decide(membership, status=MembershipStatus.DECLINED, by=by, reason=f"Declined by {who}")
    emails.membership_decision_queue(membership=membership)
    return membership


@transaction.atomic
def membership_withdraw(*, membership, user):
    """The person withdraws their own pending request."""
    if membership.user_id != user.pk:
        raise MembershipError(gettext("This is not your request."))
    membership = _locked_pending(membership)
    _decide(membership, status=MembershipStatus.WITHDRAWN, by=user, reason="Withdrawn by the person")
    return membership


def _end_contact(contact, *, status, by, reason):
    membership = (
        Membership.objects.select_for_update()
        .filter(user_id=contact.user_id, organisation_id=contact.organisation_id, status=MembershipStatus.APPROVED)
        .first()
    )
    if membership is None:  # a contact a coordinator added by hand: record the ending all the same
        membership = Membership(
            user_id=contact.user_id, organisation_id=contact.organisation_id, job_title=contact.job_title
        )
    _decide(membership, status=status, by=by, reason=reason)
    if membership.pk is None:
        membership.save()
    contact._change_reason = reason
    contact._history_user = by
    contact.delete()
    return membership


@transaction.atomic
def contact_remove(*, contact, by):
    """An approved contact removes a colleague from the organisation (not themselves: they leave)."""
    contact = ProviderContact.objects.select_for_update().select_related("user").filter(pk=contact.pk).first()
    if contact is None:
        raise MembershipError(gettext("This person no longer acts for the organisation."))
    if contact.user_id == by.pk:
        raise MembershipError(gettext("To stop acting for the organisation yourself, leave it."))
    who = by.get_full_name() or by.get_username()
    return _end_contact(contact, status=MembershipStatus.REMOVED, by=by, reason=f"Removed by {who}")


@transaction.atomic
def contact_leave(*, contact):
    """A contact stops acting for their organisation."""
    contact = ProviderContact.objects.select_for_update().select_related("user").filter(pk=contact.pk).first()
    if contact is None:
        raise MembershipError(gettext("You no longer act for the organisation."))
    return _end_contact(contact, status=MembershipStatus.LEFT, by=contact.user, reason="Left the organisation")


@transaction.atomic
def contact_enrol(*, user, organisation, job_title="", reason=""):
    """Make the person an approved contact at once (the demo loader, coordinators' set-up); idempotent."""
    membership = Membership.objects.filter(user=user, status__in=OPEN_MEMBERSHIP_STATUSES).first()
    if membership is not None and membership.organisation_id != organisation.pk:
        _decide(membership, status=MembershipStatus.WITHDRAWN, by=None, reason="Enrolled elsewhere")
        ProviderContact.objects.filter(user=user).delete()
        membership = None
    if membership is None:
        membership = Membership(user=user, organisation=organisation, job_title=job_title, reason=reason)
    if membership.status != MembershipStatus.APPROVED or membership.pk is None:
        membership.status = MembershipStatus.APPROVED
        membership.decided_at = timezone.now()
        membership._change_reason = "Enrolled"
        membership.save()
    contact, _ = ProviderContact.objects.update_or_create(
        user=user, defaults={"organisation": organisation, "job_title": job_title}
    )
    return contact


@transaction.atomic
def organisation_priorities_update(*, organisation, themes, audiences):
    organisation.priorities.set(themes)
    organisation.staff_groups.set(audiences)


def plan_item_add(*, organisation, offer, user, before=None):
    """Add an offer to the organisation's plan: at the end, or just before the item `before`.

    Adding it twice keeps one item (where it was).
    """
    existing = PlanItem.objects.filter(organisation=organisation, offer=offer).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            items = _plan_locked(organisation.pk)
            last = max((other.position for other in items), default=0)
            item = PlanItem.objects.create(
                organisation=organisation, offer=offer, added_by=user, position=last + 1
            )
            index = next((i for i, other in enumerate(items) if before is not None and other.pk == before.pk), None)
            if index is not None:
                items.insert(index, item)
                _plan_renumber(items)
        return item, True
    except IntegrityError:  # a colleague added it at the same moment: the unique constraint kept one
        return PlanItem.objects.get(organisation=organisation, offer=offer), False


def _plan_locked(organisation_id):
    """The organisation's plan items in order, locked so that two reorderings do not interleave."""
    return list(
        PlanItem.objects.select_for_update().filter(organisation_id=organisation_id).order_by("position", "added_at", "pk")
    )


def _plan_renumber(items):
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])


@transaction.atomic
def plan_item_move(*, item, direction):
    """Swap the item with its neighbour above ("up") or below ("down"), renumbering the plan."""
    items = _plan_locked(item.organisation_id)
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    _plan_renumber(items)


@transaction.atomic
def plan_item_move_after(*, item, after):
    """Put the item just after `after` (an item of the same plan), renumbering the plan."""
    items = [other for other in _plan_locked(item.organisation_id) if other.pk != item.pk]
    index = next((i for i, other in enumerate(items) if other.pk == after.pk), None)
    if index is None:  # removed by a colleague meanwhile, or not of this plan: leave the order as it is
        return
    items.insert(index + 1, item)
    _plan_renumber(items)


def plan_item_set_status(*, item, status):
    item.status = status
    item.save(update_fields=["status"])


def plan_item_remove(*, item):
    item.delete()
