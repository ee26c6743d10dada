"""/network/: the directory of regional workers and its filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.choices import OfferStatus, WorkerRole
from tests_support import factories


@pytest.fixture
def directory(db):
    maths = factories.ProgrammeFactory(
        plain_name="Maths teaching development", official_name="National Centre for Excellence", slug="maths"
    )
    digital = factories.ProgrammeFactory(plain_name="Digital teaching", slug="digital")
    devon, wales = factories.RegionFactory(name="Devon", slug="devon"), factories.RegionFactory(name="North Wales", slug="north-wales")
    numeracy, esol = factories.ThemeFactory(name="Numeracy", slug="numeracy"), factories.ThemeFactory(name="ESOL", slug="esol")

    def person(first, programme, region, theme, role, **kwargs):
        worker = factories.RegionalWorkerFactory(
            user__first_name=first, user__last_name="Worker", slug=first.lower(), role=role,
            programmes=[programme], regions=[region], **kwargs,
        )
        worker.themes.set([theme])
        return worker

    return {
        "alison": person("Alison", maths, devon, numeracy, WorkerRole.BROKERING, phone="01392 000111"),
        "bryn": person("Bryn", digital, wales, esol, WorkerRole.DELIVERY),
        "cara": person("Cara", maths, wales, esol, WorkerRole.DELIVERY),
        "hidden": person("Hidden", maths, devon, numeracy, WorkerRole.BROKERING, is_listed=False),
    }


def names(response):
    return [w.user.first_name for w in response.context["page"].object_list]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,expected",
    [
        ({}, ["Alison", "Bryn", "Cara"]),
        ({"programme": "maths"}, ["Alison", "Cara"]),
        ({"region": "north-wales"}, ["Bryn", "Cara"]),
        ({"theme": "esol"}, ["Bryn", "Cara"]),
        ({"role": "delivery"}, ["Bryn", "Cara"]),
        ({"programme": "maths", "role": "delivery"}, ["Cara"]),
        ({"programme": "maths", "region": "devon", "theme": "numeracy"}, ["Alison"]),
        ({"q": "bryn"}, ["Bryn"]),
        ({"programme": "digital", "region": "devon"}, []),
    ],
)
def test_network_list_filters(client, directory, query, expected):
    response = client.get(reverse("network:worker_list"), query)

    assert response.status_code == 200
    assert sorted(names(response)) == expected


@pytest.mark.django_db
def test_network_list_shows_plain_programme_names_and_how_to_reach(client, directory):
    response = client.get(reverse("network:worker_list"))

    html = response.content.decode()
    assert "Maths teaching development" in html
    assert "National Centre for Excellence" not in html
    assert f'href="mailto:{directory["alison"].contact_email}"' in html
    assert 'href="tel:01392000111"' in html


@pytest.mark.django_db
def test_network_list_queries_do_not_grow_with_people(client, directory):
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("network:worker_list"))
    for n in range(5):
        worker = factories.RegionalWorkerFactory(programmes=[factories.ProgrammeFactory()], regions=[factories.RegionFactory()])
        worker.themes.set([factories.ThemeFactory()])

    with CaptureQueriesContext(connection) as eight:
        response = client.get(reverse("network:worker_list"))

    assert len(names(response)) == 8
    assert len(eight.captured_queries) == len(three.captured_queries)
    assert len(eight.captured_queries) <= 10


@pytest.mark.django_db
def test_network_detail_shows_remit_contact_and_published_offers(client, directory):
    alison = directory["alison"]
    factories.OfferFactory(contact=alison, title="Published maths offer")
    factories.OfferFactory(contact=alison, title="Draft maths offer", status=OfferStatus.DRAFT)

    response = client.get(reverse("network:worker_detail", args=["alison"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert alison.remit in html
    assert f"mailto:{alison.contact_email}" in html
    assert "Published maths offer" in html and "Draft maths offer" not in html


@pytest.mark.django_db
def test_network_detail_unlisted_worker_is_404_for_others(client, directory):
    assert client.get(reverse("network:worker_detail", args=["hidden"])).status_code == 404
    client.force_login(directory["hidden"].user)
    assert client.get(reverse("network:worker_detail", args=["hidden"])).status_code == 200


@pytest.mark.django_db
def test_profile_edit_updates_directory_entry_but_not_programmes(client, directory):
    alison = directory["alison"]
    other = factories.ProgrammeFactory()
    client.force_login(alison.user)

    response = client.post(
        reverse("workspace:profile"),
        {"first_name": "Alison", "last_name": "Trelawny", "job_title": "Maths lead", "role": "delivery",
         "remit": "Maths in Devon.", "public_email": "alison@example.org", "phone": "", "regions": [],
         "themes": [], "is_listed": "on", "programmes": [other.pk]},
    )

    alison.refresh_from_db()
    alison.user.refresh_from_db()
    assert response.status_code == 302
    assert (alison.job_title, alison.role, alison.public_email, alison.user.last_name) == (
        "Maths lead", "delivery", "alison@example.org", "Trelawny"
    )
    assert [p.slug for p in alison.programmes.all()] == ["maths"]


@pytest.mark.django_db
def test_profile_edit_invalid_email_keeps_typed_values(client, directory):
    client.force_login(directory["alison"].user)

    response = client.post(
        reverse("workspace:profile"),
        {"first_name": "Alison", "last_name": "Typed", "job_title": "Typed title", "role": "brokering",
         "remit": "Typed remit.", "public_email": "not-an-email"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "public_email" in response.context["form"].errors
    assert 'value="Typed title"' in html and "Typed remit." in html and 'value="not-an-email"' in html
