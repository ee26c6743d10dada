"""One judgement of SMTP failures and one claim, shared by the outbox and the bulletin sender."""

import datetime as dt
import smtplib

import pytest

from programmes.choices import OutboxStatus
from programmes.claims import failure_outcome, retry_delay, rows_claim
from programmes.models import OutboxEmail

REFUSED_FOR_GOOD = smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")})
REFUSED_FOR_NOW = smtplib.SMTPRecipientsRefused({"a@example.org": (450, b"Mailbox busy")})
REFUSED_MIXED = smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No"), "b@example.org": (451, b"Later")})


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (REFUSED_FOR_GOOD, ("failed", True)),
        (REFUSED_FOR_NOW, ("pending", False)),
        (REFUSED_MIXED, ("pending", False)),  # one address may still take it later
        (smtplib.SMTPSenderRefused(553, b"Sender rejected", "hello@example.org"), ("failed", True)),
        (smtplib.SMTPDataError(554, b"Message rejected"), ("failed", True)),
        (smtplib.SMTPDataError(421, b"Try again later"), ("pending", False)),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), ("pending", False)),
        (ConnectionRefusedError(111, "Connection refused"), ("pending", False)),
        (TimeoutError("timed out"), ("pending", False)),
    ],
    ids=["550-refused", "450-refused", "mixed-refused", "553-sender", "554-data", "421-data", "disconnected",
         "refused-connection", "timeout"],
)
def test_failure_outcome_permanent_only_for_5xx(error, outcome):
    failure = failure_outcome(error, attempts=1, max_attempts=5)

    assert (failure.status, failure.permanent) == outcome


def test_failure_outcome_gives_up_after_the_last_attempt_without_calling_it_permanent():
    error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    failure = failure_outcome(error, attempts=5, max_attempts=5)

    assert (failure.status, failure.permanent) == ("failed", False)
    assert failure.reason == "Gave up after 5 attempts: SMTPServerDisconnected: Connection unexpectedly closed"


def test_failure_reason_names_the_refused_address_and_code():
    assert failure_outcome(REFUSED_FOR_GOOD, attempts=1, max_attempts=5).reason == "a@example.org: 550 b'No such user'"


def test_retry_delay_doubles_with_each_attempt():
    assert [retry_delay(n, base_seconds=60).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


@pytest.mark.django_db
def test_rows_claim_claims_a_pending_row_once_and_counts_the_attempt():
    row = OutboxEmail.objects.create(key="k", kind="test", to=["a@example.org"], subject="S", body="B")
    now = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)

    first = rows_claim(OutboxEmail.objects.filter(pk=row.pk), now=now)
    second = rows_claim(OutboxEmail.objects.filter(pk=row.pk), now=now)

    row.refresh_from_db()
    assert (first, second) == (1, 0)
    assert (row.status, row.attempts, row.claimed_at) == (OutboxStatus.SENDING, 1, now)
