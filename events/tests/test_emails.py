"""Each email: who gets it, what it says, the .ics parsed back; the outbox under faults."""

import datetime as dt
import smtplib

import pytest
from django.utils import timezone
from icalendar import Calendar
from kombu.exceptions import OperationalError as BrokerError

from events.booking import booking_cancel, booking_create, event_cancel
from events.choices import WaitlistStatus
from events.evaluations import evaluation_invitations_send
from events.models import WaitlistEntry
from events.reminders import reminders_send
from events.tests.conftest import make_provider
from events.waitlist import waitlist_join, waitlist_leave
from programmes import outbox, tasks
from programmes.choices import OutboxStatus
from programmes.models import OutboxEmail
from tests_support import factories

pytestmark = pytest.mark.django_db


def book(user, slot, **kwargs):
    return booking_create(user=user, slot_id=slot.pk, **kwargs)


def ics_of(message):
    (name, content, mimetype), = message.attachments
    assert (name, mimetype) == ("surgery.ics", "text/calendar")
    return Calendar.from_ical(content)


def test_confirmation_email_goes_to_the_booker_with_a_valid_ics(
    provider, slots, host, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(provider, slots[0], questions="Can we fund a maths coach?")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    local = timezone.localtime(slots[0].starts_at)
    assert message.to == [provider.email]
    assert message.subject == f"Booked: Maths teaching excellence, {local:%-d %B} at {local:%H:%M}"
    assert "Hana Host" in message.body and "Can we fund a maths coach?" in message.body
    assert "Room 2" in message.body
    html = message.alternatives[0][0]
    assert "Your surgery at South West Learning Fair is booked." in html
    cal = ics_of(message)
    (vevent,) = cal.walk("VEVENT")
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert vevent.decoded("dtstart") == slots[0].starts_at
    assert vevent.decoded("dtend") == slots[0].ends_at
    assert str(vevent["dtstart"].params["TZID"]) == "Europe/London"
    assert str(vevent["uid"]).startswith(f"booking-{booking.pk}@")
    assert str(cal["method"]) == "PUBLISH"
    assert OutboxEmail.objects.get().status == OutboxStatus.SENT


def test_confirmation_email_subject_keeps_the_surgery_title_as_typed(
    provider, slots, mailoutbox, django_capture_on_commit_callbacks
):
    surgery = slots[0].surgery
    surgery.title = "Maths & English: O'Brien's clinic"
    surgery.save()

    with django_capture_on_commit_callbacks(execute=True):
        book(provider, slots[0])

    local = timezone.localtime(slots[0].starts_at)
    assert [m.subject for m in mailoutbox] == [
        f"Booked: Maths & English: O'Brien's clinic, {local:%-d %B} at {local:%H:%M}"
    ]


def test_confirmation_email_does_not_open_with_the_account_name(
    provider, slots, mailoutbox, django_capture_on_commit_callbacks
):
    # Sign-up does not yet prove the address: the name may be a stranger's text.
    provider.first_name = "Your account is suspended: sign in at https://evil.example"
    provider.save()

    with django_capture_on_commit_callbacks(execute=True):
        book(provider, slots[0])

    [message] = mailoutbox
    assert message.body.startswith("Hello,\n")
    assert "evil.example" not in message.body and "evil.example" not in message.alternatives[0][0]


def test_cancellation_email_carries_a_cancelling_ics(provider, slots, mailoutbox, django_capture_on_commit_callbacks):
    booking = book(provider, slots[0])
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking_id=booking.pk, user=provider)
    (message,) = mailoutbox
    assert message.to == [provider.email]
    assert message.subject.startswith("Cancelled: Maths teaching excellence")
    cal = ics_of(message)
    (vevent,) = cal.walk("VEVENT")
    assert (str(cal["method"]), str(vevent["status"])) == ("CANCEL", "CANCELLED")
    assert str(vevent["uid"]).startswith(f"booking-{booking.pk}@")


