"""Claiming rows of work with a compare-and-set update, shared by every sender.

A row to send (an outbox email, a bulletin delivery, a review reminder) moves
`pending -> sending` in one UPDATE guarded by its status, counting the attempt
and stamping `claimed_at`; only the caller whose UPDATE changed the row sends
it, so a task delivered twice sends nothing twice. The claim commits before
any SMTP, so a slow mail server holds no locks. A failure is judged once
(`failure_outcome`): permanent, given up after the last attempt, or retried
after an exponential back-off. Rows left "sending" by a sender that died go
back to pending with `claims_release_lapsed`.

The models using it keep the fields `status`, `attempts`, `claimed_at`
(and `claim_token` when a sender must tell its rows from another's).
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .emails import smtp_failure_describe, smtp_failure_is_permanent

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


def rows_claim(queryset, *, token=None, now=None, skip_locked=False):
    """Claim the pending rows of `queryset` for this caller; returns how many it claimed."""
    fields = {"status": SENDING, "attempts": F("attempts") + 1, "claimed_at": now or timezone.now()}
    if token is not None:
        fields["claim_token"] = token
    with transaction.atomic():
        pending = queryset.filter(status=PENDING)
        if skip_locked:
            # Rows another sender holds are skipped, not waited for (PostgreSQL;
            # SQLite serialises writers and the status guard decides).
            free = list(pending.select_for_update(skip_locked=True).values_list("pk", flat=True))
            pending = queryset.model.objects.filter(pk__in=free, status=PENDING)
        return pending.update(**fields)


def claims_release_lapsed(queryset, *, before, **fields):
    """Hand back rows claimed before `before` and still "sending": their sender died."""
    return queryset.filter(status=SENDING, claimed_at__lt=before).update(status=PENDING, **fields)


def retry_delay(attempts, *, base_seconds):
    """Exponential back-off: base, 2 x base, 4 x base... after the 1st, 2nd, 3rd failed attempt."""
    return dt.timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0))


@dataclass(frozen=True)
class Failure:
    status: str  # FAILED (give up) or PENDING (retry)
    permanent: bool  # the server refused for good (5xx), not merely out of attempts
    reason: str


def failure_outcome(error, *, attempts, max_attempts):
    """What a failed send means for its row: retry, or give up (permanently refused or out of attempts)."""
    reason = smtp_failure_describe(error)
    if smtp_failure_is_permanent(error):
        return Failure(FAILED, True, reason)
    if attempts >= max_attempts:
        return Failure(FAILED, False, f"Gave up after {attempts} attempts: {reason}")
    return Failure(PENDING, False, reason)
