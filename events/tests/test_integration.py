"""Booking emails through a real Celery worker process into a real SMTP server.

PostgreSQL + Redis run only. The booking's outbox row is enqueued when its
transaction commits; a real `celery -A brokerage worker` sends it to aiosmtpd,
and the message is parsed back (its .ics too). With the broker unreachable at
booking time, the booking still succeeds and the drain task, once the broker
answers again, delivers the email exactly once.
"""

import pytest
from icalendar import Calendar
from kombu.exceptions import OperationalError as BrokerError

# The real-worker and SMTP harness of the bulletin kill test, reused as is.
from brokerage.bulletins.tests.test_kill_integration import Worker, broker, smtp_sink, wait_for, workers  # noqa: F401
from brokerage.celery import app
from events.booking import booking_create
from events.tests.conftest import make_slots
from programmes import tasks
from programmes.choices import OutboxStatus
from programmes.models import OutboxEmail
from tests_support import factories

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def booking_setup(db):
    surgery = factories.SurgeryFactory(title="Leadership surgery")
    slot = make_slots(surgery, 1)[0]
    person = factories.ProviderContactFactory(user=factories.UserFactory(username="rhian@college.example")).user
    return slot, person


def received_by(sink, address):
    return [message for recipients, message in sink.handler.parsed() if address in recipients]


def test_confirmation_sent_by_a_real_worker_with_its_ics(broker, smtp_sink, workers, booking_setup):  # noqa: F811
    slot, person = booking_setup
    worker = Worker("events-mail", smtp_sink.port)
    workers.append(worker)
    worker.wait_ready()

    booking = booking_create(user=person, slot_id=slot.pk)
    wait_for(lambda: OutboxEmail.objects.filter(status=OutboxStatus.SENT).count() == 1, 60, "the email to be sent")

    (message,) = received_by(smtp_sink, person.email)
    assert "Booked: Leadership surgery" in str(message["Subject"])  # the English half (no language chosen: both)
    (attachment,) = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    cal = Calendar.from_ical(attachment.get_content())
    (vevent,) = cal.walk("VEVENT")
    assert vevent.decoded("dtstart") == slot.starts_at.replace(microsecond=0)  # iCalendar keeps whole seconds
    assert str(vevent["uid"]).startswith(f"booking-{booking.pk}@")


def test_broker_down_at_booking_email_sent_once_when_it_is_back(
    broker, smtp_sink, workers, booking_setup, monkeypatch  # noqa: F811
):
    slot, person = booking_setup
    dead = app.connection_for_write("redis://127.0.0.1:1/0")
    real_apply_async = tasks.outbox_send.apply_async

    def publish_to_a_dead_broker(*args):
        # The real publish path, to a port nothing listens on: kombu raises OperationalError.
        return real_apply_async(args, connection=dead, retry=True, retry_policy={"max_retries": 1})

    monkeypatch.setattr(tasks.outbox_send, "delay", publish_to_a_dead_broker)
    with pytest.raises(BrokerError):
        publish_to_a_dead_broker(0)
    booking = booking_create(user=person, slot_id=slot.pk)
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert OutboxEmail.objects.get().status == OutboxStatus.PENDING
    queued = [m for m in broker.lrange("celery", 0, -1) if b"programmes.outbox_send" in m]
    assert queued == []

    monkeypatch.undo()  # the broker is back
    worker = Worker("events-drain", smtp_sink.port)
    workers.append(worker)
    worker.wait_ready()
    tasks.outbox_drain.delay()  # as beat does every minute
    tasks.outbox_drain.delay()  # and a second, overlapping run sends nothing twice
    wait_for(lambda: OutboxEmail.objects.get().status == OutboxStatus.SENT, 60, "the drain to send the email")
    wait_for(lambda: broker.llen("celery") == 0, 30, "the queue to empty")
    assert len(received_by(smtp_sink, person.email)) == 1
