"""Celery tasks: a thin interface to the services, taking ids only.

acks_late and reject_on_worker_lost are set for every task in settings: a
task whose worker dies is redelivered, and the delivery rows' claims make a
redelivered batch send nothing twice.
"""

from celery import shared_task

from . import services


@shared_task(name="bulletins.send")
def bulletin_send_task(bulletin_id):
    """Fan out: one delivery row per active subscriber, then one task per batch."""
    return services.bulletin_fan_out(bulletin_id=bulletin_id)


@shared_task(bind=True, name="bulletins.send_batch", max_retries=None)
def bulletin_send_batch_task(self, bulletin_id, delivery_ids):
    retry_ids, countdown = services.bulletin_send_batch(bulletin_id=bulletin_id, delivery_ids=delivery_ids)
    if retry_ids:
        # Temporary SMTP failures: try those rows again later (the rows count
        # their attempts and end "failed" after the last one).
        raise self.retry(args=(bulletin_id, retry_ids), countdown=countdown)
    return len(delivery_ids)


@shared_task(name="bulletins.send_due")
def bulletins_send_due_task():
    return services.bulletins_send_due()


@shared_task(name="bulletins.reap")
def deliveries_reap_task():
    """On the beat every BULLETIN_REAP_INTERVAL_SECONDS: hand back rows whose sender died."""
    return services.deliveries_reap()
