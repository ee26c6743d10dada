"""A person downloads everything held about them, and has it erased; what is kept identifies nobody."""

import datetime as dt
import json

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brokerage.models import Enquiry, Subscriber
from brokerage.privacy import services
from events.booking import booking_create, booking_seed
from events.choices import WaitlistStatus
from events.evaluations import evaluation_submit
from events.models import Booking, Evaluation, Slot, WaitlistEntry
from events.reminders import host_list_send
from events.waitlist import waitlist_join
from programmes.choices import OutboxStatus
from programmes.models import OutboxEmail
from providers.models import PlanItem
from tests_support import factories

pytestmark = pytest.mark.django_db
User = get_user_model()

EMAIL = "rosalind.quennell@college.example"
FULL_NAME = "Rosalind Quennell"
TEXT_FIELDS = (models.CharField, models.TextField, models.EmailField, models.JSONField)


def rows_naming(*needles):
    """Every row of every table (history tables included) with a text field containing a needle."""
    found = []
    for model in apps.get_models():
        fields = [field.name for field in model._meta.concrete_fields if isinstance(field, TEXT_FIELDS)]
        for needle in needles:
            condition = Q(pk__in=[])
            for name in fields:
                condition |= Q(**{f"{name}__icontains": needle})
            if fields:
                found += [f"{model._meta.label} {row.pk}" for row in model._base_manager.filter(condition)]
    return sorted(set(found))


def place(surgery, *, hours, capacity=1):
    starts = surgery.event.starts_at + dt.timedelta(hours=hours)
    return factories.SlotFactory(surgery=surgery, starts_at=starts, ends_at=starts + dt.timedelta(minutes=20),
                                 capacity=capacity)


def provider(username, **names):
    return factories.ProviderContactFactory(user=factories.UserFactory(username=username, **names)).user


@pytest.fixture
def person(db):
    contact = factories.ProviderContactFactory(
        user=factories.UserFactory(username=EMAIL, first_name="Rosalind", last_name="Quennell"),
        phone="01392 000111",
    )
    return contact.user


