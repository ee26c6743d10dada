"""Fixtures for the events tests: a fair open for booking, its surgery and slots, a provider."""

import datetime as dt

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from tests_support import factories


@pytest.fixture
def staff(client, coordinator):
    """The test client, signed in as a coordinator (the admin pages)."""
    client.force_login(coordinator)
    return client


@pytest.fixture
def fair(db):
    start = (timezone.now() + dt.timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
    return factories.JointEventFactory(
        title="South West Learning Fair",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        max_surgeries_per_person=3,
        waitlist_hold_hours=24,
        cancellation_cutoff_hours=24,
    )


@pytest.fixture
def host(db):
    return factories.RegionalWorkerFactory(
        user=factories.UserFactory(
            first_name="Hana", last_name="Host", username="hana@programme.example", email_language="en-gb"
        )
    )


@pytest.fixture
def surgery(fair, host):
    surgery = factories.SurgeryFactory(event=fair, title="Maths teaching excellence", room="Room 2")
    surgery.hosts.set([host])
    return surgery


def make_slots(surgery, count, *, start=None, minutes=20, capacity=1):
    start = start or surgery.event.starts_at + dt.timedelta(hours=1)
    return [
        factories.SlotFactory(
            surgery=surgery,
            starts_at=start + dt.timedelta(minutes=minutes * index),
            ends_at=start + dt.timedelta(minutes=minutes * (index + 1)),
            capacity=capacity,
        )
        for index in range(count)
    ]


@pytest.fixture
def slots(surgery):
    return make_slots(surgery, 3)


@pytest.fixture
def provider(db):
    contact = factories.ProviderContactFactory(
        user=factories.UserFactory(
            first_name="Priya", last_name="Provider", username="priya@college.example", email_language="en-gb"
        )
    )
    return contact.user


def make_provider(name="someone"):
    # English emails: the tests here read them (brokerage/tests/test_email_languages.py covers the languages).
    return factories.ProviderContactFactory(
        user=factories.UserFactory(username=f"{name}@provider.example", email_language="en-gb")
    ).user


@pytest.fixture
def locks_off(monkeypatch):
    """The concurrency tests' control: no row locks (select_for_update leaves a query as it is)."""
    monkeypatch.setattr(QuerySet, "select_for_update", lambda queryset, *args, **kwargs: queryset.all())

