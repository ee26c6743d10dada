"""The shared frame and the simple pages answer in Welsh under /cy/; hostile /cy/ input never 500s."""

import pytest
from django.test import Client

from tests_support import factories
from tests_support.welsh import welsh_page

pytestmark = pytest.mark.django_db



@pytest.mark.parametrize(
    "path,welsh",
    [
        ("/cy/", "Holl ddysgu proffesiynol y rhanbarth, mewn un lle"),
        ("/cy/glossary/", "Ystyr yr acronymau"),
        ("/cy/cookies/", "Cwcis cwbl angenrheidiol"),
        ("/cy/contact/", "Beth i'w ddisgwyl"),
        ("/cy/privacy/", "Beth rydym yn ei gasglu"),
        ("/cy/accessibility/", "Pa mor hygyrch yw'r wefan hon"),
        ("/cy/accounts/login/", "Wedi anghofio eich cyfrinair?"),
        ("/cy/accounts/signup/", "Creu cyfrif darparwr"),
        ("/cy/accounts/password/reset/", "Ailosod eich cyfrinair"),
        ("/cy/accounts/password/reset/sent/", "Edrychwch ar eich e-bost"),
    ],
)
def test_public_page_answers_in_welsh(client, path, welsh):
    page = welsh_page(client.get(path))
    assert welsh in page
    assert "Skip to main content" not in page
    assert "Neidio i'r prif gynnwys" in page
    assert ">Mewngofnodi</a>" in page  # the navigation's sign-in link


def test_welsh_frame_links_stay_in_welsh(client):
    page = welsh_page(client.get("/cy/glossary/"))
    for path in ["/cy/offers/", "/cy/events/", "/cy/programmes/", "/cy/network/", "/cy/bulletins/", "/cy/privacy/",
                 "/cy/cookies/", "/cy/accessibility/", "/cy/contact/", "/cy/bulletins/subscribe/"]:
        assert f'href="{path}"' in page
    assert 'aria-current="page" href="/cy/glossary/"' in page


def test_english_page_stays_english(client):
    page = client.get("/glossary/").content.decode()
    assert '<html lang="en-GB">' in page
    assert "What the acronyms mean" in page
    assert 'href="/offers/"' in page


def test_welsh_home_counts_offers_with_welsh_plurals(client):
    factories.OfferFactory()
    assert "Chwilio drwy 1 cynnig" in welsh_page(client.get("/cy/"))
    factories.OfferFactory()
    assert "Chwilio drwy 2 gynnig" in welsh_page(client.get("/cy/"))


def test_welsh_home_dates_in_welsh(client):
    factories.JointEventFactory()
    page = welsh_page(client.get("/cy/"))
    assert "Dydd " in page
    assert not any(day in page for day in ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])


def test_welsh_404_page(client):
    response = client.get("/cy/dim-tudalen/")
    assert response.status_code == 404
    assert "Heb ddod o hyd i'r dudalen" in welsh_page(response)


def test_welsh_400_page_for_a_nul_in_the_address(client):
    response = client.get("/cy/offers/?q=a%00b")
    assert response.status_code == 400
    assert "Nid oedd modd darllen y cyfeiriad na'r ffurflen" in welsh_page(response)


def test_welsh_csrf_page():
    response = Client(enforce_csrf_checks=True).post("/cy/bulletins/subscribe/", {"email": "a@example.org"})
    assert response.status_code == 403
    assert "Roedd eich ffurflen wedi dod i ben" in welsh_page(response)


def test_welsh_500_page():
    client = Client(raise_request_exception=False)

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("brokerage.views.render", broken)
        response = client.get("/cy/")
    assert response.status_code == 500
    assert "aeth rhywbeth o'i le ar ein hochr ni" in response.content.decode()
    assert '<html lang="cy">' in response.content.decode()


def test_welsh_sign_up_errors_and_labels(client):
    response = client.post("/cy/accounts/signup/", {"email": "nia@ysgol.example"})
    page = welsh_page(response)
    assert "Rhowch enw eich sefydliad, neu dewiswch ef o" in page
    assert "Iaith eich negeseuon e-bost" in page
    assert "Cyfeiriad e-bost" in page


def test_welsh_sign_up_welcome_message(client):
    region = factories.RegionFactory()
    response = client.post(
        "/cy/accounts/signup/",
        {
            "first_name": "Nia", "last_name": "Jones", "email": "nia@ysgol.example",
            "password1": "a-long-passphrase-2026", "password2": "a-long-passphrase-2026",
            "new_organisation_name": "Ysgol Gymraeg", "new_organisation_kind": "school",
            "new_organisation_region": region.pk,
        },
        follow=True,
    )
    assert response.redirect_chain[0][0] == "/cy/account/"
    assert "Croeso! Rydym wedi anfon dolen at nia@ysgol.example" in welsh_page(response)


def test_welsh_sign_in_error(client):
    response = client.post("/cy/accounts/login/", {"username": "nobody@example.org", "password": "wrong"})
    page = welsh_page(response)
    assert "Cyfeiriad e-bost neu enw defnyddiwr" in page


def test_welsh_account_page_frame(client, provider_contact):
    client.force_login(provider_contact.user)
    page = welsh_page(client.get("/cy/account/"))
    assert "Blaenoriaethau" in page
    assert ">Allgofnodi <span" in page
    assert "Dewisiadau iaith" in page  # the footer's link to the language preferences


