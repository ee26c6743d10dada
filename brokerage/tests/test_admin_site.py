"""The admin as coordinators meet it: the portal's name and look, an index by task, machinery out of the way."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests_support import factories

pytestmark = pytest.mark.django_db

MACHINERY_LISTS = [
    "admin:brokerage_delivery_changelist",
    "admin:programmes_outboxemail_changelist",
    "admin:brokerage_signal_changelist",
    "admin:programmes_offerreviewreminder_changelist",
    "admin:brokerage_insightdigest_changelist",
]


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root@example.org", is_staff=True, is_superuser=True)


def section_names(response):
    return [app["name"] for app in response.context["app_list"]]


def test_admin_carries_the_portals_name_and_a_way_back(client, coordinator, settings):
    client.force_login(coordinator)

    page = client.get(reverse("admin:index")).content.decode()

    assert f"<title>What would you like to do? | {settings.SITE_NAME} admin</title>" in page
    assert f"{settings.SITE_NAME}: coordinators</a>" in page
    assert '<a href="/">Back to the site</a>' in page
    assert '<a href="/coordinators/">Start page</a>' in page
    assert "/static/css/admin_site.css" in page


def test_admin_sign_in_page_carries_the_portals_name(client, settings):
    page = client.get(reverse("admin:login")).content.decode()

    assert f"{settings.SITE_NAME}: coordinators" in page
    assert "Django administration" not in page


def test_index_is_arranged_by_what_coordinators_do(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("admin:index"))

    assert section_names(response) == [
        "Fairs and bookings", "Bulletins", "Catalogue and vocabulary", "People and organisations",
        "Machinery (records the portal keeps)",
    ]
    fairs = response.context["app_list"][0]
    assert [m["object_name"] for m in fairs["models"]][:4] == ["JointEvent", "Surgery", "Slot", "Booking"]


def test_index_hides_the_machinery_tables_from_coordinators(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("admin:index"))

    shown = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert not shown & {"Delivery", "OutboxEmail", "Signal", "OfferReviewReminder", "InsightDigest"}
    for name in MACHINERY_LISTS:
        assert reverse(name) not in response.content.decode()


@pytest.mark.parametrize("name", MACHINERY_LISTS)
def test_machinery_lists_refused_to_coordinators(client, coordinator, name):
    client.force_login(coordinator)

    assert client.get(reverse(name)).status_code == 403


def test_index_shows_superusers_the_machinery_last(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:index"))

    machinery = response.context["app_list"][-1]
    assert machinery["name"] == "Machinery (records the portal keeps)"
    assert {"Delivery", "OutboxEmail", "Signal", "OfferReviewReminder", "InsightDigest"} <= {
        m["object_name"] for m in machinery["models"]
    }


@pytest.mark.parametrize("name", MACHINERY_LISTS)
def test_machinery_lists_read_only_for_superusers(client, superuser, name):
    client.force_login(superuser)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert response.context["has_add_permission"] is False
    assert "delete_selected" not in response.content.decode()
    assert client.get(reverse(name.replace("changelist", "add"))).status_code == 403


def test_a_delivery_is_read_not_changed_or_deleted_by_a_superuser(client, superuser):
    delivery = factories.DeliveryFactory()
    client.force_login(superuser)
    change = reverse("admin:brokerage_delivery_change", args=[delivery.pk])

    page = client.get(change)
    posted = client.post(change, {"status": "sent"})
    deleted = client.post(reverse("admin:brokerage_delivery_delete", args=[delivery.pk]), {"post": "yes"})

    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert posted.status_code == 403
    assert deleted.status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == "pending"


def test_every_machinery_model_is_registered_read_only():
    from brokerage.admin_site import MACHINERY, MachineryAdminMixin

    registered = {f"{m._meta.app_label}.{m._meta.model_name}": a for m, a in admin.site._registry.items()}  # noqa: SLF001 (test only: the names exist)
    assert MACHINERY <= set(registered)
    assert all(isinstance(registered[key], MachineryAdminMixin) for key in MACHINERY)


def test_bulletin_desk_links_failed_deliveries_for_superusers_only(client, coordinator, superuser):
    bulletin = factories.BulletinFactory(status="sent")
    factories.DeliveryFactory(bulletin=bulletin, status="failed", last_error="550 no such user")
    url = reverse("admin:bulletins_bulletin_progress", args=[bulletin.pk])
    client.force_login(coordinator)
    for_coordinator = client.get(url).content.decode()
    client.force_login(superuser)
    for_superuser = client.get(url).content.decode()

    assert "1 failed" in for_coordinator and "See the failed deliveries" not in for_coordinator
    assert "See the failed deliveries" in for_superuser


# --- the lists coordinators search and filter -------------------------------------------


def filter_titles(response):
    return [spec.title for spec in response.context["cl"].filter_specs]


def test_events_filter_by_status_and_date(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("admin:events_jointevent_changelist"))

    assert "status" in filter_titles(response)
    assert response.context["cl"].date_hierarchy == "starts_at"


def test_bookings_filter_by_event(client, coordinator):
    fair = factories.JointEventFactory(title="Exeter fair")
    other = factories.JointEventFactory(title="Llandudno fair")
    factories.BookingFactory(slot=factories.SlotFactory(surgery=factories.SurgeryFactory(event=fair)), event=fair)
    factories.BookingFactory(slot=factories.SlotFactory(surgery=factories.SurgeryFactory(event=other)), event=other)
    client.force_login(coordinator)

    response = client.get(reverse("admin:events_booking_changelist") + f"?slot__surgery__event__id__exact={fair.pk}")

    assert [b.event for b in response.context["cl"].result_list] == [fair]


def test_offers_filter_by_programme_status_and_review(client, coordinator):
    factories.OfferFactory(), factories.OfferFactory()  # two programmes: a filter of one choice is not shown
    client.force_login(coordinator)

    response = client.get(reverse("admin:programmes_offer_changelist") + "?review=overdue&status__exact=published")

    titles = filter_titles(response)
    assert {"review", "status", "programme"} <= set(titles)
    assert response.status_code == 200