def test_event_cancel_emails_everyone_booked_and_frees_slots(
    fair, slots, provider, mailoutbox, django_capture_on_commit_callbacks
):
    other = make_provider("other")
    book(provider, slots[0])
    book(other, slots[1])
    cancelled_before = make_provider("gone")
    booking_cancel(booking_id=book(cancelled_before, slots[2]).pk, user=cancelled_before)
    with django_capture_on_commit_callbacks(execute=True):
        assert event_cancel(event_id=fair.pk) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([provider.email, other.email])
    assert all(m.subject == "Event cancelled: South West Learning Fair" for m in mailoutbox)
    assert [s.booked_count for s in type(slots[0]).objects.filter(surgery__event=fair)] == [0, 0, 0]


def test_event_cancel_emails_everyone_on_a_waiting_list_that_it_has_closed(
    fair, surgery, mailoutbox, django_capture_on_commit_callbacks
):
    from events.tests.conftest import make_slots

    slot = make_slots(surgery, 1, capacity=2)[0]
    booked, leaving = make_provider("booked"), make_provider("leaving")
    book(booked, slot)
    booking = book(leaving, slot)
    held, waiting, left = make_provider("held"), make_provider("waiting"), make_provider("left")
    for person in (held, waiting, left):
        waitlist_join(user=person, surgery_id=surgery.pk)
    waitlist_leave(user=left, entry_id=WaitlistEntry.objects.get(user=left).pk)
    booking_cancel(booking_id=booking.pk, user=leaving)  # the place is held for `held`
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert event_cancel(event_id=fair.pk) == 1

    by_person = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_person) == sorted([booked.email, held.email, waiting.email])
    assert by_person[booked.email].subject == "Event cancelled: South West Learning Fair"
    for person in (held, waiting):
        message = by_person[person.email]
        assert message.subject == "Waiting list closed: Maths teaching excellence"
        assert "South West Learning Fair has been cancelled, so this surgery's waiting list has closed" in message.body
        assert "removed the surgery" not in message.body
    assert "the place held for you is withdrawn" in by_person[held.email].body
    assert "the place held for you is withdrawn" not in by_person[waiting.email].body
    statuses = dict(WaitlistEntry.objects.values_list("user_id", "status"))
    assert statuses == {held.pk: WaitlistStatus.EXPIRED, waiting.pk: WaitlistStatus.EXPIRED, left.pk: WaitlistStatus.LEFT}


def test_waitlist_offer_email_names_the_deadline(surgery, mailoutbox, django_capture_on_commit_callbacks):
    from events.tests.conftest import make_slots

    slot = make_slots(surgery, 1)[0]
    holder, waiting = make_provider("holder"), make_provider("waiting")
    booking = book(holder, slot)
    waitlist_join(user=waiting, surgery_id=surgery.pk)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking_id=booking.pk, user=holder, now=now)
    offer = [m for m in mailoutbox if m.to == [waiting.email]]
    assert len(offer) == 1
    until = timezone.localtime(now + dt.timedelta(hours=24))
    assert f"{until:%H:%M}" in offer[0].body
    assert f"#surgery-{surgery.pk}" in offer[0].body


def test_reminder_sent_once_the_day_before_and_never_for_cancelled(
    fair, slots, provider, mailoutbox, django_capture_on_commit_callbacks
):
    kept = book(provider, slots[0])
    gone_user = make_provider("gone")
    gone = book(gone_user, slots[1])
    booking_cancel(booking_id=gone.pk, user=gone_user)
    day_before = slots[0].starts_at - dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(now=day_before - dt.timedelta(days=1)) == 0
        assert reminders_send(now=day_before) == 1
        assert reminders_send(now=day_before + dt.timedelta(hours=1)) == 0
    reminders = [m for m in mailoutbox if m.subject.startswith("Tomorrow:")]
    assert [m.to for m in reminders] == [[provider.email]]
    kept.refresh_from_db()
    assert kept.reminded_at == day_before
    assert OutboxEmail.objects.filter(kind="booking_reminder").count() == 1


