"""Evaluation trends: average ratings per event and across events, key messages by theme."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from events.choices import BookingStatus
from events.models import Booking, Evaluation
from providers.models import ProviderContact

NO_THEME = _("Not linked to a theme")


def evaluations_in(period):
    qs = Evaluation.objects.filter(submitted_at__gte=period.start_at, submitted_at__lt=period.end_at)
    if period.region is not None:
        qs = qs.filter(event__region=period.region)
    return qs


def ratings_per_event(period):
    """One row per event evaluated in the period: responses, average and spread of ratings."""
    return list(
        evaluations_in(period)
        .order_by()
        .values("event_id", "event__title", "event__slug", "event__starts_at")
        .annotate(
            responses=Count("pk"),
            average=Avg("rating"),
            **{f"rated_{n}": Count("pk", filter=Q(rating=n)) for n in range(1, 6)},
        )
        .order_by("event__starts_at", "event__title")
    )


def ratings_overall(period):
    return evaluations_in(period).aggregate(responses=Count("pk"), average=Avg("rating"))


@dataclass
class ThemeMessages:
    theme: str
    messages: list = field(default_factory=list)  # [(event title, message, rating)]


def key_messages_by_theme(period):
    """The answers to 'key messages for national strategic groups', grouped by theme.

    A message belongs to the themes of the surgeries its author booked at that
    event; failing that, to their organisation's priorities; failing that, to
    ``NO_THEME`` (three queries in all).
    """
    evaluations = list(
        evaluations_in(period)
        .exclude(key_messages="")
        .select_related("event")
        .order_by("event__starts_at", "submitted_at")
    )
    if not evaluations:
        return []
    event_ids = {e.event_id for e in evaluations}
    user_ids = {e.user_id for e in evaluations}
    themes_of = defaultdict(set)
    booked = (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED, slot__surgery__event_id__in=event_ids, user_id__in=user_ids
        )
        .exclude(slot__surgery__themes=None)
        .values_list(
            "user_id",
            "slot__surgery__event_id",
            "slot__surgery__themes__name",
            "slot__surgery__themes__position",
        )
    )
    positions = {}
    for user_id, event_id, theme_name, position in booked:
        themes_of[(user_id, event_id)].add(theme_name)
        positions[theme_name] = position
    priorities_of = defaultdict(set)
    for user_id, theme_name, position in (
        ProviderContact.objects.filter(user_id__in=user_ids)
        .exclude(organisation__priorities=None)
        .values_list("user_id", "organisation__priorities__name", "organisation__priorities__position")
    ):
        priorities_of[user_id].add(theme_name)
        positions[theme_name] = position
    groups = {}
    for evaluation in evaluations:
        names = (
            themes_of.get((evaluation.user_id, evaluation.event_id))
            or priorities_of.get(evaluation.user_id)
            or {NO_THEME}
        )
        for name in names:
            groups.setdefault(name, ThemeMessages(theme=name)).messages.append(
                (evaluation.event.title, evaluation.key_messages.strip(), evaluation.rating)
            )
    return sorted(groups.values(), key=lambda g: (g.theme == NO_THEME, positions.get(g.theme, 0), g.theme))


def monthly_ratings(period):
    """Average rating per calendar month, across events."""
    from django.db.models.functions import TruncMonth

    return list(
        evaluations_in(period)
        .annotate(month=TruncMonth("submitted_at"))
        .order_by()
        .values("month")
        .annotate(responses=Count("pk"), average=Avg("rating"))
        .order_by("month")
    )
