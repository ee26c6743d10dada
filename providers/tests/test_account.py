"""/account/: priorities and the CPD plan, for the own organisation only."""

import csv
import io
import re

import pytest

from providers.choices import PlanStatus
from providers.models import PlanItem
from tests_support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(db):
    return [factories.OfferFactory(title=f"Offer {n}") for n in range(3)]


def test_account_requires_sign_in(client):
    response = client.get("/account/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_account_not_for_non_providers(client, worker):
    client.force_login(worker.user)
    assert client.get("/account/").status_code == 404


def test_priorities_saved(client, provider_contact):
    maths = factories.ThemeFactory(name="Maths", slug="maths")
    leaders = factories.AudienceFactory(name="Leaders", slug="leaders")
    client.force_login(provider_contact.user)
    response = client.post("/account/", {"priorities": [maths.pk], "staff_groups": [leaders.pk]}, follow=True)
    organisation = provider_contact.organisation
    assert list(organisation.priorities.all()) == [maths]
    assert list(organisation.staff_groups.all()) == [leaders]
    assert "Saved." in response.content.decode()


def test_priorities_invalid_choice_says_so(client, provider_contact):
    client.force_login(provider_contact.user)
    response = client.post("/account/", {"priorities": [99999]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_plan_add_move_status_remove(client, provider_contact, offers):
    client.force_login(provider_contact.user)
    for offer in offers:
        client.post(f"/account/plan/add/{offer.pk}/", {"next": "/offers/"})
    client.post(f"/account/plan/add/{offers[0].pk}/")  # twice: still one item
    organisation = provider_contact.organisation
    order = lambda: [i.offer.title for i in PlanItem.objects.filter(organisation=organisation).order_by("position")]  # noqa: E731
    assert order() == ["Offer 0", "Offer 1", "Offer 2"]
    item2 = PlanItem.objects.get(offer=offers[2])
    client.post(f"/account/plan/{item2.pk}/move/", {"direction": "up"})
    assert order() == ["Offer 0", "Offer 2", "Offer 1"]
    client.post(f"/account/plan/{item2.pk}/status/", {"status": "booked"})
    item2.refresh_from_db()
    assert item2.status == PlanStatus.BOOKED
    client.post(f"/account/plan/{item2.pk}/remove/")
    assert order() == ["Offer 0", "Offer 1"]
    body = client.get("/account/").content.decode()
    assert "Offer 0" in body and "Download as CSV" in body


@pytest.mark.parametrize(
    "target", ["/\\evil.example", "//evil.example", "https://evil.example/", "javascript:alert(1)"]
)
def test_plan_add_offsite_next_goes_to_account(client, provider_contact, offers, target):
    client.force_login(provider_contact.user)

    response = client.post(f"/account/plan/add/{offers[0].pk}/", {"next": target})

    assert response["Location"] == "/account/"
    assert PlanItem.objects.get().offer == offers[0]


def test_plan_add_local_next_is_followed(client, provider_contact, offers):
    client.force_login(provider_contact.user)

    response = client.post(f"/account/plan/add/{offers[1].pk}/", {"next": "/offers/?theme=x"})

    assert response["Location"] == "/offers/?theme=x"


def test_plan_add_unpublished_offer_404(client, provider_contact):
    draft = factories.OfferFactory(status="draft")
    client.force_login(provider_contact.user)
    assert client.post(f"/account/plan/add/{draft.pk}/").status_code == 404
    assert PlanItem.objects.count() == 0


@pytest.mark.parametrize("action, data", [("move", {"direction": "up"}), ("status", {"status": "done"}), ("remove", {})])
def test_plan_other_organisations_item_404(client, provider_contact, action, data):
    other = factories.PlanItemFactory(position=1)
    client.force_login(provider_contact.user)
    response = client.post(f"/account/plan/{other.pk}/{action}/", data)
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == PlanStatus.CONSIDERING


def test_plan_only_own_organisation_visible(client, provider_contact):
    mine = factories.PlanItemFactory(organisation=provider_contact.organisation, offer__title="Our own offer")
    factories.PlanItemFactory(offer__title="Their secret offer")
    client.force_login(provider_contact.user)
    body = client.get("/account/").content.decode()
    assert "Our own offer" in body and "Their secret offer" not in body
    rows = list(csv.reader(io.StringIO(client.get("/account/plan.csv").content.decode())))
    assert [row[1] for row in rows[1:]] == [mine.offer.title]


def test_plan_csv_columns_and_formula_defused(client, provider_contact):
    contact = factories.RegionalWorkerFactory(user__first_name="-Dee", user__last_name="Trick")
    factories.PlanItemFactory(
        organisation=provider_contact.organisation, status="booked", offer__title="=HYPERLINK(1)",
        offer__programme__plain_name="@SUM(1+1)", offer__contact=contact,
    )
    client.force_login(provider_contact.user)

    response = client.get("/account/plan.csv")

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Order", "Offer", "Programme", "Status"]
    assert rows[1][:4] == ["1", "'=HYPERLINK(1)", "'@SUM(1+1)", "Booked"]
    assert rows[1][7] == "'-Dee Trick"


def test_colleague_in_same_organisation_shares_plan(client, provider_contact, offers):
    colleague = factories.ProviderContactFactory(organisation=provider_contact.organisation)
    client.force_login(provider_contact.user)
    client.post(f"/account/plan/add/{offers[0].pk}/")
    item = PlanItem.objects.get()
    client.force_login(colleague.user)
    assert client.post(f"/account/plan/{item.pk}/status/", {"status": "done"}).status_code == 302
    item.refresh_from_db()
    assert item.status == PlanStatus.DONE


def test_account_page_includes_registered_sections_in_order(client, provider_contact):
    client.force_login(provider_contact.user)
    response = client.get("/account/")

    assert response.context["account_sections"] == [
        "providers/account_priorities.html",
        "providers/account_plan.html",
        "events/includes/account_bookings.html",
        "bulletins/_account_preferences.html",
        "privacy/_my_data_actions.html",
    ]
    html = response.content.decode()
    headings = ["Priorities and staff groups", "CPD plan", "Surgery bookings", "Joint bulletin", "Your data"]
    shown = re.findall(r"<h2[^>]*>([^<]*)</h2>", html)
    assert [heading for heading in shown if heading in headings] == headings
