import re

import pytest
from django.contrib.auth import get_user_model

from providers.models import Membership, ProviderContact, ProviderOrganisation
from tests_support import factories

pytestmark = pytest.mark.django_db


def signup_data(**overrides):
    region = factories.RegionFactory()
    data = {
        "first_name": "Rosa",
        "last_name": "Penhaligon",
        "email": "Rosa.P@Truro-College.example",
        "job_title": "CPD lead",
        "password1": "a-long-passphrase-2026",
        "password2": "a-long-passphrase-2026",
        "organisation": "",
        "new_organisation_name": "Truro Community Learning",
        "new_organisation_kind": "adult_community",
        "new_organisation_region": region.pk,
    }
    data.update(overrides)
    return data


def test_signup_new_organisation_requests_to_join_it_and_signs_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", signup_data(reason="I run CPD here."))

    assert response["Location"] == "/account/"
    membership = Membership.objects.get(user__username="rosa.p@truro-college.example")
    assert membership.organisation.name == "Truro Community Learning"
    assert membership.organisation.slug == "truro-community-learning"
    assert (membership.status, membership.job_title, membership.reason) == ("pending", "CPD lead", "I run CPD here.")
    assert ProviderContact.objects.count() == 0  # nobody acts for it until a coordinator approves
    assert client.session["_auth_user_id"] == str(membership.user.pk)


def test_signup_existing_organisation_asks_to_join_it(client):
    organisation = factories.ProviderOrganisationFactory(name="Exeter College")

    client.post("/accounts/signup/", signup_data(organisation=organisation.pk, new_organisation_name=""))

    membership = Membership.objects.get()
    assert (membership.organisation, membership.status) == (organisation, "pending")
    assert ProviderContact.objects.count() == 0
    assert ProviderOrganisation.objects.count() == 1


def test_signup_no_organisation_says_what_is_missing_and_keeps_typed_values(client):
    response = client.post(
        "/accounts/signup/",
        signup_data(new_organisation_name="", new_organisation_kind="", new_organisation_region=""),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["new_organisation_name"] == ["Name your organisation, or choose it from the list."]
    assert form.errors["new_organisation_kind"] == ["Say what kind of organisation it is."]
    assert 'value="Penhaligon"' in response.content.decode()
    assert get_user_model().objects.count() == 0


def test_signup_email_already_used_refused(client):
    factories.UserFactory(username="rosa.p@truro-college.example")

    response = client.post("/accounts/signup/", signup_data())

    assert response.status_code == 200
    assert "An account already uses this address" in response.context["form"].errors["email"][0]
    assert ProviderContact.objects.count() == 0


def test_password_reset_sends_a_link_that_works(client, mailoutbox, django_capture_on_commit_callbacks):
    user = factories.UserFactory(username="reset@example.org", email="reset@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "reset@example.org"})

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["reset@example.org"]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "brand-new-secret-77", "new_password2": "brand-new-secret-77"}
    )
    user.refresh_from_db()
    assert user.check_password("brand-new-secret-77")


def test_password_reset_email_does_not_open_with_the_account_name(client, mailoutbox, django_capture_on_commit_callbacks):
    factories.UserFactory(
        username="victim@example.org", email="victim@example.org",
        first_name="Your account is suspended:", last_name="sign in at https://evil.example", email_language="en-gb",
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "victim@example.org"})

    [message] = mailoutbox
    assert message.body.startswith("Hello,\n")
    assert "evil.example" not in message.body and "suspended" not in message.subject


def test_login_wrong_password_explains_and_keeps_username(client):
    factories.UserFactory(username="someone@example.org")

    response = client.post("/accounts/login/", {"username": "someone@example.org", "password": "wrong"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert 'value="someone@example.org"' in response.content.decode()


def test_login_email_in_capitals_still_signs_in(client):
    factories.UserFactory(username="rosa@example.org")

    response = client.post("/accounts/login/", {"username": "Rosa@Example.org", "password": "test-password-123"})

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_password_change_signed_in_user_changes_password(client):
    user = factories.UserFactory(username="changer@example.org")
    client.force_login(user)

    response = client.post(
        "/accounts/password/change/",
        {"old_password": "test-password-123", "new_password1": "another-secret-88", "new_password2": "another-secret-88"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/done/"
    user.refresh_from_db()
    assert user.check_password("another-secret-88")


def test_password_change_anonymous_sent_to_sign_in(client):
    response = client.get("/accounts/password/change/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def change_password_link(html):
    """The href of the footer's "Change password" link, or None."""
    match = re.search(r'<a [^>]*href="([^"]+)"[^>]*>Change password</a>', html)
    return match.group(1) if match else None


@pytest.mark.parametrize("persona", ["provider_contact", "worker", "coordinator"])
@pytest.mark.parametrize("path", ["/", "/offers/", "/events/", "/glossary/"])
def test_change_password_link_signed_in_every_persona_reaches_the_form(client, request, persona, path):
    person = request.getfixturevalue(persona)
    client.force_login(getattr(person, "user", person))

    link = change_password_link(client.get(path).content.decode())
    form_page = client.get(link)

    assert link == "/accounts/password/change/"
    assert form_page.status_code == 200
    assert '<h1 class="h2 mb-4">Change your password</h1>' in form_page.content.decode()


def test_change_password_link_anonymous_is_not_shown(client):
    assert change_password_link(client.get("/").content.decode()) is None


def test_password_change_done_page_uses_site_layout(client):
    client.force_login(factories.UserFactory())

    response = client.get("/accounts/password/change/done/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1 class=\"h2\">Password changed</h1>" in html
    assert 'aria-label="Main"' in html


@pytest.mark.parametrize("existing", [
    {"username": "hannah.ashworth@exeter-college.example"},
    {"username": "hannah", "email": "Hannah.Ashworth@exeter-college.example"},  # a worker's account, say
])
def test_signup_address_of_another_account_in_other_capitals_refused(client, existing):
    factories.UserFactory(**existing)

    response = client.post("/accounts/signup/", signup_data(email="HANNAH.ASHWORTH@EXETER-COLLEGE.EXAMPLE"))

    assert response.context["form"].errors["email"] == [
        "An account already uses this address. Sign in or reset your password."
    ]
    assert get_user_model().objects.count() == 1
    assert Membership.objects.count() == 0


def test_signup_address_taken_between_form_and_save_refused(client, monkeypatch):
    # The form's check passed; another sign-up took the address before the service ran.
    from providers import forms

    monkeypatch.setattr(forms, "email_in_use", lambda email: False)
    factories.UserFactory(username="someone-else", email="rosa.p@truro-college.example")

    response = client.post("/accounts/signup/", signup_data())

    assert "An account already uses this address" in response.context["form"].errors["email"][0]
    assert get_user_model().objects.count() == 1
