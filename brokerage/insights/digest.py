"""The weekly digest for coordinators: top gaps, new duplicates, evaluation highlights.

Sent once per ISO week: the ``InsightDigest`` row for the week is claimed
(unique on week_start) before any mail goes out, so a second run, or a
concurrent one, sends nothing. Mail is sent outside any transaction.
"""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from brokerage.roles import COORDINATORS
from programmes.emails import render_subject

from .choices import DigestStatus
from .duplicates import duplicate_candidates
from .evaluations import evaluations_in, ratings_overall
from .models import InsightDigest
from .selectors import Period, demand_counts, gaps, supply_demand_rows, zero_result_searches

logger = logging.getLogger(__name__)


def coordinator_recipients():
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, is_staff=True, groups__name=COORDINATORS)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


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
        "SITE_NAME": settings.SITE_NAME,
    }


def weekly_digest_send(*, today=None):
    """Send this week's digest unless it has been sent; return the number of emails sent."""
    today = today or timezone.localdate()
    monday = week_start(today)
    recipients = coordinator_recipients()
    try:
        with transaction.atomic():
            digest = InsightDigest.objects.create(week_start=monday, recipients=len(recipients))
    except IntegrityError:
        logger.info("Insights digest for the week of %s already claimed: nothing to send.", monday)
        return 0
    if not recipients:
        InsightDigest.objects.filter(pk=digest.pk).update(status=DigestStatus.SENT, sent_at=timezone.now())
        return 0
    context = digest_context(today)
    subject = render_subject("emails/insights_digest_subject.txt", context)
    text = render_to_string("emails/insights_digest.txt", context)
    html = render_to_string("emails/insights_digest.html", context)
    # SMTP outside any transaction; one message per coordinator (no shared To: line).
    try:
        with get_connection() as mail:
            messages = []
            for address in recipients:
                message = EmailMultiAlternatives(subject, text, to=[address], connection=mail)
                message.attach_alternative(html, "text/html")
                messages.append(message)
            sent = mail.send_messages(messages) or 0
    except Exception:
        # Release the week so that a retry can send it; the error goes to the task's log.
        InsightDigest.objects.filter(pk=digest.pk, status=DigestStatus.SENDING).delete()
        raise
    InsightDigest.objects.filter(pk=digest.pk).update(status=DigestStatus.SENT, sent_at=timezone.now())
    return sent
