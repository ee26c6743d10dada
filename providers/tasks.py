"""Celery tasks for accounts and join requests: ids in, one email out; enqueued after commit."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from .choices import MembershipStatus
from .emails import triplet_message
from .models import Membership
from .selectors import approver_emails

RETRY = {"bind": True, "max_retries": 5, "default_retry_delay": 60, "acks_late": True}


def _send(task, message):
    try:
        message.send()
    except (OSError, ConnectionError) as error:  # SMTP unreachable or refused: try again later
        raise task.retry(exc=error)


@shared_task(name="providers.send_email_confirmation", **RETRY)
def send_email_confirmation(self, user_id):
    from .services import CONFIRM_MAX_AGE, email_confirmation_token

    user = get_user_model().objects.filter(pk=user_id, email_confirmation__confirmed_at__isnull=True).first()
    if user is None:  # confirmed meanwhile, or deleted
        return
    link = settings.SITE_URL + reverse("email_confirm", args=[email_confirmation_token(user)])
    days = CONFIRM_MAX_AGE.days
    # The name was typed by whoever signed up, perhaps not the owner of the
    # address: it stays out of the email.
    _send(self, triplet_message("account_confirm", {"link": link, "days": days}, to=[user.email]))


@shared_task(name="providers.notify_membership_deciders", **RETRY)
def notify_membership_deciders(self, membership_id):
    """Ask the organisation's contacts (or, if it has none, the brokerage team) to decide a request."""
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(pk=membership_id, status=MembershipStatus.PENDING).first()
    )
    if membership is None:
        return
    to = approver_emails(membership.organisation) or [settings.ENQUIRY_FALLBACK_EMAIL]
    has_contacts = to != [settings.ENQUIRY_FALLBACK_EMAIL]
    link = settings.SITE_URL + (reverse("account:contacts") if has_contacts else
                                reverse("admin:providers_membership_changelist") + "?status__exact=pending")
    context = {"membership": membership, "person": membership.user, "organisation": membership.organisation,
               "link": link}
    _send(self, triplet_message("membership_request", context, to=to))


@shared_task(name="providers.notify_membership_decision", **RETRY)
def notify_membership_decision(self, membership_id):
    """Tell the person their request was approved or declined."""
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(pk=membership_id, status__in=[MembershipStatus.APPROVED, MembershipStatus.DECLINED]).first()
    )
    if membership is None or not membership.user.email:
        return
    context = {"membership": membership, "organisation": membership.organisation,
               "approved": membership.status == MembershipStatus.APPROVED,
               "link": settings.SITE_URL + reverse("account:home")}
    _send(self, triplet_message("membership_decision", context, to=[membership.user.email]))
