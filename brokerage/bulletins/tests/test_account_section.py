"""The bulletin section that /account/ includes for provider contacts."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from brokerage.bulletins.sections import account_context

from .conftest import subscriber

pytestmark = pytest.mark.django_db


def _render(user):
    request = RequestFactory().get("/account/")
    request.user = user
    context = account_context(request, None)
    return render_to_string("bulletins/_account_preferences.html", {"csrf_token": "t", **context}, request=request)


def test_account_section_not_subscribed_offers_subscribing(provider_contact):
    html = _render(provider_contact.user)

    assert 'href="/bulletins/subscribe/"' in html
    assert "Save bulletin preferences" not in html


def test_account_section_subscribed_shows_own_choices(provider_contact, themes):
    subscriber(provider_contact.user.email, themes=[themes["digital"]])

    html = _render(provider_contact.user)

    assert "Save bulletin preferences" in html
    assert f'value="{themes["digital"].pk}"' in html
    assert "checked" in html.split(f'value="{themes["digital"].pk}"')[1].split(">")[0]
    assert "checked" not in html.split(f'value="{themes["maths"].pk}"')[1].split(">")[0]


def test_preferences_post_changes_only_own_subscription(client, provider_contact, themes, regions):
    own = subscriber(provider_contact.user.email, themes=[themes["digital"]])
    other = subscriber("other@example.org", themes=[themes["digital"]])
    client.force_login(provider_contact.user)

    response = client.post(
        reverse("bulletins:preferences"),
        {"themes": [themes["maths"].pk], "regions": [regions["devon"].pk], "next": "/account/"},
    )

    assert response.status_code == 302 and response["Location"] == "/account/"
    assert list(own.themes.all()) == [themes["maths"]]
    assert list(own.regions.all()) == [regions["devon"]]
    assert list(other.themes.all()) == [themes["digital"]]


@pytest.mark.parametrize(
    "target", ["/\\evil.example", "//evil.example", "https://evil.example/", "javascript:alert(1)"]
)
def test_preferences_post_offsite_next_goes_to_account(client, provider_contact, themes, regions, target):
    subscriber(provider_contact.user.email)
    client.force_login(provider_contact.user)

    response = client.post(reverse("bulletins:preferences"), {"themes": [themes["maths"].pk], "next": target})

    assert response["Location"] == "/account/"


def test_preferences_post_local_next_is_followed(client, provider_contact, themes):
    subscriber(provider_contact.user.email)
    client.force_login(provider_contact.user)

    response = client.post(reverse("bulletins:preferences"), {"themes": [themes["maths"].pk], "next": "/account/#bulletin"})

    assert response["Location"] == "/account/#bulletin"


def test_preferences_post_unconfirmed_sends_to_subscribe(client, provider_contact, themes):
    subscriber(provider_contact.user.email, confirmed_at=None)
    client.force_login(provider_contact.user)

    response = client.post(reverse("bulletins:preferences"), {"themes": [themes["maths"].pk]})

    assert response["Location"] == reverse("bulletins:subscribe")


def test_preferences_post_anonymous_redirected_to_sign_in(client):
    response = client.post(reverse("bulletins:preferences"), {})

    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def _signed_up_with(address):
    """An account made through sign-up with this address, not yet confirmed."""
    from providers.models import EmailConfirmation
    from tests_support import factories

    user = factories.UserFactory(username=address.lower(), email=address.lower())
    EmailConfirmation.objects.create(user=user)
    return user


def test_subscription_of_the_same_address_unconfirmed_account_does_not_get_it(client, themes, regions):
    own = subscriber("hannah@exeter-college.example", themes=[themes["digital"]])
    impostor = _signed_up_with("Hannah@Exeter-College.example")
    client.force_login(impostor)

    html = _render(impostor)
    client.post(reverse("bulletins:preferences"), {"themes": [themes["maths"].pk], "regions": [regions["devon"].pk]})

    assert "Save bulletin preferences" not in html
    assert list(own.themes.all()) == [themes["digital"]]


def test_subscription_of_the_same_address_confirmed_account_gets_it(client, themes):
    from django.utils import timezone

    own = subscriber("hannah@exeter-college.example", themes=[themes["digital"]])
    user = _signed_up_with("hannah@exeter-college.example")
    user.email_confirmation.confirmed_at = timezone.now()
    user.email_confirmation.save()

    from brokerage.bulletins.selectors import subscriber_for_user

    assert subscriber_for_user(user) == own


def test_subscribe_unconfirmed_account_is_not_linked_to_the_subscription(client):
    from brokerage.models import Subscriber

    user = _signed_up_with("rosa@truro-college.example")
    client.force_login(user)

    client.post(reverse("bulletins:subscribe"), {"email": "rosa@truro-college.example", "name": "Rosa"})

    assert Subscriber.objects.get().user is None
