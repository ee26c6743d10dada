"""A signed-in person's language is remembered and applied when they next sign in."""

import pytest
from django.contrib.auth import get_user_model

from people.models import Preferences
from tests_support import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-2026"


@pytest.fixture
def person():
    user = factories.UserFactory(username="nia@example.org", email="nia@example.org")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, path="/accounts/login/"):
    """Sign in; the answer's Location is where the person ends up (after /signed-in/, which
    sends coordinators on to their start page and everyone else home)."""
    response = client.post(path, {"username": "nia@example.org", "password": PASSWORD})
    if response.status_code == 302 and response["Location"].rstrip("/").endswith("/signed-in"):
        response = client.get(response["Location"])
    return response


def test_switching_to_welsh_is_stored(client, person):
    client.force_login(person)
    client.get("/glossary/")
    client.get("/cy/glossary/")
    assert Preferences.objects.get(user=person).language == "cy"


def test_reading_in_the_same_language_writes_nothing(client, person, django_assert_num_queries):
    client.force_login(person)
    client.get("/glossary/")
    stored = Preferences.objects.get(user=person)
    client.get("/privacy/")
    assert Preferences.objects.get(user=person) == stored
    assert stored.language == "en-gb"


def test_stored_welsh_is_applied_on_sign_in(client, person):
    Preferences.objects.create(user=person, language="cy")
    response = client.post(
        "/accounts/login/?next=/offers/%3Ftheme%3Dx", {"username": "nia@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/cy/offers/?theme=x"


def test_stored_welsh_sends_sign_in_without_next_to_welsh_home(client, person):
    Preferences.objects.create(user=person, language="cy")
    response = sign_in(client)
    assert response["Location"] == "/cy/"


def test_stored_english_takes_a_welsh_sign_in_to_english(client, person):
    Preferences.objects.create(user=person, language="en-gb")
    response = client.post(
        "/cy/accounts/login/?next=/cy/glossary/", {"username": "nia@example.org", "password": PASSWORD}
    )
    assert response["Location"] == "/glossary/"


def test_first_sign_in_records_the_page_language(client, person):
    response = sign_in(client, "/cy/accounts/login/")
    assert response["Location"] == "/cy/"
    assert Preferences.objects.get(user=person).language == "cy"


def test_preferences_page_saves_both_languages_and_answers_in_the_chosen_one(client, person):
    client.force_login(person)
    response = client.post("/accounts/preferences/language/", {"language": "cy", "email_language": "cy"})
    assert response["Location"] == "/cy/accounts/preferences/language/"
    stored = Preferences.objects.get(user=person)
    assert (stored.language, stored.email_language) == ("cy", "cy")
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="cy">' in page


def test_preferences_email_language_may_stay_unknown(client, person):
    client.force_login(person)
    client.post("/accounts/preferences/language/", {"language": "en-gb", "email_language": ""})
    assert Preferences.objects.get(user=person).email_language == ""


@pytest.mark.parametrize("value", ["fr", "cy-GB", "<script>", "x" * 300, ""])
def test_preferences_page_refuses_a_language_it_does_not_offer(client, person, value):
    client.force_login(person)
    response = client.post("/accounts/preferences/language/", {"language": value, "email_language": value})
    assert response.status_code == 200
    assert not Preferences.objects.filter(user=person, language=value).exists()


def test_preferences_page_needs_sign_in(client):
    response = client.get("/cy/accounts/preferences/language/")
    assert response.status_code == 302
    assert response["Location"].startswith("/cy/accounts/login/")


def test_sign_up_records_email_language_and_page_language(client):
    region = factories.RegionFactory()
    client.post(
        "/cy/accounts/signup/",
        {
            "first_name": "Nia", "last_name": "Jones", "email": "nia.jones@ysgol.example",
            "password1": PASSWORD, "password2": PASSWORD, "organisation": "",
            "new_organisation_name": "Ysgol Gymraeg", "new_organisation_kind": "adult_community",
            "new_organisation_region": region.pk, "email_language": "cy",
        },
    )
    user = get_user_model().objects.get(username="nia.jones@ysgol.example")
    assert (user.preferences.language, user.preferences.email_language) == ("cy", "cy")
