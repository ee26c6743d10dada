"""Celery tasks of the events app: thin interfaces to services, taking ids."""

from celery import shared_task

from .evaluations import evaluation_invitations_send
from .reminders import reminders_send
from .waitlist import waitlist_expire_offers


@shared_task(ignore_result=True)
def send_booking_reminders():
    return reminders_send()


@shared_task(ignore_result=True)
def expire_waitlist_offers():
    return waitlist_expire_offers()


@shared_task(ignore_result=True)
def send_evaluation_invitations():
    return evaluation_invitations_send()
