"""Every entry of the beat schedule names a task a worker actually has."""

from django.conf import settings

from brokerage.celery import app


def test_beat_schedule_every_task_is_registered():
    app.loader.import_default_modules()
    registered = set(app.tasks)
    missing = sorted(
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] not in registered
    )
    assert settings.CELERY_BEAT_SCHEDULE  # the schedule is not empty
    assert missing == []
