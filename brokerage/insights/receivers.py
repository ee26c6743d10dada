"""Demand signals from the lower apps, without them importing brokerage.

Connected in ``BrokerageConfig.ready``. Each receiver only enqueues a task
after commit, so the page that saved the row pays no extra query (with a
broker; the embedded mode runs the task in-process after commit).
"""

from django.db.models.signals import post_save

from events.choices import BookingStatus
from events.models import Booking
from providers.models import PlanItem

from .choices import SignalKind
from .services import enqueue_after_commit
from .tasks import record_booking_signal_task, record_offer_signal_task


def booking_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.status == BookingStatus.CONFIRMED:
        enqueue_after_commit(record_booking_signal_task, instance.pk)


def plan_item_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        enqueue_after_commit(
            record_offer_signal_task, SignalKind.PLAN_ADD, instance.offer_id, None, instance.organisation_id
        )


def enquiry_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        enqueue_after_commit(record_offer_signal_task, SignalKind.ENQUIRY, instance.offer_id, instance.user_id)


def connect():
    from brokerage.models import Enquiry

    post_save.connect(booking_saved, sender=Booking, dispatch_uid="insights_booking_saved")
    post_save.connect(plan_item_saved, sender=PlanItem, dispatch_uid="insights_plan_item_saved")
    post_save.connect(enquiry_saved, sender=Enquiry, dispatch_uid="insights_enquiry_saved")
