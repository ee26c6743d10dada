"""Redis stops under a signed-in user: pages, bookings and sign-in go on from the database.

A private redis-server (its own port and directory) holds the cache and the
broker, as one REDIS_URL does in production. The users sign in through the
real sign-in form. Redis is then killed and started again from the snapshot
it saved before, as a Redis with persistence comes back: the sign-out made
during the outage must not be undone by the old values it brings back
(sessions live in the database only).
"""

import logging
import subprocess

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from brokerage.celery import app
from events.models import Booking
from events.tests.conftest import make_slots
from programmes import tasks
from programmes import cache as catalogue_cache
from programmes.choices import OutboxStatus
from programmes.models import OutboxEmail
from tests_support import factories
from tests_support.waiting import wait_for, free_port

pytestmark = [pytest.mark.redis_server, pytest.mark.django_db]

PASSWORD = "test-password-123"  # the factories' password




class RedisServer:
    """redis-server on its own port, snapshotting only when asked (SAVE) into its own directory."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.process = None
        self.client = redis.Redis(port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5)

    def url(self, db):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self):
        self.log = open(self.directory / "redis.log", "ab")
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--dir", str(self.directory), "--dbfilename", "dump.rdb"],
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        wait_for(self.answers, 10, f"redis-server on port {self.port}")

    def answers(self):
        assert self.process.poll() is None, (self.directory / "redis.log").read_text()[-2000:]
        try:
            return self.client.ping()
        except redis.exceptions.ConnectionError:
            return False

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.client.connection_pool.disconnect()
        self.log.close()


@pytest.fixture
def private_redis(tmp_path, settings):
    server = RedisServer(tmp_path)
    try:
        server.start()
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": server.url(1),
                "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True},
            }
        }
        catalogue_cache.forget_local()
        yield server
    finally:
        catalogue_cache.forget_local()
        server.kill()


@pytest.fixture
def broker_on_private_redis(private_redis, monkeypatch):
    """The booking emails' publish goes to the private Redis's broker database (db 0)."""
    connection = app.connection_for_write(private_redis.url(0))
    real_apply_async = tasks.outbox_send.apply_async

    def publish(*args):
        return real_apply_async(args, connection=connection, retry=True, retry_policy={"max_retries": 1})

    monkeypatch.setattr(tasks.outbox_send, "delay", publish)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # publish for real, not in-process
    try:
        yield private_redis
    finally:
        app.conf.task_always_eager = eager
        connection.release()


def provider_contact(username, first_name):
    return factories.ProviderContactFactory(
        user=factories.UserFactory(username=username, first_name=first_name, last_name="Provider")
    ).user


def sign_in(username):
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def cache_answers():
    cache.set("outage-test-probe", "here", 30)
    return cache.get("outage-test-probe") == "here"


def cache_errors(caplog):
    return [r for r in caplog.records if r.name == "brokerage.cache"]


@pytest.fixture
def cache_log_afresh():
    """The cache log's once-a-minute filter forgets earlier tests' messages."""
    for limiter in logging.getLogger("brokerage.cache").filters:
        limiter.last, limiter.dropped = None, 0


def test_redis_outage_keeps_sign_in_pages_and_bookings_working(
    broker_on_private_redis, caplog, django_capture_on_commit_callbacks, cache_log_afresh
):
    server = broker_on_private_redis
    provider_contact("priya@college.example", "Priya")
    provider_contact("rhys@college.example", "Rhys")
    provider_contact("nia@college.example", "Nia")
    fair = factories.JointEventFactory(title="South West Learning Fair")
    surgery = factories.SurgeryFactory(event=fair, title="Maths teaching excellence")
    slot = make_slots(surgery, 1)[0]
    factories.OfferFactory(title="Maths mastery for colleges")
    visitor = Client()
    assert "Maths mastery for colleges" in visitor.get("/offers/").content.decode()
    priya, rhys = sign_in("priya@college.example"), sign_in("rhys@college.example")
    assert "signed in as Priya Provider" in priya.get("/account/").content.decode()
    assert server.client.save()  # the snapshot a restarted Redis comes back with

    server.kill()
    with caplog.at_level(logging.WARNING, logger="brokerage.cache"):
        account = priya.get("/account/")
        with django_capture_on_commit_callbacks(execute=True):
            booked = priya.post(reverse("events:booking_new", args=[fair.slug, slot.pk]), {"questions": "Tablets?"},
                                follow=True)
        nia = sign_in("nia@college.example")
        nia_account = nia.get("/account/")
        rhys_cookie = rhys.cookies[django_settings.SESSION_COOKIE_NAME].value
        signed_out = rhys.post(reverse("logout"))
        # A copy of the cookie (another device, someone who took it) must be worthless now.
        rhys.cookies[django_settings.SESSION_COOKIE_NAME] = rhys_cookie
        factories.OfferFactory(title="Digital skills for teachers")  # a new catalogue version, not stored
        catalogue = visitor.get("/offers/")
        health = visitor.get("/healthz")
        outage_errors = cache_errors(caplog)

    assert "signed in as Priya Provider" in account.content.decode()
    booking = Booking.objects.get()
    assert (booking.user.username, booking.slot, booking.status) == ("priya@college.example", slot, "confirmed")
    assert "A confirmation email with a calendar file is on its way." in booked.content.decode()
    assert OutboxEmail.objects.get().status == OutboxStatus.PENDING  # the broker is down too: the drain sends it
    assert "signed in as Nia Provider" in nia_account.content.decode()
    assert signed_out.status_code == 302 and not signed_out.wsgi_request.user.is_authenticated
    assert "Digital skills for teachers" in catalogue.content.decode()
    assert (health.status_code, health.json()) == (200, {"status": "degraded"})  # still serving: no failover
    # Logged once (the filter holds back the rest for a minute), with the cause.
    assert len(outage_errors) == 1 and "Connection refused" in logging.Formatter().format(outage_errors[0])

    server.start()
    wait_for(cache_answers, 10, "the cache to be used again")

    assert "signed in as Priya Provider" in priya.get("/account/").content.decode()
    assert "signed in as Nia Provider" in nia.get("/account/").content.decode()
    after = rhys.get("/account/")
    assert after.status_code == 302 and after["Location"].startswith(reverse("login"))