@pytest.fixture
def footprint(person, django_capture_on_commit_callbacks):
    """One of each kind of record about the person, as the portal writes them."""
    host = factories.RegionalWorkerFactory(
        user=factories.UserFactory(first_name="Hana", last_name="Host", username="hana@programme.example")
    )
    fair = factories.JointEventFactory(title="South West Learning Fair")
    surgery = factories.SurgeryFactory(event=fair, title="Maths surgery")
    surgery.hosts.set([host])
    booked_slot = place(surgery, hours=1)
    full = factories.SurgeryFactory(event=fair, title="Digital surgery")
    full_slot = place(full, hours=2)
    starts = timezone.now() - dt.timedelta(days=20)
    past = factories.JointEventFactory(
        title="Last autumn's fair", starts_at=starts, ends_at=starts + dt.timedelta(hours=6),
        booking_opens_at=None, booking_closes_at=None,
    )
    past_slot = place(factories.SurgeryFactory(event=past, title="Past surgery"), hours=1)
    waiting_for_maths = provider("next.in.line@provider.example")
    offer = factories.OfferFactory(title="Maths coaching", contact=host)
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_create(
            user=person, slot_id=booked_slot.pk, questions="Rosalind would like to talk about GCSE resits."
        )
        booking_seed(user=person, slot_id=past_slot.pk)
        booking_create(user=provider("other@provider.example"), slot_id=full_slot.pk)
        entry = waitlist_join(user=person, surgery_id=full.pk)
        host_list_send(surgery_id=surgery.pk, key_suffix="list")
    # Someone waits for the maths surgery once it is full: the person's cancelled place goes to them.
    waitlist_join(user=waiting_for_maths, surgery_id=surgery.pk)
    evaluation = evaluation_submit(
        user=person, event_id=past.pk, now=past.ends_at + dt.timedelta(days=1),
        answers={"main_benefits": "Meeting people. Rosalind Quennell, Exeter.", "rating": 4},
    )
    enquiries = [
        factories.EnquiryFactory(offer=offer, contact=host, user=person, name=FULL_NAME, email=EMAIL,
                                 message="Please call me."),
        # Sent before the account existed, from the same address in other letters.
        factories.EnquiryFactory(offer=offer, contact=host, name="Ros Quennell", email=EMAIL.upper(),
                                 message="Is it free?"),
    ]
    subscriber = factories.SubscriberFactory(email=EMAIL, name=FULL_NAME, organisation="Exeter College")
    factories.DeliveryFactory(subscriber=subscriber)
    plan_item = PlanItem.objects.create(organisation=person.provider_profile.organisation, offer=offer,
                                        added_by=person, note="Ask Rosalind")
    # Signing in through the page, once wrongly: the sign-in records (django-axes) name them.
    signing_in = Client(REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Firefox")
    signing_in.post(reverse("login"), {"username": EMAIL, "password": "not-the-password"})
    signing_in.post(reverse("login"), {"username": EMAIL, "password": "test-password-123"})
    LogEntry.objects.create(
        user=factories.UserFactory(username="coordinator@example.org", is_staff=True),
        content_type=ContentType.objects.get_for_model(User), object_id=str(person.pk),
        object_repr=str(person), action_flag=CHANGE, change_message="Changed the last name.",
    )
    return {
        "booking": booking, "slot": booked_slot, "entry": entry, "evaluation": evaluation,
        "enquiries": enquiries, "subscriber": subscriber, "plan_item": plan_item, "offer": offer,
        "waiting": waiting_for_maths, "host": host,
    }


# --- Export ----------------------------------------------------------------------


def test_export_contains_each_kind_of_record(person, footprint):
    person.refresh_from_db()  # signed in since the fixture made it
    data = services.person_data_export(user=person)

    assert data["account"]["email"] == EMAIL
    assert "password" not in json.dumps(data["account"])
    assert data["provider_contact"]["phone"] == "01392 000111"
    assert data["organisation_links"][0]["organisation"] == person.provider_profile.organisation.name
    assert sorted(e["message"] for e in data["enquiries"]) == ["Is it free?", "Please call me."]
    assert sorted(b["surgery"] for b in data["bookings"]) == ["Maths surgery", "Past surgery"]
    assert [e["surgery"] for e in data["waiting_list_entries"]] == ["Digital surgery"]
    assert [e["rating"] for e in data["evaluations"]] == [4]
    assert [s["email"] for s in data["bulletin_subscriptions"]] == [EMAIL]
    assert [p["note"] for p in data["plan_items_added"]] == ["Ask Rosalind"]
    assert sorted(e["kind"] for e in data["emails_to_you"]) == ["booking_confirmation"]
    history = data["sign_in_history"]
    assert history["last_sign_in"] is not None
    assert [(s["address"], s["browser"]) for s in history["sign_ins"]] == [("192.0.2.7", "Firefox")]
    assert [(f["address"], f["failures"]) for f in history["failed_sign_ins"]] == [("192.0.2.7", 1)]


def test_export_of_a_worker_holds_their_directory_entry(worker):
    data = services.person_data_export(user=worker.user)

    assert data["regional_worker"]["remit"] == worker.remit
    assert data["provider_contact"] is None


def test_my_data_download_is_one_json_file_of_the_signed_in_person(client, person, footprint):
    client.force_login(person)

    response = client.get(reverse("privacy:my_data_download"))

    assert response["Content-Disposition"].startswith('attachment; filename="my-data-2026-11-18-')
    data = json.loads(response.content)
    assert data["account"]["email"] == EMAIL
    assert len(data["bookings"]) == 2


def test_my_data_download_asks_an_anonymous_visitor_to_sign_in(client):
    response = client.get(reverse("privacy:my_data_download"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_account_and_workspace_pages_offer_the_download_and_the_erasure(client, person, worker):
    client.force_login(person)
    account = client.get("/account/").content.decode()
    client.force_login(worker.user)
    workspace = client.get("/workspace/").content.decode()

    for page in (account, workspace):
        assert f'href="{reverse("privacy:my_data_download")}"' in page
        assert f'href="{reverse("privacy:my_data_erase")}"' in page


# --- Erasure ---------------------------------------------------------------------


def test_erased_person_leaves_no_row_that_names_them(person, footprint, django_capture_on_commit_callbacks):
    assert rows_naming(EMAIL, FULL_NAME)  # the search finds them before

    with django_capture_on_commit_callbacks(execute=True):
        services.person_erase(user=person)

    assert rows_naming(EMAIL, FULL_NAME) == []


def test_erasure_cancels_bookings_to_come_and_offers_the_place_on(
    person, footprint, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        done = services.person_erase(user=person)

    assert done["bookings_cancelled"] == 1
    assert not Booking.objects.filter(pk=footprint["booking"].pk).exists()
    assert Slot.objects.get(pk=footprint["slot"].pk).booked_count == 0
    offered = WaitlistEntry.objects.get(user=footprint["waiting"])
    assert (offered.status, offered.offered_slot_id) == (WaitlistStatus.OFFERED, footprint["slot"].pk)
    assert sorted(message.to[0] for message in mailoutbox) == ["next.in.line@provider.example", EMAIL]
    # The copies of the emails that named the person are gone once sent.
    assert not OutboxEmail.objects.filter(to__icontains=EMAIL).exists()


def test_erasure_keeps_evaluations_and_enquiries_without_anything_that_identifies(person, footprint):
    services.person_erase(user=person)

    evaluation = Evaluation.objects.get(pk=footprint["evaluation"].pk)
    assert (evaluation.user_id, evaluation.rating) == (None, 4)
    assert evaluation.main_benefits == "Meeting people. [name removed], Exeter."
    kept = list(Enquiry.objects.filter(offer=footprint["offer"]).values_list("name", "email", "message", "user"))
    assert kept == [(services.ERASED, services.ERASED_EMAIL, services.ERASED, None)] * 2
    assert not Subscriber.objects.filter(email__iexact=EMAIL).exists()
    assert PlanItem.objects.get(pk=footprint["plan_item"].pk).added_by is None
    assert not User.objects.filter(pk=person.pk).exists()


def test_erasure_of_a_host_of_a_booked_surgery_is_refused(footprint):
    # The footprint's maths surgery is booked.
    host = footprint["host"].user

    with pytest.raises(services.ErasureRefused, match="another host"):
        services.person_erase(user=host)

    assert User.objects.filter(pk=host.pk).exists()


def test_erasure_of_a_worker_keeps_their_offers_without_them(worker):
    offer = factories.OfferFactory(contact=worker, last_reviewed_by=worker)

    services.person_erase(user=worker.user)

    offer.refresh_from_db()
    assert (offer.contact_id, offer.last_reviewed_by_id) == (None, None)


def test_evaluations_of_two_erased_people_for_one_event_are_both_kept(db):
    starts = timezone.now() - dt.timedelta(days=3)
    event = factories.JointEventFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=6),
                                        booking_opens_at=None, booking_closes_at=None)
    people = [provider(f"p{n}@provider.example") for n in range(2)]
    for person in people:
        Evaluation.objects.create(event=event, user=person, rating=5)

    for person in people:
        services.person_erase(user=person)

    assert list(Evaluation.objects.filter(event=event).values_list("user", flat=True)) == [None, None]


def test_my_data_erase_with_the_wrong_password_erases_nothing(client, person):
    client.force_login(person)

    response = client.post(reverse("privacy:my_data_erase"), {"password": "not-it"})

    assert "That is not your password. Nothing has been erased." in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


def test_my_data_erase_with_the_password_erases_and_signs_out(client, person):
    client.force_login(person)

    response = client.post(reverse("privacy:my_data_erase"), {"password": "test-password-123"}, follow=True)

    assert not User.objects.filter(pk=person.pk).exists()
    assert response.wsgi_request.user.is_anonymous
    assert "Your account and the data that named you have been erased." in response.content.decode()


def test_outbox_row_of_an_erased_person_is_deleted_once_sent(person, footprint, django_capture_on_commit_callbacks):
    # Erased while the broker is down: the cancellation email waits, flagged, and goes later.
    services.person_erase(user=person)
    waiting = OutboxEmail.objects.get(kind="booking_cancelled")
    assert (waiting.status, waiting.forget_after_send) == (OutboxStatus.PENDING, True)

    from programmes.outbox import outbox_drain

    outbox_drain()

    assert not OutboxEmail.objects.filter(pk=waiting.pk).exists()
    assert OutboxEmail.objects.filter(kind="waitlist_offer").get().status == OutboxStatus.SENT


# --- The admin --------------------------------------------------------------------


def test_coordinator_downloads_a_persons_data_from_the_users_admin(client, coordinator, person, footprint):
    client.force_login(coordinator)

    response = client.post(reverse("admin:auth_user_changelist"), {
        "action": "download_data", "_selected_action": [person.pk],
    })

    assert json.loads(response.content)["account"]["email"] == EMAIL


def test_coordinator_erases_a_person_after_confirming(
    client, coordinator, person, footprint, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    changelist = reverse("admin:auth_user_changelist")

    confirm = client.post(changelist, {"action": "erase_data", "_selected_action": [person.pk]})
    still_there = User.objects.filter(pk=person.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(changelist, {"action": "erase_data", "_selected_action": [person.pk], "post": "yes"})

    assert "Erase these people and their data?" in confirm.content.decode()
    assert still_there
    assert not User.objects.filter(pk=person.pk).exists()
    assert rows_naming(EMAIL, FULL_NAME) == []


def test_coordinator_erases_a_subscriber_known_only_by_address(client, coordinator):
    subscriber = factories.SubscriberFactory(email="only.an.address@example.net", name="Addie Address")
    factories.DeliveryFactory(subscriber=subscriber)
    factories.EnquiryFactory(name="Addie Address", email="Only.An.Address@example.net")
    client.force_login(coordinator)

    response = client.post(reverse("admin:privacy_erase_address"), {"email": "only.an.address@example.net"},
                           follow=True)

    assert "Only.an.address@example.net: 1 subscription removed, 1 enquiry erased." in response.content.decode()
    assert rows_naming("only.an.address@example.net", "Addie Address") == []


def test_subscriber_erase_leaves_other_addresses(db):
    factories.SubscriberFactory(email="keep@example.net")
    factories.SubscriberFactory(email="go@example.net")

    services.subscriber_erase(email="GO@example.net")

    assert list(Subscriber.objects.values_list("email", flat=True)) == ["keep@example.net"]
