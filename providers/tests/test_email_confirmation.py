"""A new account proves its email address before it can act for anyone."""

import datetime as dt
import re

import pytest
from django.core import signing

from providers.models import EmailConfirmation, Membership, ProviderContact
from providers.permissions import acting_contact, email_confirmed
from providers.services import email_confirmation_token
from tests_support import factories

from .conftest import confirmation_path

pytestmark = pytest.mark.django_db


def test_signup_sends_one_confirmation_link_to_the_address(signed_up, mailoutbox):
    [message] = mailoutbox

    assert message.to == ["hannah.ashworth@exeter-college.example"]
    assert message.subject == "Confirm your email address for the South West CPD Brokerage"
    assert "/accounts/confirm/" in message.alternatives[0][0]
    assert "Hannah" not in message.body  # the typed name stays out of a message to someone else's inbox
    assert email_confirmed(signed_up) is False


def test_confirmation_link_followed_confirms_the_address(client, signed_up, mailoutbox):
    path = confirmation_path(mailoutbox[0])

    page = client.get(path)
    response = client.post(path)

    assert "Confirm my email address" in page.content.decode()
    assert response["Location"] == "/account/"
    assert EmailConfirmation.objects.get(user=signed_up).confirmed_at is not None
    assert email_confirmed(signed_up) is True


def test_confirmation_link_opened_only_confirms_nothing(client, signed_up, mailoutbox):
    client.get(confirmation_path(mailoutbox[0]))  # a mail scanner following links

    assert EmailConfirmation.objects.get(user=signed_up).confirmed_at is None


def test_confirmation_link_after_three_days_expired(client, signed_up, mailoutbox, time_machine):
    path = confirmation_path(mailoutbox[0])
    time_machine.shift(dt.timedelta(days=3, seconds=1))

    page = client.get(path)
    response = client.post(path)

    assert "This link does not work" in page.content.decode()
    assert "has expired" in response.content.decode()
    assert EmailConfirmation.objects.get(user=signed_up).confirmed_at is None


def test_confirmation_link_just_before_three_days_works(client, signed_up, mailoutbox, time_machine):
    path = confirmation_path(mailoutbox[0])
    time_machine.shift(dt.timedelta(days=2, hours=23))

    client.post(path)

    assert EmailConfirmation.objects.get(user=signed_up).confirmed_at is not None


def test_confirmation_link_tampered_refused(client, signed_up, mailoutbox):
    path = confirmation_path(mailoutbox[0])
    other = factories.UserFactory(username="mallory@example.org")
    EmailConfirmation.objects.create(user=other)
    token = path.split("/")[-2]
    # Mallory swaps her own id and address into Hannah's signed token.
    value, timestamp, signature = token.rsplit(":", 2)
    forged_value = signing.b64_encode(b'{"u":%d,"e":"mallory@example.org"}' % other.pk).decode()
    forged = f"{forged_value}:{timestamp}:{signature}"

    response = client.post(f"/accounts/confirm/{forged}/")

    assert "This link does not work" in response.content.decode()
    assert EmailConfirmation.objects.filter(confirmed_at__isnull=False).count() == 0


def test_confirmation_link_for_an_address_since_changed_refused(client, signed_up, mailoutbox):
    path = confirmation_path(mailoutbox[0])
    signed_up.email = "someone.else@example.org"
    signed_up.save()

    client.post(path)

    assert EmailConfirmation.objects.get(user=signed_up).confirmed_at is None


def test_resend_mails_a_new_link_once_per_five_minutes(client, signed_up, mailoutbox, time_machine,
                                                       django_capture_on_commit_callbacks):
    client.force_login(signed_up)
    time_machine.shift(dt.timedelta(minutes=6))

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/confirm/resend/")
        client.post("/account/confirm/resend/")

    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == ["hannah.ashworth@exeter-college.example"]


def test_account_page_unconfirmed_says_check_your_email(client, signed_up):
    client.force_login(signed_up)

    html = client.get("/account/").content.decode()

    assert "<h1 class=\"h2 fw-bold\">Check your email</h1>" in html
    assert "Send me a new link" in html
    assert "Exeter College" in html  # their own request, named


def test_unconfirmed_account_with_an_approved_profile_acts_for_nobody(client, signed_up, exeter):
    # Even if a contact row existed (a coordinator's slip), an unproved address acts for no one.
    ProviderContact.objects.create(user=signed_up, organisation=exeter)
    factories.PlanItemFactory(organisation=exeter, offer__title="Exeter's secret plan item")
    client.force_login(signed_up)

    assert acting_contact(signed_up) is None
    assert "Exeter's secret plan item" not in client.get("/account/").content.decode()
    assert client.get("/account/plan.csv").status_code == 404
    assert client.get("/").context["is_provider"] is False


def test_unconfirmed_account_cannot_book_a_surgery(signed_up, exeter):
    from events.booking import booking_create
    from events.errors import NotBookable

    ProviderContact.objects.create(user=signed_up, organisation=exeter)
    slot = factories.SlotFactory()

    with pytest.raises(NotBookable) as refusal:
        booking_create(user=signed_up, slot_id=slot.pk)

    assert "Only provider contacts can book" in refusal.value.message


def test_unconfirmed_account_cannot_ask_to_join_another_organisation(client, signed_up):
    Membership.objects.filter(user=signed_up).update(status="withdrawn")
    other = factories.ProviderOrganisationFactory()
    client.force_login(signed_up)

    client.post("/account/join/", {"organisation": other.pk})

    assert list(Membership.objects.filter(user=signed_up).values_list("status", flat=True)) == ["withdrawn"]


def test_token_names_the_account_and_address():
    user = factories.UserFactory(username="t@example.org")

    payload = signing.TimestampSigner(salt="providers.email_confirmation").unsign_object(
        email_confirmation_token(user)
    )

    assert payload == {"u": user.pk, "e": "t@example.org"}


@pytest.mark.parametrize("page, reader, prefix", [("/", "cy", "/cy"), ("/cy/", "en-gb", "")])
def test_confirmation_link_opens_in_the_readers_language_and_works(
    client, exeter, mailoutbox, django_capture_on_commit_callbacks, page, reader, prefix
):
    """The link, its signed token made before the email, opens the page in the reader's language, token whole."""
    from django.contrib.auth import get_user_model

    from .conftest import signup_data

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{page}accounts/signup/",
                    signup_data(exeter.region, organisation=exeter.pk, email_language=reader))
    user = get_user_model().objects.get(email="hannah.ashworth@exeter-college.example")
    [message] = mailoutbox
    path = re.search(r"https?://[^/\s]+(/\S*accounts/confirm/[^/\s]+/)", message.body).group(1)

    response = client.post(path)

    assert path.startswith(f"{prefix}/accounts/confirm/")
    assert response["Location"] == f"{prefix}/account/"
    assert email_confirmed(user) is True