def test_welsh_my_data_page(client, provider_contact):
    client.force_login(provider_contact.user)
    assert "Lawrlwytho eich data" in welsh_page(client.get("/cy/privacy/my-data/"))


# Addresses no view of ours means, and values a client may put in the language cookie.
HOSTILE_WELSH_PATHS = [
    "/cy", "/cy/", "/cy//", "/cy/cy/", "/CY/", "/cy-GB/", "/en-gb/", "/en/", "/cy/%00", "/cy/offers/%00/",
    "/cy/" + "x" * 5000, "/cy/offers/<script>/", "/cy/%E2%80%AE/", "/cy/events/calendar.ics?x=%FF",
    "/cy/../offers/", "/cy/%2e%2e/admin/", "/cy/healthz", "/cy/static/css/site.css", "/cy/offers/?page=-1",
]
HOSTILE_COOKIES = ["cy", "CY", "fr", "en", "", "x" * 5000, "cy\x00", "<script>", "zh-hant-tw-x-private", "../../"]


@pytest.mark.parametrize("path", HOSTILE_WELSH_PATHS)
def test_hostile_welsh_path_never_500(client, path):
    assert client.get(path).status_code < 500


@pytest.mark.parametrize("value", HOSTILE_COOKIES)
@pytest.mark.parametrize("path", ["/", "/cy/", "/offers/", "/cy/glossary/"])
def test_hostile_language_cookie_never_500_nor_changes_the_language(client, path, value):
    client.cookies["django_language"] = value
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=value[:100] or "*")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == ("cy" if path.startswith("/cy/") else "en-gb")


def test_hostile_language_preference_post_never_500(client, provider_contact):
    client.force_login(provider_contact.user)
    for value in ["a\x00b", "x" * 100_000, ["cy", "en-gb"], "cy\u202e"]:
        response = client.post("/cy/accounts/preferences/language/", {"language": value, "email_language": value})
        assert response.status_code in (200, 302, 400)


def test_data_export_includes_language_preferences(client, provider_contact):
    from people.models import Preferences

    Preferences.objects.create(user=provider_contact.user, language="cy", email_language="")
    client.force_login(provider_contact.user)
    data = client.get("/cy/privacy/my-data/download/").json()
    assert data["language_preferences"] == {"website": "cy", "emails": "both, Welsh first"}


def test_welsh_privacy_notice_states_retention_in_welsh(client):
    page = welsh_page(client.get("/cy/privacy/"))
    assert "Sesiynau mewngofnodi: maent yn dod i ben" in page
    assert "Sign-in sessions" not in page


def test_welsh_pages_are_valid_html(client, provider_contact, tmp_path):
    """The Nu HTML checker on the Welsh frame (lang attributes included); skipped where it is not installed."""
    from tests_support.nu import nu_errors, nu_missing

    if nu_missing():
        pytest.skip(nu_missing())
    factories.OfferFactory()
    factories.JointEventFactory()
    paths = ["/cy/", "/cy/glossary/", "/cy/privacy/", "/cy/cookies/", "/cy/accessibility/", "/cy/contact/",
             "/cy/accounts/login/", "/cy/accounts/signup/", "/cy/dim-tudalen/"]
    documents = {path: client.get(path).content.decode() for path in paths}
    client.force_login(provider_contact.user)
    for path in ["/cy/account/", "/cy/accounts/preferences/language/", "/cy/privacy/my-data/"]:
        documents[path] = client.get(path).content.decode()
    assert nu_errors(documents, tmp_path) == []


def test_the_portal_is_named_in_welsh_on_welsh_pages_and_in_english_on_english_ones(client, coordinator):
    welsh, english = client.get("/cy/glossary/").content.decode(), client.get("/glossary/").content.decode()
    client.force_login(coordinator)
    welsh_admin = client.get("/cy/admin/").content.decode()

    assert "Broceriaeth DPP y De-orllewin" in welsh and "South West CPD Brokerage" not in welsh
    assert "South West CPD Brokerage" in english and "Broceriaeth DPP" not in english
    assert "Broceriaeth DPP y De-orllewin" in welsh_admin and "South West CPD Brokerage" not in welsh_admin


@pytest.mark.parametrize("environment, welsh_name", [
    ({}, "Broceriaeth DPP y De-orllewin"),
    ({"SITE_NAME": "Cornwall CPD Hub"}, "Cornwall CPD Hub"),  # renamed in English alone: that name in Welsh too
    ({"SITE_NAME": "Cornwall CPD Hub", "SITE_NAME_CY": "Hyb DPP Cernyw"}, "Hyb DPP Cernyw"),
])
def test_the_welsh_name_follows_the_sites_settings(environment, welsh_name):
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "BROKERAGE_TESTING": "true",
           "DJANGO_SETTINGS_MODULE": "brokerage.settings", **environment}
    code = "from django.conf import settings as s; print(s.SITE_NAME_CY)"
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True,
                            text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == welsh_name


def test_the_server_error_page_names_the_portal_in_its_language():
    from django.utils import translation

    from brokerage.error_views import server_error

    with translation.override("cy"):
        welsh = server_error(None).content.decode()
    assert "Broceriaeth DPP y De-orllewin" in welsh
