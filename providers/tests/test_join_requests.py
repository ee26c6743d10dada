"""Joining an organisation is a request that one of its contacts, a coordinator or a verified domain approves."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import URLPattern, reverse

from providers import urls as account_urls
from providers.models import Membership, PlanItem, ProviderContact, VerifiedDomain
from providers.permissions import acting_contact
from tests_support import factories

from .conftest import confirmation_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def exeter_contact(exeter):
    return factories.ProviderContactFactory(
        organisation=exeter,
        user=factories.UserFactory(username="sam.pearce@exeter-college.example", email_language="en-gb"),
    )


@pytest.fixture
def confirmed(client, signed_up, mailoutbox, exeter_contact, django_capture_on_commit_callbacks):
    """Hannah has confirmed her address; her request to join Exeter College waits for a decision."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirmation_path(mailoutbox[0]))
    return signed_up


@pytest.fixture
def exeter_data(exeter, exeter_contact):
    """What only Exeter College's contacts may see or change: a plan item, priorities, a booking."""
    factories.PlanItemFactory(organisation=exeter, offer__title="Exeter secret plan item")
    exeter.priorities.add(factories.ThemeFactory(name="Exeter secret priority"))
    booking = factories.BookingFactory(user=exeter_contact.user, organisation=exeter)
    return {"plan item": PlanItem.objects.get(organisation=exeter), "booking": booking}


def _account_urls(exeter, exeter_contact, pending):
    """Every /account/ URL, with Exeter College's own objects as the arguments."""
    item = PlanItem.objects.get(organisation=exeter)
    args = {
        "plan_add": [item.offer_id], "plan_move": [item.pk], "plan_status": [item.pk], "plan_remove": [item.pk],
        "request_approve": [pending.pk], "request_decline": [pending.pk], "contact_remove": [exeter_contact.pk],
    }
    names = [p.name for p in account_urls.urlpatterns if isinstance(p, URLPattern)]
    return [reverse(f"account:{name}", args=args.get(name, [])) for name in names]


def test_join_request_confirmed_stranger_sees_and_changes_nothing_at_any_account_url(
    client, confirmed, exeter, exeter_contact, exeter_data
):
    pending = Membership.objects.get(user=confirmed)
    client.force_login(confirmed)
    secrets = ["Exeter secret plan item", "Exeter secret priority", exeter_data["booking"].slot.surgery.title,
               "sam.pearce@exeter-college.example"]
    data = {"status": "done", "direction": "up", "priorities": [], "staff_groups": []}

    for url in _account_urls(exeter, exeter_contact, pending):
        for response in (client.get(url), client.post(url, data)):
            body = response.content.decode()
            assert [secret for secret in secrets if secret in body] == [], url

    assert list(PlanItem.objects.filter(organisation=exeter).values_list("offer__title", "status")) == [
        ("Exeter secret plan item", "considering")
    ]
    assert [t.name for t in exeter.priorities.all()] == ["Exeter secret priority"]
    assert list(ProviderContact.objects.values_list("user__email", flat=True)) == ["sam.pearce@exeter-college.example"]
    # Withdrawing (one of the URLs above) is the only thing she could do, to her own request.
    assert Membership.objects.get(pk=pending.pk).status == "withdrawn"


def test_join_request_waiting_page_offers_withdrawal(client, confirmed):
    client.force_login(confirmed)

    html = client.get("/account/").content.decode()

    assert "Waiting for Exeter College" in html
    assert "Withdraw my request" in html


def test_join_request_confirmed_address_emails_the_organisation_contacts(confirmed, mailoutbox):
    message = mailoutbox[-1]

    assert message.to == ["sam.pearce@exeter-college.example"]
    assert message.subject == "hannah.ashworth@exeter-college.example asks to act for Exeter College"
    assert "I lead CPD for the maths team." in message.body
    assert "/account/contacts/" in message.body


def test_join_request_unconfirmed_address_reaches_no_one(signed_up, exeter_contact, mailoutbox):
    client = Client()  # not the sign-up's: its welcome message names her address
    client.force_login(exeter_contact.user)

    html = client.get("/account/contacts/").content.decode()

    assert [m.to for m in mailoutbox] == [["hannah.ashworth@exeter-college.example"]]  # her own link only
    assert "hannah.ashworth@exeter-college.example" not in html


def test_join_request_organisation_without_contacts_emails_the_brokerage_team(
    client, signed_up, mailoutbox, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirmation_path(mailoutbox[0]))

    assert mailoutbox[-1].to == [settings.ENQUIRY_FALLBACK_EMAIL]
    assert "/admin/providers/membership/?status__exact=pending" in mailoutbox[-1].body


def test_join_request_verified_domain_approved_on_confirmation(
    client, signed_up, exeter, mailoutbox, django_capture_on_commit_callbacks
):
    VerifiedDomain.objects.create(organisation=exeter, domain="exeter-college.example")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirmation_path(mailoutbox[0]))

    membership = Membership.objects.get(user=signed_up)
    assert (membership.status, membership.decided_by) == ("approved", None)
    assert acting_contact(signed_up).organisation == exeter
    assert mailoutbox[-1].subject == "You now act for Exeter College"
    assert membership.history.first().history_change_reason == (
        "Approved: exeter-college.example is a verified domain of the organisation"
    )


def test_join_request_other_domain_not_approved_by_verified_domain(
    client, exeter, mailoutbox, django_capture_on_commit_callbacks
):
    from .conftest import signup_data

    VerifiedDomain.objects.create(organisation=exeter, domain="exeter-college.example")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", signup_data(
            exeter.region, organisation=exeter.pk, email="hannah@exeter-college.example.evil.test"
        ))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirmation_path(mailoutbox[0]))

    assert Membership.objects.get().status == "pending"


