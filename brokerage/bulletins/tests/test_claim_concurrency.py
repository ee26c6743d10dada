"""Claiming delivery rows from several senders at once: every row goes to exactly one."""

import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from brokerage.bulletins import services
from brokerage.choices import BulletinStatus
from brokerage.models import Delivery, Subscriber
from tests_support import factories


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_claim_concurrent_senders_get_disjoint_rows():
    bulletin = factories.BulletinFactory(status=BulletinStatus.SENDING, sent_at=timezone.now())
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"c{n}@example.org", name="C", confirmed_at=timezone.now()) for n in range(300)]
    )
    ids = [d.pk for d in Delivery.objects.bulk_create([Delivery(bulletin=bulletin, subscriber=s) for s in subscribers])]
    barrier = threading.Barrier(6)
    won = {}

    def sender(n):
        try:
            barrier.wait(timeout=10)
            won[n] = [d.pk for d in services.deliveries_claim(delivery_ids=ids, token=uuid.uuid4())]
        finally:
            connection.close()

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    claimed = [pk for rows in won.values() for pk in rows]
    assert len(won) == 6
    assert sorted(claimed) == sorted(ids)  # every row claimed, none twice
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
