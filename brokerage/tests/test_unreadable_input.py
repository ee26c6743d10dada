"""The cases of the "Trust" issue (part 2b) that answered 500: each gets a form error or the 400 page, and nothing is stored.

They matter most on PostgreSQL, which refuses a NUL character in any text it
is sent; run these there too.
"""

import pytest
from django.urls import reverse

from brokerage.models import Enquiry
from programmes.models import Offer, Theme
from programmes.workspace.forms import OfferForm
from tests_support import factories

pytestmark = pytest.mark.django_db

BAD_REQUEST_PAGE = "The address or form could not be read"


def test_nul_in_a_query_parameter_answers_the_400_page(client, worker):
    client.force_login(worker.user)

    response = client.get("/workspace/all-offers/?region=%00")

    assert response.status_code == 400
    assert BAD_REQUEST_PAGE in response.content.decode()


def test_nul_in_a_query_parameter_name_answers_400(client):
    response = client.get("/offers/?the%00me=maths")

    assert response.status_code == 400


def test_nul_in_a_path_token_answers_400(client):
    response = client.get("/bulletins/subscribe/confirm/abc%00def/")

    assert response.status_code == 400


def test_nul_in_an_admin_changelist_filter_answers_400(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("admin:programmes_offer_changelist"), {"status__exact": "\x00"})

    assert response.status_code == 400


def test_nul_in_the_bulletin_preview_email_answers_400(client, coordinator):
    bulletin = factories.BulletinFactory()
    client.force_login(coordinator)

    response = client.get(reverse("admin:bulletins_bulletin_preview", args=[bulletin.pk]), {"email": "a\x00@b.org"})

    assert response.status_code == 400


def test_nul_in_a_posted_enquiry_answers_400_and_stores_nothing(client, mailoutbox):
    offer = factories.OfferFactory(contact=factories.RegionalWorkerFactory())
    data = {"name": "Sam", "email": "sam@example.org", "message": "Any places in\x00 March?"}

    response = client.post(reverse("catalogue:offer_detail", args=[offer.slug]), data)

    assert response.status_code == 400
    assert Enquiry.objects.count() == 0
    assert mailoutbox == []


def test_very_long_query_value_answers_400(client):
    response = client.get("/offers/", {"q": "x" * 100_000})

    assert response.status_code == 400
    assert BAD_REQUEST_PAGE in response.content.decode()


def test_query_value_of_ordinary_length_is_served(client):
    response = client.get("/offers/", {"q": "numeracy " * 200})  # 1,800 characters

    assert response.status_code == 200


def test_enquiry_message_longer_than_the_limit_is_a_form_error_and_not_sent(client, mailoutbox):
    offer = factories.OfferFactory(contact=factories.RegionalWorkerFactory())
    data = {"name": "Sam", "email": "sam@example.org", "message": "x" * 2_000_000}

    response = client.post(reverse("catalogue:offer_detail", args=[offer.slug]), data)

    assert response.status_code == 200
    assert response.context["form"].errors["message"] == [
        "Ensure this value has at most 5000 characters (it has 2000000)."
    ]
    assert Enquiry.objects.count() == 0
    assert mailoutbox == []


def test_offer_form_summary_with_nul_is_a_form_error(worker):
    programme = factories.ProgrammeFactory()
    worker.programmes.add(programme)
    theme, audience = factories.ThemeFactory(), factories.AudienceFactory()
    data = {
        "programme": programme.pk, "title": "Maths coaching", "summary": "Coaching\x00 visits.", "format": "workshop",
        "cost": "free", "themes": [theme.pk], "audiences": [audience.pk], "is_rolling": "on",
    }

    form = OfferForm(data, programmes=worker.programmes.all())

    assert form.errors["summary"] == ["Null characters are not allowed."]


def test_choice_of_an_id_too_big_for_the_database_is_a_form_error(client, provider_contact):
    client.force_login(provider_contact.user)

    response = client.post(reverse("account:home"), {"priorities": "99999999999999999999"})

    assert response.status_code == 200
    assert response.context["priorities_form"].errors["priorities"]
    assert list(provider_contact.organisation.priorities.all()) == []


def test_in_lookup_with_a_number_too_big_for_the_column_matches_nothing():
    theme = factories.ThemeFactory()

    found = list(Theme.objects.filter(pk__in=[theme.pk, 99999999999999999999, -99999999999999999999]))

    assert found == [theme]


def test_admin_autocomplete_with_a_value_that_is_no_id_shows_the_form_error(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("admin:programmes_offer_add"), {"contact": "9999-12-31", "builds_on": "x"})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["contact"] == ["Select a valid choice. That choice is not one of the available choices."]
    assert errors["builds_on"] == ["“x” is not a valid value."]
    assert Offer.objects.count() == 0


def test_admin_date_hierarchy_year_too_big_is_an_unusable_filter(client, coordinator):
    client.force_login(coordinator)
    url = reverse("admin:programmes_offer_changelist")

    response = client.get(url, {"starts_on__year": "99999999999999999999"})

    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"
