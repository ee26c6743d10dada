"""A provider contact's account pages answer in Welsh under /cy/: priorities, the CPD plan, its guidance,
the organisation's contacts, the newcomer's page, and what each form says back."""

import datetime as dt
import re
from html import unescape

import pytest
from django.contrib.messages import get_messages

from events.booking import booking_create
from providers.models import PlanItem
from tests_support import factories
from tests_support.welsh import main_text, welsh_page

pytestmark = pytest.mark.django_db




def flashes(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def organisation(provider_contact):
    organisation = provider_contact.organisation
    organisation.name = "Ysgol Gyfun Gymraeg"
    organisation.save()
    return organisation


@pytest.fixture
def planned(organisation):
    """Two plan items: "Mathemateg uwch" first, though it builds on "Mathemateg sylfaenol" second."""
    basics = factories.OfferFactory(title="Mathemateg sylfaenol", is_rolling=False, starts_on=dt.date(2027, 1, 12))
    advanced = factories.OfferFactory(title="Mathemateg uwch")
    advanced.builds_on.set([basics])
    return [
        factories.PlanItemFactory(organisation=organisation, offer=advanced, position=1),
        factories.PlanItemFactory(organisation=organisation, offer=basics, position=2),
    ]


def test_welsh_account_page_priorities_and_plan(client, provider_contact, planned):
    factories.ThemeFactory(name="Llythrennedd", slug="llythrennedd")
    client.force_login(provider_contact.user)

    text = main_text(welsh_page(client.get("/cy/account/")))

    assert "Blaenoriaethau a grwpiau staff" in text
    assert "Dywedwch wrthym beth sy'n bwysig i Ysgol Gyfun Gymraeg eleni" in text
    assert "Ein blaenoriaethau eleni" in text
    assert "Y staff rydym yn eu datblygu" in text
    assert "Cadw'r blaenoriaethau" in text
    assert "Cynllun dysgu proffesiynol Lawrlwytho fel CSV" in text
    assert "Yn ystyried Wedi archebu Wedi'i gwblhau" in text  # the status choices
    assert "12 Ion 2027" in text  # the offer's start, with Welsh month names
    assert "Rhybudd: mae hwn yn dod cyn “Mathemateg sylfaenol”, y mae'n adeiladu arno." in text
    assert "Yn adeiladu ar: Mathemateg sylfaenol (rhif 2 yn eich cynllun)" in text
    assert "Archebion cymorthfeydd" in text
    assert "Dim cymorthfeydd i ddod." in text
    assert "January" not in text and "Warning" not in text


def test_welsh_account_page_lists_bookings_with_welsh_dates(client, provider_contact, organisation):
    fair = factories.JointEventFactory(title="Ffair Ddysgu")
    surgery = factories.SurgeryFactory(event=fair, title="Mathemateg")
    slot = factories.SlotFactory(surgery=surgery)
    booking_create(user=provider_contact.user, slot_id=slot.pk)
    client.force_login(provider_contact.user)

    text = main_text(welsh_page(client.get("/cy/account/")))

    assert "Ffair Ddysgu, Gwe 18 Rhagfyr 2026, 09:30–09:50" in text
    assert "Ychwanegu at y calendr: Mathemateg am 09:30 (.ics) Canslo Mathemateg am 09:30" in text
    assert "Friday" not in text and "Fri " not in text


def test_welsh_priorities_refused_say_why_in_welsh(client, provider_contact, organisation):
    client.force_login(provider_contact.user)

    response = client.post("/cy/account/", {"priorities": [99999]})

    page = welsh_page(response)
    assert "Dewiswch ddewisiad dilys." in unescape(page)
    assert flashes(response) == ["Ni chafodd eich blaenoriaethau eu cadw: gweler y neges isod."]


def test_welsh_plan_status_set_stays_welsh_and_says_so(client, provider_contact, planned):
    client.force_login(provider_contact.user)

    response = client.post(f"/cy/account/plan/{planned[0].pk}/status/", {"status": "booked"})

    assert response["Location"] == "/cy/account/#plan"
    assert flashes(response) == ["Statws “Mathemateg uwch” bellach: wedi archebu."]
    assert PlanItem.objects.get(pk=planned[0].pk).status == "booked"


def test_welsh_plan_status_refused_says_why_in_welsh(client, provider_contact, planned):
    client.force_login(provider_contact.user)

    response = client.post(f"/cy/account/plan/{planned[0].pk}/status/", {"status": "forgotten"})

    assert flashes(response) == ["Dewiswch yn ystyried, wedi archebu neu wedi'i gwblhau."]


def test_welsh_plan_move_and_remove_stay_welsh(client, provider_contact, planned):
    client.force_login(provider_contact.user)

    moved = client.post(f"/cy/account/plan/{planned[0].pk}/move/", {"direction": "down"})
    removed = client.post(f"/cy/account/plan/{planned[0].pk}/remove/")

    assert (moved["Location"], removed["Location"]) == ("/cy/account/#plan", "/cy/account/#plan")
    assert flashes(removed) == ["Tynnwyd “Mathemateg uwch” o'ch cynllun dysgu proffesiynol."]


def test_welsh_plan_csv_has_welsh_columns(client, provider_contact, planned):
    client.force_login(provider_contact.user)

    response = client.get("/cy/account/plan.csv")

    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Trefn,Cynnig,Rhaglen,Statws,Dechrau,Gorffen")


def test_welsh_contacts_page(client, provider_contact, organisation):
    factories.MembershipFactory(
        organisation=organisation, user=factories.UserFactory(username="nia@ysgol.example"), reason="Arweinydd ADY"
    )
    client.force_login(provider_contact.user)

    text = main_text(welsh_page(client.get("/cy/account/contacts/")))

    assert "Pwy sy'n gweithredu ar ran Ysgol Gyfun Gymraeg" in text
    assert "Ceisiadau i ymuno" in text
    assert "gofynnwyd ar 18 Tachwedd 2026" in text
    assert "Cymeradwyo nia@ysgol.example Gwrthod nia@ysgol.example" in text
    assert "Cysylltiadau" in text
    assert f"{provider_contact.user.email} · Staff development manager (chi)" in text
    assert "Gadael Ysgol Gyfun Gymraeg" in text


def test_welsh_contacts_approve_says_so_in_welsh(client, provider_contact, organisation):
    request_ = factories.MembershipFactory(organisation=organisation, user=factories.UserFactory(username="nia@ysgol.example"))
    client.force_login(provider_contact.user)

    response = client.post(f"/cy/account/contacts/requests/{request_.pk}/approve/")

    assert response["Location"] == "/cy/account/contacts/"
    assert flashes(response) == ["Mae nia@ysgol.example bellach yn gweithredu ar ran Ysgol Gyfun Gymraeg."]


def test_welsh_newcomer_page_asks_to_join_in_welsh(client):
    client.force_login(factories.UserFactory(username="nia@ysgol.example"))

    page = welsh_page(client.get("/cy/account/"))

    text = main_text(page)
    assert "Eich cyfrif" in text
    assert "Gofyn am gael gweithredu ar ran eich sefydliad" in text
    assert "Sefydliad" in text and "Teitl swydd" in text and "Dywedwch wrth eich cydweithwyr pwy ydych chi" in text
    assert "Anfon fy nghais" in text


def test_welsh_join_request_without_an_organisation_keeps_what_was_typed(client):
    client.force_login(factories.UserFactory(username="nia@ysgol.example"))

    response = client.post("/cy/account/join/", {"job_title": "Cydlynydd ADY", "reason": "Rwy'n arwain ADY."})

    page = welsh_page(response)
    assert "Mae angen y maes hwn." in page
    assert 'value="Cydlynydd ADY"' in page
    assert re.search(r">\s*Rwy&#x27;n arwain ADY.</textarea>", page)


def test_welsh_pending_request_page(client, organisation):
    nia = factories.UserFactory(username="nia@ysgol.example", email="nia@ysgol.example")
    factories.MembershipFactory(organisation=organisation, user=nia)
    client.force_login(nia)

    text = main_text(welsh_page(client.get("/cy/account/")))

    assert "Yn aros am Ysgol Gyfun Gymraeg" in text
    assert "Fe ofynnoch am gael gweithredu ar ran Ysgol Gyfun Gymraeg ar 18 Tachwedd 2026." in text
    assert "Tynnu fy nghais yn ôl" in text


def test_welsh_unconfirmed_account_page(client, signed_up):
    client.force_login(signed_up)

    text = main_text(welsh_page(client.get("/cy/account/")))

    assert "Edrychwch ar eich e-bost" in text
    assert f"Rydym wedi anfon dolen at {signed_up.email}." in text
    assert "Anfon dolen newydd ataf" in text
