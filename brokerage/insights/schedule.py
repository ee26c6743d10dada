"""The insights entries of CELERY_BEAT_SCHEDULE (merged into it by settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "insights-prune-signals": {"task": "insights.prune_signals", "schedule": crontab(hour=3, minute=17)},
    # Monday morning; the digest records its week, so a repeated run sends nothing.
    "insights-weekly-digest": {
        "task": "insights.weekly_digest",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
}