def test_host_list_lists_bookings_with_questions(fair, slots, host, provider, mailoutbox, django_capture_on_commit_callbacks):
    theme = factories.ThemeFactory(name="Digital learning")
    book(provider, slots[0], questions="What does the e-guide course involve?", priorities=[theme])
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(now=slots[0].starts_at - dt.timedelta(days=1))
        reminders_send(now=slots[0].starts_at - dt.timedelta(hours=23))
    (host_mail,) = [m for m in mailoutbox if m.to == [host.contact_email]]
    assert host_mail.subject == "Your surgery bookings: Maths teaching excellence (South West Learning Fair)"
    assert "What does the e-guide course involve?" in host_mail.body
    assert "Digital learning" in host_mail.body
    assert "Priya Provider" in host_mail.body


def test_evaluation_invitation_once_per_attendee_only(fair, slots, provider, mailoutbox, django_capture_on_commit_callbacks):
    book(provider, slots[0])
    book(provider, slots[1])
    leaver = make_provider("leaver")
    booking_cancel(booking_id=book(leaver, slots[2]).pk, user=leaver)
    after = fair.ends_at + dt.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert evaluation_invitations_send(now=fair.ends_at - dt.timedelta(hours=1)) == 0
        assert evaluation_invitations_send(now=after) == 1
        assert evaluation_invitations_send(now=after + dt.timedelta(hours=1)) == 0
    invitations = [m for m in mailoutbox if m.subject.startswith("How was")]
    assert [m.to for m in invitations] == [[provider.email]]
    assert f"/events/{fair.slug}/evaluation/" in invitations[0].body


def test_broker_down_booking_succeeds_and_drain_sends_later(
    provider, slots, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.outbox_send, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(provider, slots[0])
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    row = OutboxEmail.objects.get()
    assert (row.status, len(mailoutbox)) == (OutboxStatus.PENDING, 0)
    monkeypatch.undo()
    assert tasks.outbox_drain.apply().get() == 1
    row.refresh_from_db()
    assert (row.status, [m.to for m in mailoutbox]) == (OutboxStatus.SENT, [[provider.email]])
    assert tasks.outbox_drain.apply().get() == 0
    assert len(mailoutbox) == 1


def test_outbox_row_delivered_twice_is_sent_once(provider, slots, mailoutbox):
    book(provider, slots[0])
    row = OutboxEmail.objects.get()
    assert outbox.outbox_deliver(row.pk) is True
    assert outbox.outbox_deliver(row.pk) is False
    assert len(mailoutbox) == 1


def test_outbox_smtp_outage_keeps_the_row_for_a_retry(provider, slots, mailoutbox, monkeypatch):
    book(provider, slots[0])
    row = OutboxEmail.objects.get()

    def smtp_down(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", smtp_down)
    assert outbox.outbox_deliver(row.pk) is False
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    monkeypatch.undo()
    assert outbox.outbox_drain() == 0  # backing off
    assert outbox.outbox_drain(now=timezone.now() + dt.timedelta(minutes=1)) == 1
    assert len(mailoutbox) == 1


def test_outbox_refused_recipient_is_a_permanent_failure(provider, slots, mailoutbox, monkeypatch):
    book(provider, slots[0])
    row = OutboxEmail.objects.get()

    def refused(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({provider.email: (550, b"No such user")})

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refused)
    outbox.outbox_deliver(row.pk)
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED
    assert outbox.outbox_drain() == 0


def test_outbox_row_stuck_in_sending_is_requeued_by_the_drain(provider, slots, mailoutbox):
    book(provider, slots[0])
    stuck_since = timezone.now() - dt.timedelta(hours=1)
    OutboxEmail.objects.update(status=OutboxStatus.SENDING, claimed_at=stuck_since)
    assert outbox.outbox_drain() == 1
    assert len(mailoutbox) == 1
