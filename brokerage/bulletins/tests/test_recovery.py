"""Recovering without a person: leases, their renewal, and the reaper on a short beat."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from brokerage.bulletins import services
from brokerage.choices import BulletinStatus, DeliveryStatus
from brokerage.models import Bulletin, Delivery
from brokerage.settings import env_int

from .backends import outbox_recipients
from .conftest import subscriber
from tests_support.clock import TEST_NOW
from tests_support.waiting import wait_for

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "44444444-4444-4444-4444-444444444444"



def _sending(bulletin, sent_at=None):
    Bulletin.objects.filter(pk=bulletin.pk).update(status=BulletinStatus.SENDING, sent_at=sent_at or timezone.now())


def _claimed(bulletin, count, claimed_ago):
    subs = [subscriber(f"s{n}@example.org") for n in range(count)]
    ids = [Delivery.objects.create(bulletin=bulletin, subscriber=s).pk for s in subs]
    services.deliveries_claim(delivery_ids=ids, token=TOKEN)
    Delivery.objects.filter(pk__in=ids).update(claimed_at=timezone.now() - claimed_ago)
    return ids


# --- Settings ------------------------------------------------------------------


def test_recovery_defaults_hand_back_a_dead_senders_rows_within_ninety_seconds():
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "BROKERAGE_TESTING": "true",
           "DJANGO_SETTINGS_MODULE": "brokerage.settings"}
    code = (
        "import json; from django.conf import settings as s; print(json.dumps([s.BULLETIN_LEASE_SECONDS, "
        "s.BULLETIN_REAP_INTERVAL_SECONDS, s.CELERY_BEAT_SCHEDULE['bulletins-reap']['schedule'], "
        "s.BULLETIN_BATCH_SIZE, s.BULLETIN_REDISPATCH_SECONDS]))"
    )

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    lease, interval, beat, batch, redispatch = json.loads(result.stdout)
    assert (lease, interval, beat, batch, redispatch) == (60, 30, 30.0, 50, 60)
    # The goal: the bulletin finishes within two minutes of a worker being back,
    # leaving 30 s to send the handed-back rows, and the rows of a batch whose
    # task died with its worker before starting are queued again as soon.
    assert lease + interval <= 90
    assert max(lease, redispatch) + interval <= 90


def test_env_int_below_minimum_refused(monkeypatch):
    monkeypatch.setenv("BULLETIN_LEASE_SECONDS", "2")

    with pytest.raises(ImproperlyConfigured, match="BULLETIN_LEASE_SECONDS must be at least 3, not 2"):
        env_int("BULLETIN_LEASE_SECONDS", 60, minimum=3)


# --- The reaper ----------------------------------------------------------------


@pytest.mark.django_db
def test_reaper_hands_back_rows_whose_lease_lapsed(composed_bulletin, mailoutbox, django_capture_on_commit_callbacks):
    _sending(composed_bulletin)
    _claimed(composed_bulletin, 2, claimed_ago=dt.timedelta(seconds=61))  # then the worker died

    with django_capture_on_commit_callbacks(execute=True):
        result = services.deliveries_reap()

    assert result == {"requeued": 2, "gave_up": 0, "batches": 1}
    assert outbox_recipients() == ["s0@example.org", "s1@example.org"]
    assert sorted(Delivery.objects.values_list("status", "attempts")) == [("sent", 2), ("sent", 2)]


@pytest.mark.django_db
def test_reaper_leaves_rows_within_their_lease(composed_bulletin, mailoutbox, django_capture_on_commit_callbacks):
    _sending(composed_bulletin)
    _claimed(composed_bulletin, 2, claimed_ago=dt.timedelta(seconds=50))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = services.deliveries_reap()

    assert result == {"requeued": 0, "gave_up": 0, "batches": 0}
    assert callbacks == []
    assert sorted(Delivery.objects.values_list("status", flat=True)) == ["sending", "sending"]


@pytest.mark.django_db
def test_reaper_lease_renewed_by_the_sender_keeps_its_rows(composed_bulletin, django_capture_on_commit_callbacks):
    _sending(composed_bulletin)
    _claimed(composed_bulletin, 2, claimed_ago=dt.timedelta(minutes=5))  # a batch slow on SMTP, still alive

    held = services.deliveries_renew_lease(token=TOKEN)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.deliveries_reap()

    assert held == 2
    assert result["requeued"] == 0
    assert sorted(Delivery.objects.values_list("status", flat=True)) == ["sending", "sending"]


@pytest.mark.django_db
def test_reaper_lease_time_is_a_setting(composed_bulletin, settings, django_capture_on_commit_callbacks):
    settings.BULLETIN_LEASE_SECONDS = 10
    _sending(composed_bulletin)
    _claimed(composed_bulletin, 1, claimed_ago=dt.timedelta(seconds=11))

    with django_capture_on_commit_callbacks(execute=False):
        result = services.deliveries_reap()

    assert result == {"requeued": 1, "gave_up": 0, "batches": 1}


@pytest.mark.django_db
def test_reaper_lost_pending_rows_queued_again_once_per_interval(composed_bulletin, django_capture_on_commit_callbacks):
    # The fan-out committed but its process died before publishing the batch tasks.
    _sending(composed_bulletin, sent_at=timezone.now() - dt.timedelta(minutes=11))
    for n in range(3):
        Delivery.objects.create(bulletin=composed_bulletin, subscriber=subscriber(f"s{n}@example.org"))

    with django_capture_on_commit_callbacks(execute=False) as first_callbacks:
        first = services.deliveries_reap()
    with django_capture_on_commit_callbacks(execute=False) as second_callbacks:
        second = services.deliveries_reap()  # no worker yet: the next beat

    assert first == {"requeued": 0, "gave_up": 0, "batches": 1}
    assert len(first_callbacks) == 1
    assert second == {"requeued": 0, "gave_up": 0, "batches": 0}
    assert second_callbacks == []


@pytest.mark.django_db
def test_reaper_sends_a_batch_whose_worker_died_before_starting_it_within_ninety_seconds(
    composed_bulletin, mailoutbox, django_capture_on_commit_callbacks
):
    # A worker took the batch's task and died before starting it: the message
    # waits out the broker's visibility timeout, its rows were never claimed.
    now = TEST_NOW
    _sending(composed_bulletin, sent_at=now - dt.timedelta(seconds=90))
    Delivery.objects.create(bulletin=composed_bulletin, subscriber=subscriber("lost@example.org"))
    Delivery.objects.create(
        bulletin=composed_bulletin, subscriber=subscriber("done@example.org"), status=DeliveryStatus.SENT,
        attempts=1, sent_at=now - dt.timedelta(seconds=61),
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = services.deliveries_reap(now=now)

    assert result == {"requeued": 0, "gave_up": 0, "batches": 1}
    assert outbox_recipients() == ["lost@example.org"]


@pytest.mark.django_db
def test_reaper_queued_rows_of_a_progressing_bulletin_left_alone(
    composed_bulletin, django_capture_on_commit_callbacks
):
    # A long bulletin: rows queued long ago still wait behind others while workers send.
    _sending(composed_bulletin, sent_at=timezone.now() - dt.timedelta(minutes=30))
    for n in range(3):
        Delivery.objects.create(bulletin=composed_bulletin, subscriber=subscriber(f"s{n}@example.org"))
    Delivery.objects.create(
        bulletin=composed_bulletin, subscriber=subscriber("done@example.org"), status=DeliveryStatus.SENT,
        attempts=1, sent_at=timezone.now() - dt.timedelta(seconds=5),
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = services.deliveries_reap()

    assert result == {"requeued": 0, "gave_up": 0, "batches": 0}
    assert callbacks == []


# --- The lease keeper (a thread with its own database connection) ----------------


class SlowSmtpBackend(LocmemBackend):
    """Holds each message until the sender's lease was renewed during the wait, as a slow server would."""

    renewed = []

    def send_messages(self, messages):
        delivery = Delivery.objects.get(subscriber__email=messages[0].to[0])
        before = delivery.claimed_at
        wait_for(lambda: Delivery.objects.get(pk=delivery.pk).claimed_at > before, 10, "the lease to be renewed", every=0.02)
        SlowSmtpBackend.renewed.append(messages[0].to[0])
        return super().send_messages(messages)


