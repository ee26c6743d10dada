"""Celery tasks of personal data: a thin interface to the retention rules."""

from celery import shared_task

from .retention import retention_apply


@shared_task(name="privacy.retention_apply")
def retention_apply_task():
    """Beat, daily: delete or anonymise what is past its retention period (brokerage.privacy.retention)."""
    return retention_apply()
