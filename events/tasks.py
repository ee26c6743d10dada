"""Celery tasks of the events app: thin interfaces to services, taking ids."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def send_booking_reminders():
    return services.reminders_send()


@shared_task(ignore_result=True)
def expire_waitlist_offers():
    return services.waitlist_expire_offers()


@shared_task(ignore_result=True)
def send_evaluation_invitations():
    return services.evaluation_invitations_send()