@pytest.mark.timed_waits
@pytest.mark.django_db(transaction=True)
def test_lease_keeper_renews_while_smtp_is_slow(composed_bulletin, settings, mailoutbox):
    settings.BULLETIN_LEASE_SECONDS = 3  # renewed every second
    settings.EMAIL_BACKEND = "brokerage.bulletins.tests.test_recovery.SlowSmtpBackend"
    SlowSmtpBackend.renewed = []
    _sending(composed_bulletin)
    delivery = Delivery.objects.create(bulletin=composed_bulletin, subscriber=subscriber("slow@example.org"))

    services.bulletin_send_batch(bulletin_id=composed_bulletin.pk, delivery_ids=[delivery.pk])

    assert SlowSmtpBackend.renewed == ["slow@example.org"]
    assert outbox_recipients() == ["slow@example.org"]
    assert Delivery.objects.get().status == DeliveryStatus.SENT


@pytest.mark.timed_waits
@pytest.mark.django_db(transaction=True)
def test_lease_keeper_rows_taken_back_marks_the_lease_lost(composed_bulletin):
    _sending(composed_bulletin)
    _claimed(composed_bulletin, 1, claimed_ago=dt.timedelta(0))
    Delivery.objects.update(status=DeliveryStatus.PENDING, claim_token=None)  # the reaper took it back

    with services.LeaseKeeper(TOKEN, every=0.05) as keeper:
        wait_for(lambda: keeper.lost, 10, "the keeper to notice", every=0.02)

    assert keeper.lost is True
