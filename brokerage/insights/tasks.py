"""Celery tasks of the insights topic: an interface to the services, taking ids."""

from celery import shared_task

from . import services


@shared_task(name="insights.record_offer_signal")
def record_offer_signal_task(kind, offer_id, user_id=None, organisation_id=None):
    services.record_offer_signal_by_ids(
        kind=kind, offer_id=offer_id, user_id=user_id, organisation_id=organisation_id
    )


@shared_task(name="insights.record_booking_signal")
def record_booking_signal_task(booking_id):
    services.record_booking_signal_by_id(booking_id)


@shared_task(name="insights.prune_signals")
def prune_signals_task():
    """Beat, daily: keep 13 months of signals."""
    return services.signals_prune()


@shared_task(name="insights.weekly_digest")
def weekly_digest_task():
    """Beat, weekly: email coordinators; a second run in the same week sends nothing."""
    from .digest import weekly_digest_send

    return weekly_digest_send()
