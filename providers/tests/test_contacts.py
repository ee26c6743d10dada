"""An organisation's contacts see who else acts for it, remove a colleague, or leave; history keeps each change."""

import pytest
from django.urls import reverse

from providers.models import Membership, ProviderContact
from providers.permissions import acting_contact
from tests_support import factories

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as a new request would load it (the test's instance caches its old profile)."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def colleagues(exeter):
    sam = factories.ProviderContactFactory(organisation=exeter, user__username="sam@exeter-college.example")
    priya = factories.ProviderContactFactory(organisation=exeter, user__username="priya@exeter-college.example")
    return sam, priya


def test_contacts_page_lists_the_organisation_contacts_only(client, colleagues):
    sam, _ = colleagues
    factories.ProviderContactFactory(user__username="someone@elsewhere.example")
    client.force_login(sam.user)

    response = client.get("/account/contacts/")

    assert {c.user.email for c in response.context["contacts"]} == {
        "sam@exeter-college.example", "priya@exeter-college.example"
    }
    assert "someone@elsewhere.example" not in response.content.decode()


def test_contact_removed_by_a_colleague_recorded_in_history(client, colleagues):
    sam, priya = colleagues
    client.force_login(sam.user)

    client.post(f"/account/contacts/{priya.pk}/remove/")

    membership = Membership.objects.get(user=priya.user)
    assert (membership.status, membership.decided_by) == ("removed", sam.user)
    assert acting_contact(fresh(priya.user)) is None
    latest = membership.history.first()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        "removed", sam.user, f"Removed by {sam.user.get_full_name()}"
    )
    deleted = ProviderContact.history.filter(user_id=priya.user.pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", sam.user)


def test_contact_removed_sees_nothing_of_the_organisation(client, colleagues, exeter):
    sam, priya = colleagues
    factories.PlanItemFactory(organisation=exeter, offer__title="Exeter secret plan item")
    client.force_login(sam.user)
    client.post(f"/account/contacts/{priya.pk}/remove/")

    client.force_login(priya.user)
    html = client.get("/account/").content.decode()

    assert "Exeter secret plan item" not in html
    assert "Your last request, to act for Exeter College: removed by a colleague" in html
    assert client.get("/account/plan.csv").status_code == 404


def test_contact_cannot_remove_a_contact_of_another_organisation(client, colleagues):
    sam, _ = colleagues
    stranger = factories.ProviderContactFactory()
    client.force_login(sam.user)

    response = client.post(f"/account/contacts/{stranger.pk}/remove/")

    assert response.status_code == 404
    assert acting_contact(stranger.user) == stranger


def test_contact_cannot_remove_themselves_but_leaves(client, colleagues):
    sam, _ = colleagues
    client.force_login(sam.user)

    refused = client.post(f"/account/contacts/{sam.pk}/remove/", follow=True)
    client.post("/account/leave/")

    assert "To stop acting for the organisation yourself, leave it." in refused.content.decode()
    membership = Membership.objects.get(user=sam.user)
    assert membership.status == "left"
    assert membership.history.first().history_change_reason == "Left the organisation"
    assert ProviderContact.history.filter(user_id=sam.user.pk).first().history_type == "-"
    assert acting_contact(fresh(sam.user)) is None


def test_contact_who_left_can_ask_to_join_again(client, colleagues, exeter):
    sam, priya = colleagues
    client.force_login(sam.user)
    client.post("/account/leave/")

    client.post("/account/join/", {"organisation": exeter.pk, "reason": "Back from leave."})

    assert list(Membership.objects.filter(user=sam.user).order_by("pk").values_list("status", flat=True)) == [
        "left", "pending"
    ]
    client.force_login(priya.user)
    assert "Back from leave." in client.get("/account/contacts/").content.decode()


def test_contacts_page_not_for_someone_without_an_organisation(client):
    client.force_login(factories.UserFactory())

    response = client.get("/account/contacts/")

    assert response.status_code == 404
    assert "sam@" not in response.content.decode()


def test_contact_removed_by_a_coordinator_in_the_admin(client, coordinator, colleagues):
    _, priya = colleagues
    client.force_login(coordinator)

    client.post("/admin/providers/providercontact/", {
        "action": "remove_from_organisation", "_selected_action": [priya.pk],
    })

    membership = Membership.objects.get(user=priya.user)
    assert (membership.status, membership.decided_by) == ("removed", coordinator)
    assert acting_contact(fresh(priya.user)) is None


def test_contact_admin_offers_no_delete_but_a_user_delete_takes_the_profile(admin_client):
    contact = factories.ProviderContactFactory()

    changelist = admin_client.get(reverse("admin:providers_providercontact_changelist")).content.decode()
    change = admin_client.get(reverse("admin:providers_providercontact_change", args=[contact.pk])).content.decode()
    refused = admin_client.post(reverse("admin:providers_providercontact_delete", args=[contact.pk]), {"post": "yes"},
                                follow=True)
    user_deleted = admin_client.post(reverse("admin:auth_user_delete", args=[contact.user.pk]), {"post": "yes"})

    assert 'value="delete_selected"' not in changelist
    assert 'value="remove_from_organisation"' in changelist
    assert reverse("admin:providers_providercontact_delete", args=[contact.pk]) not in change
    assert "Contacts are not deleted" in refused.content.decode()
    assert user_deleted.status_code == 302
    assert not ProviderContact.objects.filter(pk=contact.pk).exists()
