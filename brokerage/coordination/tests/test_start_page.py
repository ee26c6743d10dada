"""The coordinator's start page (/coordinators/) and signing in to it. The clock is frozen at 2026-11-18 10:00 UTC."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.choices import BookingStatus, EventStatus
from programmes.choices import OfferStatus
from tests_support import factories
from tests_support.clock import TEST_NOW

# The page reads "today" and "this month": the clock is stated, and the data is built from the same moment.
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(TEST_NOW)]
NOW = TEST_NOW
TODAY = timezone.localtime(TEST_NOW).date()  # Wednesday 18 November 2026

START = "/coordinators/"


def at(day, hour=9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_start_page_address_is_stable():
    assert reverse("coordinator_start") == START


def test_signing_in_as_a_coordinator_lands_on_the_start_page(client, coordinator):
    response = client.post(
        reverse("login"), {"username": coordinator.username, "password": "test-password-123"}, follow=True
    )

    assert response.redirect_chain[-1] == (START, 302)
    assert b"What needs attention" in response.content


def test_signing_in_with_a_next_address_still_goes_there(client, coordinator):
    response = client.post(
        reverse("login") + "?next=/insights/", {"username": coordinator.username, "password": "test-password-123"}
    )

    assert response["Location"] == "/insights/"


@pytest.mark.parametrize("persona", ["worker", "provider_contact"])
def test_signing_in_as_a_worker_or_provider_keeps_the_home_page(client, persona, request):
    user = request.getfixturevalue(persona).user

    response = client.post(reverse("login"), {"username": user.username, "password": "test-password-123"}, follow=True)

    assert response.redirect_chain[-1] == (reverse("home"), 302)


@pytest.mark.parametrize("persona", ["worker", "provider_contact"])
def test_start_page_refused_to_workers_and_providers(client, persona, request):
    client.force_login(request.getfixturevalue(persona).user)

    response = client.get(START)

    assert response.status_code == 403
    assert b"What needs attention" not in response.content


def test_start_page_refused_to_staff_outside_the_coordinators_group(client):
    client.force_login(factories.UserFactory(is_staff=True))

    assert client.get(START).status_code == 403


def test_start_page_signed_out_asks_to_sign_in(client):
    response = client.get(START)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={START}"


def test_start_page_refuses_other_methods(client, coordinator):
    client.force_login(coordinator)

    assert client.post(START).status_code == 405


def test_navigation_links_the_start_page_for_coordinators_only(client, coordinator, worker):
    client.force_login(coordinator)
    coordinator_home = client.get("/").content.decode()
    client.force_login(worker.user)
    worker_home = client.get("/").content.decode()

    assert f'href="{START}">Start</a>' in coordinator_home
    assert f'href="{START}"' not in worker_home


def test_start_page_lists_offers_overdue_for_review_oldest_first(client, coordinator):
    today = TODAY
    older = factories.OfferFactory(title="Numeracy for governors", last_reviewed_on=today - dt.timedelta(days=400))
    old = factories.OfferFactory(title="ESOL taster", last_reviewed_on=today - dt.timedelta(days=200))
    factories.OfferFactory(title="Fresh offer", last_reviewed_on=today - dt.timedelta(days=10))
    factories.OfferFactory(title="Draft offer", status=OfferStatus.DRAFT, last_reviewed_on=today - dt.timedelta(days=400))
    client.force_login(coordinator)

    page = client.get(START).content.decode()

    section = page.split('id="overdue-heading"')[1].split("</section>")[0]
    assert 'text-bg-secondary">2</span>' in section
    assert section.index(older.title) < section.index(old.title)
    assert reverse("admin:programmes_offer_change", args=[older.pk]) in section
    assert "Fresh offer" not in section and "Draft offer" not in section


def test_start_page_links_all_overdue_offers_when_more_than_it_shows(client, coordinator):
    today = TODAY
    for n in range(9):
        factories.OfferFactory(last_reviewed_on=today - dt.timedelta(days=300 + n))
    client.force_login(coordinator)

    page = client.get(START).content.decode()

    assert "All 9 overdue offers" in page
    assert page.count("last checked") == 8


def test_start_page_lists_pending_organisation_requests(client, coordinator):
    waiting = factories.MembershipFactory(
        user=factories.UserFactory(first_name="Wyn", last_name="Waiting"),
        organisation=factories.ProviderOrganisationFactory(name="Coleg Gwent"),
    )
    factories.MembershipFactory(user=factories.UserFactory(first_name="Ada", last_name="Approved"), status="approved")
    client.force_login(coordinator)

    page = client.get(START).content.decode()

    section = page.split('id="requests-heading"')[1].split("</section>")[0]
    assert "Wyn Waiting" in section and "for Coleg Gwent" in section
    assert reverse("admin:providers_membership_change", args=[waiting.pk]) in section
    assert "Ada Approved" not in section


def test_start_page_lists_this_months_events_with_confirmed_bookings(client, coordinator):
    today = TODAY
    fair = factories.JointEventFactory(title="Exeter fair", starts_at=at(today + dt.timedelta(days=7)))
    factories.JointEventFactory(title="December fair", starts_at=at(dt.date(2026, 12, 2)))
    factories.JointEventFactory(
        title="Cancelled fair", starts_at=at(today + dt.timedelta(days=3)), status=EventStatus.CANCELLED
    )
    slot = factories.SlotFactory(surgery=factories.SurgeryFactory(event=fair))
    other = factories.SlotFactory(surgery=slot.surgery, starts_at=slot.ends_at)
    factories.BookingFactory(slot=slot, event=fair)
    factories.BookingFactory(slot=other, event=fair, status=BookingStatus.CANCELLED, cancelled_at=NOW)
    client.force_login(coordinator)

    page = client.get(START).content.decode()

    section = page.split('id="fairs-heading"')[1].split("</section>")[0]
    assert "Events in November 2026" in section
    assert "Exeter fair" in section and "1 booking</a>" in section
    assert "December fair" not in section and "Cancelled fair" not in section


def test_start_page_shows_the_next_bulletin_and_its_status(client, coordinator):
    factories.BulletinFactory(title="October bulletin", status="sent", sent_at=NOW)
    scheduled = factories.BulletinFactory(
        title="November bulletin", status="scheduled", scheduled_for=NOW + dt.timedelta(days=2)
    )
    factories.BulletinFactory(title="December draft")
    client.force_login(coordinator)

    page = client.get(START).content.decode()

    section = page.split('id="bulletin-heading"')[1].split("</section>")[0]
    assert reverse("admin:brokerage_bulletin_change", args=[scheduled.pk]) + '">November bulletin</a>' in section
    assert ">Scheduled</span>" in section
    assert "Last sent:" in section and "October bulletin" in section
    assert "December draft" not in section


def test_start_page_with_nothing_to_do_says_so(client, coordinator):
    client.force_login(coordinator)

    page = client.get(START).content.decode()

    assert "No events this month." in page
    assert "No bulletin in hand." in page
    assert "No one is waiting." in page
    assert "Every search found something." in page


def test_start_page_lists_new_zero_result_searches(client, coordinator):
    factories.SignalFactory(kind="search", words="forest school", result_count=0)
    factories.SignalFactory(kind="search", words="forest school", result_count=0)
    factories.SignalFactory(
        kind="search", words="old words", result_count=0, created_at=NOW - dt.timedelta(days=30)
    )
    factories.SignalFactory(kind="search", words="maths", result_count=12)
    client.force_login(coordinator)

    page = client.get(START).content.decode()

    section = page.split('id="searches-heading"')[1].split("</section>")[0]
    assert "“forest school” <span class=\"small\">(2×)</span>" in section
    assert "old words" not in section and "maths" not in section


def test_start_page_queries_do_not_grow_with_rows(client, coordinator, django_assert_max_num_queries):
    today = TODAY
    for n in range(3):
        factories.OfferFactory(last_reviewed_on=today - dt.timedelta(days=300))
        factories.MembershipFactory()
        factories.JointEventFactory(starts_at=at(today + dt.timedelta(days=n + 1)))
    client.force_login(coordinator)

    with django_assert_max_num_queries(20):
        response = client.get(START)

    assert response.status_code == 200


def test_start_page_escapes_what_people_typed(client, coordinator):
    factories.SignalFactory(kind="search", words="<script>alert(1)</script>", result_count=0)
    factories.MembershipFactory(user=factories.UserFactory(first_name="<b>Bold</b>", last_name="X"))
    client.force_login(coordinator)

    page = client.get(START).content.decode()

    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<b>Bold</b>" not in page
