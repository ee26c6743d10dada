"""The weekly digest for coordinators: top gaps, new duplicates, evaluation highlights.

Sent once per ISO week: the ``InsightDigest`` row for the week is claimed
(unique on week_start) in the transaction that writes the emails to the
outbox (programmes/outbox.py), so a second run, or a concurrent one, writes
nothing; the outbox sends them after the commit and retries SMTP failures.
"""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from brokerage.roles import COORDINATORS
from people.services import email_language_for
from programmes.outbox import email_queue

from .choices import DigestStatus
from .duplicates import duplicate_candidates
from .evaluations import evaluations_in, ratings_overall
from .models import InsightDigest
from .selectors import Period, demand_counts, gaps, supply_demand_rows, zero_result_searches

logger = logging.getLogger(__name__)


def coordinator_recipients():
    """The coordinators to send the digest to, one per address (their preferences loaded for the language)."""
    User = get_user_model()
    users = (
        User.objects.filter(is_active=True, is_staff=True, groups__name=COORDINATORS)
        .exclude(email="")
        .select_related("preferences")
        .order_by("email", "pk")
    )
    return list({user.email: user for user in users}.values())


def week_start(today):
    return today - dt.timedelta(days=today.weekday())


def digest_context(today):
    """What the digest says about the seven days before ``today``."""
    period = Period(start=today - dt.timedelta(days=7), end=today - dt.timedelta(days=1))
    counts = demand_counts(period)
    rows = supply_demand_rows(period, "theme", counts=counts)
    since = period.start_at
    evaluations = evaluations_in(period)
    return {
        "period": period,
        "gaps": gaps(rows)[:5],
        "zero_results": zero_result_searches(period, limit=5),
        "duplicates": duplicate_candidates(limit=5, published_since=since),
        "evaluations": ratings_overall(period),
        "messages": list(
            evaluations.exclude(key_messages="").select_related("event").order_by("-rating", "-submitted_at")[:3]
        ),
        "insights_url": settings.SITE_URL + reverse("insights:dashboard"),
        "duplicates_url": settings.SITE_URL + reverse("insights:duplicates"),
    }


def weekly_digest_send(*, today=None):
    """Write this week's digest to the outbox unless it has been; return the number of emails written."""
    today = today or timezone.localdate()
    monday = week_start(today)
    recipients = coordinator_recipients()
    # The week's claim and its emails commit together: a crash before the
    # commit leaves neither, and the outbox sends them once it has.
    with transaction.atomic():
        try:
            with transaction.atomic():
                digest = InsightDigest.objects.create(week_start=monday, recipients=len(recipients))
        except IntegrityError:
            logger.info("Insights digest for the week of %s already claimed: nothing to send.", monday)
            return 0
        context = digest_context(today) if recipients else {}
        for user in recipients:  # one message per coordinator (no shared To: line), in their language
            email_queue(
                kind="insights_digest", key=f"insights-digest:{monday.isoformat()}:{user.email}", to=[user.email],
                template="insights_digest", context=context, language=email_language_for(user),
            )
        InsightDigest.objects.filter(pk=digest.pk).update(status=DigestStatus.SENT, sent_at=timezone.now())
    return len(recipients)
