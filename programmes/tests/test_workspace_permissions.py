"""The permission matrix: who may view, edit, publish and retire an offer, checked on the object."""

import pytest
from django.urls import reverse

from programmes.choices import OfferStatus
from programmes.models import Offer
from tests_support import factories

ACTIONS = ["view", "edit_form", "edit", "publish", "retire", "reviewed"]


@pytest.fixture
def programme_a(db):
    return factories.ProgrammeFactory(plain_name="Maths for teachers")


@pytest.fixture
def worker_a(programme_a):
    return factories.RegionalWorkerFactory(programmes=[programme_a])


@pytest.fixture
def worker_b(db):
    return factories.RegionalWorkerFactory(programmes=[factories.ProgrammeFactory(plain_name="Digital learning")])


@pytest.fixture
def offer(programme_a, worker_a):
    offer = factories.OfferFactory(
        programme=programme_a, contact=worker_a, status=OfferStatus.DRAFT, published_at=None,
        title="Maths coaching", summary="Coaching for maths teachers.",
        themes=[factories.ThemeFactory()], audiences=[factories.AudienceFactory()],
    )
    return offer


def offer_post_data(offer, **changes):
    data = {
        "programme": offer.programme_id, "title": offer.title, "summary": offer.summary,
        "description": offer.description, "themes": [t.pk for t in offer.themes.all()],
        "audiences": [a.pk for a in offer.audiences.all()], "format": offer.format, "cost": offer.cost,
        "is_rolling": "on", "contact": offer.contact_id or "",
    }
    data.update(changes)
    return data


def perform(client, action, offer):
    if action == "view":
        return client.get(reverse("workspace:offer_detail", args=[offer.pk]))
    if action == "edit_form":
        return client.get(reverse("workspace:offer_edit", args=[offer.pk]))
    if action == "edit":
        return client.post(
            reverse("workspace:offer_edit", args=[offer.pk]), offer_post_data(offer, title="Changed by someone")
        )
    if action == "publish":
        return client.post(reverse("workspace:offer_publish", args=[offer.pk]))
    if action == "retire":
        return client.post(reverse("workspace:offer_retire", args=[offer.pk]))
    if action == "reviewed":
        return client.post(reverse("workspace:offer_reviewed", args=[offer.pk]))
    raise AssertionError(action)


def snapshot(offer):
    row = Offer.objects.values("title", "status", "last_reviewed_by", "published_at", "summary").get(pk=offer.pk)
    return row, offer.history.count()


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_offer_action_anonymous_redirected_to_sign_in_and_nothing_changes(client, offer, action):
    before = snapshot(offer)

    response = perform(client, action, offer)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert snapshot(offer) == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_offer_action_provider_contact_refused_and_nothing_changes(client, offer, provider_contact, action):
    client.force_login(provider_contact.user)
    before = snapshot(offer)

    response = perform(client, action, offer)

    assert response.status_code == 403
    assert snapshot(offer) == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_offer_action_worker_of_other_programme_gets_404_and_nothing_changes(client, offer, worker_b, action):
    client.force_login(worker_b.user)
    before = snapshot(offer)

    response = perform(client, action, offer)

    assert response.status_code == 404
    assert "You can open only the offers of the programmes you work for" in response.content.decode()
    assert snapshot(offer) == before


@pytest.mark.django_db
def test_offer_view_worker_of_programme_sees_draft(client, offer, worker_a):
    client.force_login(worker_a.user)

    response = perform(client, "view", offer)

    assert response.status_code == 200
    assert response.context["offer"] == offer
    assert b"Maths coaching" in response.content


@pytest.mark.django_db
def test_offer_edit_worker_of_programme_saves_and_marks_reviewed(client, offer, worker_a):
    client.force_login(worker_a.user)
    Offer.objects.filter(pk=offer.pk).update(last_reviewed_on="2020-01-01", last_reviewed_by=None)

    response = perform(client, "edit", offer)

    offer.refresh_from_db()
    assert response.status_code == 302
    assert offer.title == "Changed by someone"
    assert offer.last_reviewed_by == worker_a
    assert offer.last_reviewed_on.isoformat() != "2020-01-01"


