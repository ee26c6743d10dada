"""Wrong passwords pause signing in (django-axes): per account, per address, lifting by itself or by a coordinator.

The settings under test: AXES_FAILURE_LIMIT = 10 wrong passwords (per
account from anywhere, or from one address for any accounts) pause signing in
for AXES_COOLOFF_TIME = 15 minutes after the last try.
"""

import datetime as dt

import pytest
from axes.exceptions import AxesBackendRequestParameterRequired
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from tests_support import factories

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123"  # tests_support.factories.UserFactory's
LOGIN = "/accounts/login/"


@pytest.fixture
def ana():
    return factories.UserFactory(username="ana@college.example", first_name="Ana", last_name="Lewis")


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in_id(client):
    return client.session.get(SESSION_KEY)


def test_settings_limit_is_ten_wrong_passwords_for_fifteen_minutes(settings):
    assert (settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME) == (10, dt.timedelta(minutes=15))
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert settings.AUTHENTICATION_BACKENDS[0] == "brokerage.auth_backends.SignInLockoutBackend"


def test_sign_in_21st_wrong_password_in_a_row_refused_even_with_right_one(client, ana):
    for _ in range(20):
        sign_in(client, "ana@college.example", "wrong-password")

    response = sign_in(client, "ana@college.example", PASSWORD)

    assert response.status_code == 429
    assert "Signing in is paused for 15 minutes" in response.content.decode()
    assert signed_in_id(client) is None


def test_sign_in_ninth_wrong_password_still_lets_the_right_one_in(client, ana):
    for _ in range(9):
        sign_in(client, "ana@college.example", "wrong-password")

    response = sign_in(client, "ana@college.example", PASSWORD)

    assert response.status_code == 302
    assert signed_in_id(client) == str(ana.pk)


def test_sign_in_tenth_wrong_password_pauses_the_account(client, ana):
    for _ in range(9):
        sign_in(client, "ana@college.example", "wrong-password")

    tenth = sign_in(client, "ana@college.example", "wrong-password")
    right = sign_in(client, "ana@college.example", PASSWORD)

    assert (tenth.status_code, right.status_code) == (429, 429)
    assert signed_in_id(client) is None


def test_sign_in_locked_out_page_in_the_site_layout_says_what_to_do(client, ana):
    for _ in range(10):
        response = sign_in(client, "ana@college.example", "wrong-password")

    page = response.content.decode()
    assert response.status_code == 429
    assert "Skip to main content" in page  # the site's layout
    assert "Error 429" in page
    assert "It starts again by itself 15 minutes after the last try" in page
    assert f'href="{reverse("password_reset")}"' in page
    assert "ask a coordinator" in page


def test_sign_in_lockout_lifts_by_itself_after_the_cool_off(client, ana, time_machine):
    for _ in range(10):
        sign_in(client, "ana@college.example", "wrong-password")

    time_machine.shift(dt.timedelta(minutes=14))
    still_paused = sign_in(client, "ana@college.example", PASSWORD)  # a try while paused starts the wait over
    time_machine.shift(dt.timedelta(minutes=15, seconds=1))
    after = sign_in(client, "ana@college.example", PASSWORD)

    assert still_paused.status_code == 429
    assert after.status_code == 302
    assert signed_in_id(client) == str(ana.pk)


def test_sign_in_lockout_per_account_holds_from_any_address(ana):
    for n in range(10):
        sign_in(Client(), "Ana@College.example", "wrong-password", address=f"198.51.100.{n}")

    elsewhere = Client()
    response = sign_in(elsewhere, "ana@college.example", PASSWORD, address="192.0.2.99")

    assert response.status_code == 429
    assert signed_in_id(elsewhere) is None


def test_sign_in_lockout_per_address_holds_for_other_accounts(client, ana):
    for n in range(10):
        sign_in(client, f"guess{n}@college.example", "wrong-password", address="203.0.113.7")

    from_there = sign_in(client, "ana@college.example", PASSWORD, address="203.0.113.7")
    other = Client()
    from_elsewhere = sign_in(other, "ana@college.example", PASSWORD, address="192.0.2.99")

    assert from_there.status_code == 429
    assert signed_in_id(client) is None
    assert from_elsewhere.status_code == 302
    assert signed_in_id(other) == str(ana.pk)


def test_coordinator_sees_and_lifts_a_lockout_in_the_admin(client, coordinator, ana):
    for _ in range(10):
        sign_in(Client(), "ana@college.example", "wrong-password")
    attempt = AccessAttempt.objects.get(username="ana@college.example")
    client.force_login(coordinator)

    listing = client.get("/admin/axes/accessattempt/?locked_out=yes")
    deleted = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    ana_client = Client()
    after = sign_in(ana_client, "ana@college.example", PASSWORD)

    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [attempt]
    assert deleted.status_code == 302
    assert AccessAttempt.objects.count() == 0
    assert after.status_code == 302
    assert signed_in_id(ana_client) == str(ana.pk)


def test_coordinator_has_the_lockout_permissions_and_no_more(coordinator):
    granted = {p for p in coordinator.get_all_permissions() if p.startswith("axes.")}

    assert granted == {
        "axes.view_accessattempt", "axes.delete_accessattempt", "axes.view_accesslog", "axes.view_accessfailurelog",
    }


def test_sign_in_failed_attempt_stored_in_the_database_without_the_password(client, ana):
    sign_in(client, "ana@college.example", "wrong-password")

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "ana@college.example", "203.0.113.7", 1,
    )
    assert "wrong-password" not in attempt.post_data


def test_force_login_still_signs_in_for_tests(client, ana):
    client.force_login(ana)

    response = client.get("/")

    assert response.context["user"] == ana


def test_client_login_needs_a_request_under_axes(client, ana):
    # Axes refuses to judge a sign-in it cannot place; tests use force_login,
    # or pass a request as below.
    with pytest.raises(AxesBackendRequestParameterRequired):
        client.login(username="ana@college.example", password=PASSWORD)

    assert client.login(request=HttpRequest(), username="ana@college.example", password=PASSWORD) is True
    assert signed_in_id(client) == str(ana.pk)


def test_signup_signs_in_through_the_first_backend_and_the_next_page_knows_them(client):
    region = factories.RegionFactory()
    client.post("/accounts/signup/", {
        "first_name": "Rosa", "last_name": "Penhaligon", "email": "rosa@truro.example", "job_title": "",
        "password1": "a-long-passphrase-2026", "password2": "a-long-passphrase-2026", "organisation": "",
        "new_organisation_name": "Truro Learning", "new_organisation_kind": "adult_community",
        "new_organisation_region": region.pk,
    })

    response = client.get("/account/")

    assert response.status_code == 200
    assert response.context["user"].username == "rosa@truro.example"
    assert client.session["_auth_user_backend"] == "brokerage.auth_backends.SignInLockoutBackend"
