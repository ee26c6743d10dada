"""Forms posted too often answer 429 with the site's page, and take posts again when the window has passed.

Each test sets a small rate through the `settings` fixture and posts through
the real view, django-ratelimit's decorator and middleware included. The
clock stands still at TEST_NOW (a window that ends between two posts would
split their count), and `time_machine.shift` moves past the window.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from brokerage.models import Enquiry, Subscriber
from brokerage.production import check_shared_cache_for_rate_limits
from brokerage.settings import env_rate
from events.booking import booking_create
from events.models import Booking, WaitlistEntry
from programmes.ratelimits import client_ip
from tests_support import factories
from tests_support.clock import TEST_NOW

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1, seconds=1)
DAY = dt.timedelta(days=1, seconds=1)
LIMITED = "Too many tries: please wait a while"


@pytest.fixture(autouse=True)
def still_clock(time_machine):
    time_machine.move_to(TEST_NOW, tick=False)


@pytest.fixture(autouse=True)
def no_counts():
    # The root conftest clears the cache too; the counts here must never depend on another test's.
    cache.clear()
    yield
    cache.clear()


def limited(response):
    return response.status_code == 429 and LIMITED in response.content.decode()


def test_rate_limit_defaults_are_the_documented_ones(settings):
    names = [
        "RATELIMIT_VIEW", "RATELIMIT_IP_META_KEY", "RATELIMIT_ENQUIRY", "RATELIMIT_SUBSCRIBE_IP",
        "RATELIMIT_SUBSCRIBE_EMAIL", "RATELIMIT_SIGNUP", "RATELIMIT_PASSWORD_RESET_IP",
        "RATELIMIT_PASSWORD_RESET_EMAIL", "RATELIMIT_BOOKING", "RATELIMIT_WAITLIST",
    ]

    assert {name: getattr(settings, name) for name in names} == {
        "RATELIMIT_VIEW": "brokerage.error_views.rate_limited",
        "RATELIMIT_IP_META_KEY": "programmes.ratelimits.client_ip",
        "RATELIMIT_ENQUIRY": "10/h",
        "RATELIMIT_SUBSCRIBE_IP": "10/h",
        "RATELIMIT_SUBSCRIBE_EMAIL": "10/d",
        "RATELIMIT_SIGNUP": "5/h",
        "RATELIMIT_PASSWORD_RESET_IP": "10/h",
        "RATELIMIT_PASSWORD_RESET_EMAIL": "10/d",
        "RATELIMIT_BOOKING": "30/h",
        "RATELIMIT_WAITLIST": "30/h",
    }


# "Ask about this offer"


@pytest.fixture
def offer():
    return factories.OfferFactory(title="Maths coaching", slug="maths-coaching")


def ask(client, offer, address="203.0.113.7"):
    data = {"name": "Sam Carter", "email": "sam@college.example", "message": "Is there a place in March?"}
    return client.post(offer.get_absolute_url(), data, REMOTE_ADDR=address)


def test_enquiry_past_its_limit_answers_429_and_stores_nothing(client, offer, settings):
    settings.RATELIMIT_ENQUIRY = "2/h"
    answers = [ask(client, offer).status_code for _ in range(2)]

    response = ask(client, offer)

    assert answers == [302, 302]
    assert limited(response)
    assert "Skip to main content" in response.content.decode()  # the site's layout
    assert Enquiry.objects.count() == 2


def test_enquiry_limit_lifts_when_the_hour_has_passed(client, offer, settings, time_machine):
    settings.RATELIMIT_ENQUIRY = "2/h"
    for _ in range(3):
        ask(client, offer)

    time_machine.shift(HOUR)
    response = ask(client, offer)

    assert response.status_code == 302
    assert Enquiry.objects.count() == 3


def test_enquiry_limit_counts_per_address_and_never_the_page_itself(client, offer, settings):
    settings.RATELIMIT_ENQUIRY = "2/h"
    for _ in range(3):
        ask(client, offer, address="203.0.113.7")

    page = client.get(offer.get_absolute_url(), REMOTE_ADDR="203.0.113.7")
    elsewhere = ask(client, offer, address="192.0.2.99")

    assert page.status_code == 200 and "Maths coaching" in page.content.decode()
    assert elsewhere.status_code == 302
    assert Enquiry.objects.count() == 3


# Bulletin subscription: per address and per email address


def subscribe(client, email, address="203.0.113.7"):
    return client.post(reverse("bulletins:subscribe"), {"email": email, "name": "Ana"}, REMOTE_ADDR=address)


def test_subscribe_past_the_address_limit_answers_429(client, settings, time_machine):
    settings.RATELIMIT_SUBSCRIBE_IP = "2/h"
    for n in range(2):
        subscribe(client, f"person{n}@college.example")

    response = subscribe(client, "person2@college.example")
    time_machine.shift(HOUR)
    later = subscribe(client, "person3@college.example")

    assert limited(response)
    assert later.status_code == 200 and "Check your inbox" in later.content.decode()
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "person0@college.example", "person1@college.example", "person3@college.example",
    ]


def test_subscribe_past_the_email_limit_answers_429_from_any_address_in_any_case(client, settings, time_machine):
    settings.RATELIMIT_SUBSCRIBE_EMAIL = "2/d"
    subscribe(client, "ana@college.example", address="198.51.100.1")
    subscribe(client, "ANA@College.example", address="198.51.100.2")

    response = subscribe(client, " Ana@college.EXAMPLE ", address="198.51.100.3")
    other = subscribe(client, "ben@college.example", address="198.51.100.3")
    time_machine.shift(DAY)
    next_day = subscribe(client, "ana@college.example", address="198.51.100.3")

    assert limited(response)
    assert other.status_code == 200
    assert next_day.status_code == 200 and "Check your inbox" in next_day.content.decode()


def test_subscribe_form_is_still_shown_past_the_limit(client, settings):
    settings.RATELIMIT_SUBSCRIBE_IP = "1/h"
    subscribe(client, "ana@college.example")
    subscribe(client, "ben@college.example")

    response = client.get(reverse("bulletins:subscribe"), REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 200
    assert "Get the joint bulletin" in response.content.decode()


# Sign-up


def signup(client, email, address="203.0.113.7"):
    region = factories.RegionFactory()
    data = {
        "first_name": "Rosa", "last_name": "Penhaligon", "email": email, "job_title": "",
        "password1": "a-long-passphrase-2026", "password2": "a-long-passphrase-2026", "organisation": "",
        "new_organisation_name": f"Organisation of {email}", "new_organisation_kind": "adult_community",
        "new_organisation_region": region.pk,
    }
    return Client().post("/accounts/signup/", data, REMOTE_ADDR=address)


def test_signup_past_its_limit_answers_429_and_creates_no_account(settings, time_machine):
    settings.RATELIMIT_SIGNUP = "2/h"
    first = [signup(None, f"rosa{n}@truro.example").status_code for n in range(2)]

    response = signup(None, "rosa2@truro.example")
    time_machine.shift(HOUR)
    later = signup(None, "rosa3@truro.example")

    assert first == [302, 302]
    assert limited(response)
    assert later.status_code == 302
    assert sorted(factories.UserFactory._meta.model.objects.values_list("username", flat=True)) == [
        "rosa0@truro.example", "rosa1@truro.example", "rosa3@truro.example",
    ]


# Password reset: per address and per email address


def reset(client, email, address="203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_past_the_email_limit_sends_no_more_links(
    client, settings, mailoutbox, time_machine, django_capture_on_commit_callbacks
):
    factories.UserFactory(username="ana@college.example", email="ana@college.example")
    settings.RATELIMIT_PASSWORD_RESET_EMAIL = "2/d"
    with django_capture_on_commit_callbacks(execute=True):
        reset(client, "ana@college.example", address="198.51.100.1")
        reset(client, "Ana@College.example", address="198.51.100.2")
        response = reset(client, "ana@college.example", address="198.51.100.3")
    sent_that_day = len(mailoutbox)
    time_machine.shift(DAY)
    with django_capture_on_commit_callbacks(execute=True):
        next_day = reset(client, "ana@college.example", address="198.51.100.3")

    assert limited(response)
    assert sent_that_day == 2
    assert next_day.status_code == 302
    assert len(mailoutbox) == 3


def test_password_reset_past_the_address_limit_answers_429(client, settings, time_machine):
    settings.RATELIMIT_PASSWORD_RESET_IP = "2/h"
    for n in range(2):
        reset(client, f"person{n}@college.example")

    response = reset(client, "person2@college.example")
    time_machine.shift(HOUR)
    later = reset(client, "person3@college.example")

    assert limited(response)
    assert later.status_code == 302 and later["Location"] == reverse("password_reset_done")


# Booking and the waiting list: per signed-in person


@pytest.fixture
def surgery():
    return factories.SurgeryFactory(title="Maths teaching excellence")


def provider(name):
    return factories.ProviderContactFactory(user=factories.UserFactory(username=f"{name}@provider.example")).user


def test_booking_past_its_limit_answers_429_per_person(client, surgery, settings, time_machine):
    settings.RATELIMIT_BOOKING = "2/h"
    slots = [
        factories.SlotFactory(surgery=surgery, starts_at=surgery.event.starts_at + dt.timedelta(minutes=20 * n))
        for n in range(4)
    ]
    event = surgery.event
    priya, other = provider("priya"), provider("other")
    client.force_login(priya)

    def book(slot, who=client):
        return who.post(reverse("events:booking_new", args=[event.slug, slot.pk]), {"questions": ""})

    first = [book(slots[n]).status_code for n in range(2)]
    response = book(slots[2])
    someone_else = Client()
    someone_else.force_login(other)
    others = book(slots[2], who=someone_else)
    time_machine.shift(HOUR)
    later = book(slots[3])

    assert first == [302, 302]
    assert limited(response)
    assert others.status_code == 302
    assert sorted(Booking.objects.values_list("user__username", "slot_id")) == sorted([
        ("priya@provider.example", slots[0].pk), ("priya@provider.example", slots[1].pk),
        ("other@provider.example", slots[2].pk), ("priya@provider.example", slots[3].pk),
    ])
    assert later.status_code == 302


def test_booking_page_itself_is_never_limited(client, surgery, settings):
    settings.RATELIMIT_BOOKING = "1/h"
    slot = factories.SlotFactory(surgery=surgery)
    client.force_login(provider("priya"))
    url = reverse("events:booking_new", args=[surgery.event.slug, slot.pk])
    client.post(url, {"questions": ""})
    client.post(url, {"questions": ""})

    response = client.get(url)

    assert response.status_code == 200
    assert "Maths teaching excellence" in response.content.decode()


def test_waitlist_join_past_its_limit_answers_429(client, surgery, settings, time_machine):
    settings.RATELIMIT_WAITLIST = "2/h"
    surgeries = [surgery, *(factories.SurgeryFactory(event=surgery.event) for _ in range(3))]
    for each in surgeries:
        slot = factories.SlotFactory(surgery=each)
        booking_create(user=provider(f"holder{each.pk}"), slot_id=slot.pk)  # full: the list is open
    client.force_login(provider("priya"))

    def join(each):
        return client.post(reverse("events:waitlist_join", args=[each.pk]))

    first = [join(surgeries[n]).status_code for n in range(2)]
    response = join(surgeries[2])
    time_machine.shift(HOUR)
    later = join(surgeries[3])

    assert first == [302, 302]
    assert limited(response)
    assert later.status_code == 302
    assert sorted(WaitlistEntry.objects.values_list("surgery_id", flat=True)) == sorted(
        [surgeries[0].pk, surgeries[1].pk, surgeries[3].pk]
    )


# The visitor's address, behind a proxy or not


def request_from(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/", REMOTE_ADDR=remote, **extra)


def test_client_ip_without_trusted_proxy_ignores_forwarded_for(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_from("203.0.113.7", forwarded="198.51.100.1")) == "203.0.113.7"


def test_client_ip_behind_one_proxy_takes_the_address_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from("127.0.0.1", forwarded="6.6.6.6, 198.51.100.1")) == "198.51.100.1"
    assert client_ip(request_from("127.0.0.1")) == "127.0.0.1"
    assert client_ip(request_from("127.0.0.1", forwarded="not-an-address")) == "127.0.0.1"


def test_enquiry_limit_behind_a_proxy_counts_each_visitor(client, offer, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATELIMIT_ENQUIRY = "1/h"
    data = {"name": "Sam", "email": "sam@college.example", "message": "Hello"}

    def ask_via_proxy(visitor):
        return client.post(offer.get_absolute_url(), data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=visitor)

    first = ask_via_proxy("198.51.100.1")
    spoofed = ask_via_proxy("192.0.2.50, 198.51.100.1")  # what the visitor wrote is not trusted
    second_visitor = ask_via_proxy("198.51.100.2")

    assert first.status_code == 302
    assert limited(spoofed)
    assert second_visitor.status_code == 302


# Settings and checks


@pytest.mark.parametrize("value", ["10", "ten/h", "0/h", "10/w", "10/h "])
def test_env_rate_refuses_what_is_not_a_rate(monkeypatch, value):
    monkeypatch.setenv("RATELIMIT_TEST", value)

    with pytest.raises(ImproperlyConfigured, match="RATELIMIT_TEST must be a rate"):
        env_rate("RATELIMIT_TEST", "1/h")


@pytest.mark.parametrize(("value", "expected"), [("", "1/h"), ("5/15m", "5/15m"), ("100/d", "100/d")])
def test_env_rate_reads_a_rate_or_keeps_the_default(monkeypatch, value, expected):
    monkeypatch.setenv("RATELIMIT_TEST", value)

    assert env_rate("RATELIMIT_TEST", "1/h") == expected


def test_check_reports_no_rate_limit_problem_with_the_local_cache(capsys):
    call_command("check")

    assert "System check identified no issues" in capsys.readouterr().out


def test_deploy_check_without_redis_says_to_set_it(settings):
    settings.DEBUG = False
    settings.REDIS_URL = ""

    assert [error.id for error in check_shared_cache_for_rate_limits(None)] == ["brokerage.E002"]

    settings.REDIS_URL = "redis://127.0.0.1:6379"
    assert check_shared_cache_for_rate_limits(None) == []