def test_join_request_approved_by_a_contact_emails_the_person_who_then_sees_the_plan(
    client, confirmed, exeter, exeter_contact, exeter_data, mailoutbox, django_capture_on_commit_callbacks
):
    pending = Membership.objects.get(user=confirmed)
    client.force_login(exeter_contact.user)
    listed = client.get("/account/contacts/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/account/contacts/requests/{pending.pk}/approve/")

    pending.refresh_from_db()
    assert "hannah.ashworth@exeter-college.example" in listed and "I lead CPD for the maths team." in listed
    assert (pending.status, pending.decided_by) == ("approved", exeter_contact.user)
    assert mailoutbox[-1].to == ["hannah.ashworth@exeter-college.example"]
    assert mailoutbox[-1].subject == "You now act for Exeter College"
    client.force_login(confirmed)
    assert "Exeter secret plan item" in client.get("/account/").content.decode()


def test_join_request_declined_by_a_contact_emails_the_person_who_sees_nothing(
    client, confirmed, exeter_contact, exeter_data, mailoutbox, django_capture_on_commit_callbacks
):
    pending = Membership.objects.get(user=confirmed)
    client.force_login(exeter_contact.user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/account/contacts/requests/{pending.pk}/decline/")

    pending.refresh_from_db()
    assert pending.status == "declined"
    assert mailoutbox[-1].subject == "Your request to join Exeter College was declined"
    client.force_login(confirmed)
    html = client.get("/account/").content.decode()
    assert "Exeter secret plan item" not in html
    assert "Ask to act for your organisation" in html


def test_join_request_contact_of_another_organisation_cannot_decide_it(client, confirmed):
    outsider = factories.ProviderContactFactory()
    pending = Membership.objects.get(user=confirmed)
    client.force_login(outsider.user)

    response = client.post(f"/account/contacts/requests/{pending.pk}/approve/")

    assert response.status_code == 404
    assert Membership.objects.get(pk=pending.pk).status == "pending"
    assert acting_contact(confirmed) is None


def test_join_request_approved_twice_decided_once(client, confirmed, exeter_contact, mailoutbox,
                                                   django_capture_on_commit_callbacks):
    pending = Membership.objects.get(user=confirmed)
    client.force_login(exeter_contact.user)
    sent_before = len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/account/contacts/requests/{pending.pk}/approve/")
        second = client.post(f"/account/contacts/requests/{pending.pk}/decline/", follow=True)

    assert Membership.objects.get(pk=pending.pk).status == "approved"
    assert "already been decided" in second.content.decode()
    assert len(mailoutbox) == sent_before + 1


def test_join_request_withdrawn_by_the_person(client, confirmed):
    client.force_login(confirmed)

    client.post("/account/join/withdraw/")

    assert Membership.objects.get(user=confirmed).status == "withdrawn"
    assert "Ask to act for your organisation" in client.get("/account/").content.decode()


def test_join_request_after_withdrawal_for_another_organisation(client, confirmed):
    other = factories.ProviderOrganisationFactory(name="Truro College")
    client.force_login(confirmed)
    client.post("/account/join/withdraw/")

    client.post("/account/join/", {"organisation": other.pk, "reason": "Wrong college before."})

    assert list(Membership.objects.filter(user=confirmed).order_by("pk").values_list("organisation__name", "status")) == [
        ("Exeter College", "withdrawn"), ("Truro College", "pending")
    ]


def test_join_request_second_while_one_is_open_refused(client, confirmed):
    client.force_login(confirmed)

    response = client.post("/account/join/", {"organisation": factories.ProviderOrganisationFactory().pk}, follow=True)

    assert "You already have a request waiting" in response.content.decode()
    assert Membership.objects.filter(user=confirmed).count() == 1


def test_membership_one_open_per_user_enforced_by_the_database(exeter):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organisation=exeter)
    factories.MembershipFactory(user=user, status="declined")

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.MembershipFactory(user=user, status="approved")


def test_membership_status_outside_the_choices_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.MembershipFactory(status="maybe")


def test_join_request_coordinator_approves_in_the_admin(
    client, coordinator, confirmed, mailoutbox, django_capture_on_commit_callbacks
):
    pending = Membership.objects.get(user=confirmed)
    client.force_login(coordinator)
    changelist = client.get("/admin/providers/membership/?status__exact=pending").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/providers/membership/", {"action": "approve", "_selected_action": [pending.pk]}, follow=True
        )

    pending.refresh_from_db()
    assert "hannah.ashworth@exeter-college.example" in changelist and "I lead CPD for the maths team." in changelist
    assert (pending.status, pending.decided_by) == ("approved", coordinator)
    assert "1 request approved." in response.content.decode()
    assert mailoutbox[-1].subject == "You now act for Exeter College"


def test_join_request_coordinator_declines_in_the_admin(client, coordinator, confirmed):
    pending = Membership.objects.get(user=confirmed)
    client.force_login(coordinator)

    client.post("/admin/providers/membership/", {"action": "decline", "_selected_action": [pending.pk]})

    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == ("declined", coordinator)


def test_join_request_unconfirmed_not_approved_in_the_admin(client, coordinator, signed_up):
    pending = Membership.objects.get(user=signed_up)
    client.force_login(coordinator)

    response = client.post(
        "/admin/providers/membership/", {"action": "approve", "_selected_action": [pending.pk]}, follow=True
    )

    assert "has not confirmed their email address yet" in response.content.decode()
    assert Membership.objects.get(pk=pending.pk).status == "pending"