@pytest.mark.django_db
def test_offer_publish_then_retire_worker_of_programme(client, offer, worker_a):
    client.force_login(worker_a.user)

    perform(client, "publish", offer)
    offer.refresh_from_db()
    published = (offer.status, offer.published_at is not None)
    perform(client, "retire", offer)
    offer.refresh_from_db()

    assert published == (OfferStatus.PUBLISHED, True)
    assert offer.status == OfferStatus.ARCHIVED


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["publish", "retire", "reviewed"])
def test_offer_action_by_get_is_refused(client, offer, worker_a, action):
    client.force_login(worker_a.user)
    before = snapshot(offer)

    response = client.get(reverse(f"workspace:offer_{action}", args=[offer.pk]))

    assert response.status_code == 405
    assert snapshot(offer) == before


@pytest.mark.django_db
def test_offer_publish_without_contact_refused_with_message(client, offer, worker_a):
    Offer.objects.filter(pk=offer.pk).update(contact=None)
    client.force_login(worker_a.user)

    response = client.post(reverse("workspace:offer_publish", args=[offer.pk]), follow=True)

    offer.refresh_from_db()
    assert offer.status == OfferStatus.DRAFT
    assert "name a person to talk to" in response.content.decode()


@pytest.mark.django_db
def test_offer_edit_cannot_move_offer_to_programme_worker_is_not_in(client, offer, worker_a, worker_b):
    client.force_login(worker_a.user)
    other_programme = worker_b.programmes.get()

    response = client.post(
        reverse("workspace:offer_edit", args=[offer.pk]), offer_post_data(offer, programme=other_programme.pk)
    )

    offer.refresh_from_db()
    assert response.status_code == 200
    assert "programme" in response.context["form"].errors
    assert offer.programme_id != other_programme.pk


@pytest.mark.django_db
def test_offer_create_worker_offer_is_draft_in_own_programme(client, worker_a, programme_a):
    client.force_login(worker_a.user)
    theme, audience = factories.ThemeFactory(), factories.AudienceFactory()

    response = client.post(
        reverse("workspace:offer_create"),
        {"programme": programme_a.pk, "title": "Numeracy network", "summary": "Meet other maths leads.",
         "themes": [theme.pk], "audiences": [audience.pk], "format": "network", "cost": "free",
         "is_rolling": "on", "contact": worker_a.pk},
    )

    offer = Offer.objects.get(title="Numeracy network")
    assert response.status_code == 302
    assert (offer.programme, offer.status, offer.slug, offer.last_reviewed_by) == (
        programme_a, OfferStatus.DRAFT, "numeracy-network", worker_a
    )


@pytest.mark.django_db
def test_workspace_home_lists_only_own_programmes_offers(client, offer, worker_a, worker_b, django_assert_max_num_queries):
    factories.OfferFactory(programme=worker_b.programmes.get(), title="Not yours")
    client.force_login(worker_a.user)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("workspace:home"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Maths coaching" in content
    assert "Not yours" not in content


@pytest.mark.django_db
def test_workspace_home_query_count_same_for_one_and_many_offers(client, offer, worker_a, programme_a, django_assert_num_queries):
    client.force_login(worker_a.user)
    client.get(reverse("workspace:home"))  # warm the session and content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("workspace:home"))
    for n in range(3):
        factories.OfferFactory(programme=programme_a, contact=worker_a, last_reviewed_by=worker_a)

    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("workspace:home"))


@pytest.mark.django_db
def test_workspace_home_provider_contact_refused(client, provider_contact):
    client.force_login(provider_contact.user)

    response = client.get(reverse("workspace:home"))

    assert response.status_code == 403


@pytest.mark.django_db
def test_offer_publish_twice_records_one_history_entry(client, offer, worker_a):
    client.force_login(worker_a.user)
    before = offer.history.count()

    perform(client, "publish", offer)
    perform(client, "publish", offer)

    assert offer.history.count() == before + 1
    assert offer.history.latest().history_change_reason == "Published"
