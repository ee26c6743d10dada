"""Every kind of email leaves through the one outbox, after its transaction commits.

A kind is a template triplet under templates/emails/ (the events' under
emails/events/). SCENARIOS maps each kind to a setup that returns the real
action (a service call) writing it; a test checks the list is complete.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from brokerage.bulletins.services import bulletin_compose_draft, bulletin_send_test, subscription_request
from brokerage.catalogue.services import enquiry_create
from brokerage.insights.digest import weekly_digest_send
from events.booking import booking_cancel, booking_create, booking_seed, event_cancel
from events.evaluations import evaluation_invitations_send
from events.reminders import reminders_send
from events.waitlist import waitlist_offers_withdraw
from people.services import email_language_for
from events.choices import WaitlistStatus
from programmes import tasks
from programmes.choices import OutboxStatus
from programmes.models import OutboxEmail
from programmes.outbox import outbox_drain
from programmes.workspace.reminders import reminder_period_start, review_reminder_send, review_reminders_plan
from providers import services as providers
from providers.forms import OutboxPasswordResetForm
from providers.models import EmailConfirmation
from tests_support import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)  # the suite's frozen clock


def _fair(**event):
    event = factories.JointEventFactory(**event)
    surgery = factories.SurgeryFactory(event=event)
    surgery.hosts.set([factories.RegionalWorkerFactory()])
    return event, surgery, factories.SlotFactory(surgery=surgery)


def _person():
    return factories.ProviderContactFactory().user


def _booked(**event):
    event, surgery, slot = _fair(**event)
    person = _person()
    return event, surgery, slot, booking_seed(user=person, slot_id=slot.pk), person


def booking_confirmation():
    _, _, slot = _fair()
    person = _person()
    return lambda: booking_create(user=person, slot_id=slot.pk)


def booking_cancelled():
    _, surgery, slot, booking, person = _booked()
    factories.WaitlistEntryFactory(surgery=surgery, user=_person())  # is offered the freed place
    return lambda: booking_cancel(booking_id=booking.pk, user=person)


def event_cancelled():
    event, surgery, _, _, _ = _booked()
    factories.WaitlistEntryFactory(surgery=surgery, user=_person())  # told that the list has closed
    return lambda: event_cancel(event_id=event.pk)


def waitlist_offer_withdrawn():
    _, surgery, slot = _fair()
    factories.WaitlistEntryFactory(
        surgery=surgery, user=_person(), status=WaitlistStatus.OFFERED, offered_slot=slot,
        offered_until=NOW + dt.timedelta(hours=12),
    )
    return lambda: waitlist_offers_withdraw(slot_ids=[slot.pk])


def booking_reminder():
    _booked(starts_at=NOW + dt.timedelta(days=1))
    return lambda: reminders_send()


def evaluation_invitation():
    _booked(starts_at=NOW - dt.timedelta(days=2), booking_opens_at=NOW - dt.timedelta(days=9))
    return lambda: evaluation_invitations_send()


def enquiry():
    offer = factories.OfferFactory()
    return lambda: enquiry_create(
        offer=offer, user=None, name="Sam", email="sam@college.example", organisation="", message="A place?"
    )


def offer_review_reminder():
    worker = factories.RegionalWorkerFactory()
    programme = factories.ProgrammeFactory()
    worker.programmes.add(programme)
    factories.OfferFactory(programme=programme, contact=worker, last_reviewed_on=dt.date(2026, 1, 5))
    today = NOW.date()
    review_reminders_plan(today=today)
    return lambda: review_reminder_send(worker_id=worker.pk, period_start=reminder_period_start(today))


def insights_digest(coordinator):
    return lambda: weekly_digest_send(today=NOW.date())


def account_confirm():
    user = factories.UserFactory(email="new@college.example")
    EmailConfirmation.objects.create(user=user)
    return lambda: providers.email_confirmation_send(user=user)


def membership_request():
    organisation = factories.ProviderContactFactory().organisation
    user = factories.UserFactory(email="joiner@college.example")
    return lambda: providers.membership_request(user=user, organisation=organisation)


def membership_decision(coordinator):
    membership = factories.MembershipFactory()
    return lambda: providers.membership_approve(membership=membership, by=coordinator)


def bulletin_confirm():
    return lambda: subscription_request(email="reader@example.org", name="Reader")


def password_reset():
    factories.UserFactory(email="forgetful@example.org")
    form = OutboxPasswordResetForm({"email": "forgetful@example.org"})
    return lambda: form.is_valid() and form.save(domain_override="portal.example")


def bulletin_test(coordinator):
    factories.OfferFactory(is_national=True)
    bulletin = factories.BulletinFactory()
    bulletin_compose_draft(bulletin=bulletin)
    return lambda: bulletin_send_test(
        bulletin=bulletin, to=coordinator.email, name="Coordinator", language=email_language_for(coordinator)
    )


# Kinds rendered their own way (no template triplet of their own): a bulletin's test copy.
RENDERED_ELSEWHERE = {"bulletin_test"}

# kind -> its setup; the setup's action writes (at least) that kind.
SCENARIOS = {
    "booking_confirmation": booking_confirmation,
    "booking_cancelled": booking_cancelled,
    "waitlist_offer": booking_cancelled,
    "event_cancelled": event_cancelled,
    "waitlist_closed": event_cancelled,
    "waitlist_offer_withdrawn": waitlist_offer_withdrawn,
    "booking_reminder": booking_reminder,
    "host_list": booking_reminder,
    "evaluation_invitation": evaluation_invitation,
    "enquiry": enquiry,
    "enquiry_acknowledgement": enquiry,
    "offer_review_reminder": offer_review_reminder,
    "insights_digest": insights_digest,
    "account_confirm": account_confirm,
    "membership_request": membership_request,
    "membership_decision": membership_decision,
    "bulletin_confirm": bulletin_confirm,
    "password_reset": password_reset,
    "bulletin_test": bulletin_test,
}


def arrange(setup, request):
    needs = setup.__code__.co_varnames[: setup.__code__.co_argcount]
    action = setup(*(request.getfixturevalue(name) for name in needs))
    OutboxEmail.objects.all().delete()  # what the setup itself wrote
    return action


def email_templates():
    root = Path(settings.BASE_DIR) / "templates" / "emails"
    return {path.name.removesuffix("_subject.txt") for path in root.rglob("*_subject.txt")}


def test_email_scenarios_cover_every_email_template():
    assert set(SCENARIOS) == email_templates() | RENDERED_ELSEWHERE


@pytest.mark.parametrize("kind", sorted(SCENARIOS))
def test_email_leaves_through_the_outbox_after_commit(kind, request, mailoutbox, django_capture_on_commit_callbacks):
    action = arrange(SCENARIOS[kind], request)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            action()
    written = list(OutboxEmail.objects.filter(kind=kind))
    before_commit = len(mailoutbox)
    for callback in callbacks:  # the commit
        callback()

    assert written and before_commit == 0
    secret = all(row.forget_after_send for row in written)
    rows = OutboxEmail.objects.filter(pk__in=[row.pk for row in written])
    assert list(rows.values_list("status", flat=True)) == ([] if secret else [OutboxStatus.SENT] * len(written))
    sent = sorted((m.subject, m.to) for m in mailoutbox)
    assert all((row.subject, row.to) in sent for row in written)


@pytest.mark.parametrize("kind", sorted(SCENARIOS))
def test_email_rolled_back_is_neither_written_nor_sent(kind, request, mailoutbox, django_capture_on_commit_callbacks):
    action = arrange(SCENARIOS[kind], request)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            action()
            raise RuntimeError("the change fails after writing its email")

    assert (OutboxEmail.objects.filter(kind=kind).count(), mailoutbox) == (0, [])


def test_broker_outage_loses_no_email(request, mailoutbox, monkeypatch, django_capture_on_commit_callbacks):
    actions = [arrange(setup, request) for setup in dict.fromkeys(SCENARIOS.values())]
    mailoutbox.clear()

    def broker_down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.outbox_send, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        for action in actions:
            with transaction.atomic():
                action()
    waiting = set(OutboxEmail.objects.values_list("kind", flat=True))
    held_back = (OutboxEmail.objects.exclude(status=OutboxStatus.PENDING).count(), len(mailoutbox))
    monkeypatch.undo()

    drained = outbox_drain(now=timezone.now())

    assert waiting == set(SCENARIOS) and held_back == (0, 0)
    assert drained == len(mailoutbox) > 0
    assert not OutboxEmail.objects.exclude(status=OutboxStatus.SENT).exists()
    assert outbox_drain(now=timezone.now()) == 0
