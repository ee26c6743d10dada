"""Review reminders through a real Celery worker process into a real SMTP server.

The weekly task is enqueued twice at once (as two overlapping beat processes
would): the worker runs both concurrently, and each regional worker still
receives exactly one email listing their stale offers.
"""

import datetime as dt
from collections import Counter

import pytest

# The real-worker and SMTP harness of the bulletin kill test, reused as is.
from brokerage.bulletins.tests.test_kill_integration import Worker, broker, smtp_sink, wait_for, workers  # noqa: F401
from brokerage.celery import app
from programmes.choices import ReminderStatus
from programmes.models import OfferReviewReminder
from programmes.tasks import review_reminders_weekly
from tests_support import factories

PEOPLE = 20
TODAY = dt.date(2027, 3, 10)


def idle():
    active = app.control.inspect(timeout=0.5).active() or {}
    return all(not tasks for tasks in active.values())


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_review_reminders_real_worker_each_person_emailed_once(broker, smtp_sink, workers):  # noqa: F811
    for n in range(PEOPLE):
        programme = factories.ProgrammeFactory()
        person = factories.RegionalWorkerFactory(
            programmes=[programme], user__email=f"worker{n}@example.org", user__email_language="en-gb"
        )
        for k in range(3):
            factories.OfferFactory(
                programme=programme, contact=person, title=f"Stale offer {n}-{k}", last_reviewed_on=dt.date(2026, 8, 1)
            )
    worker = Worker("reminders", smtp_sink.port)
    workers.append(worker)
    worker.wait_ready()

    review_reminders_weekly.delay(today=TODAY.isoformat())
    review_reminders_weekly.delay(today=TODAY.isoformat())
    rows = OfferReviewReminder.objects.all()
    wait_for(lambda: rows.count() == PEOPLE * 3 and not rows.exclude(status=ReminderStatus.SENT).exists(), 120,
             "every reminder to be sent")
    wait_for(lambda: broker.llen("celery") == 0 and idle(), 60, "the queue to drain")

    received = Counter(rcpt for rcpts, _ in smtp_sink.handler.parsed() for rcpt in rcpts)
    assert received == Counter({f"worker{n}@example.org": 1 for n in range(PEOPLE)})
    _, first = smtp_sink.handler.parsed()[0]
    text = first.get_body(("plain",)).get_content()
    assert text.count("Stale offer") == 3
