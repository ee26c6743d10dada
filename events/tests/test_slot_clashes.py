"""A fair's slots that clash with the signed-in person's other bookings are marked before they fill in the form."""

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from events import selectors
from events.booking import booking_cancel, booking_create
from events.tests.conftest import make_provider, make_slots
from programmes.translated_text import ShownText
from tests_support import factories
from tests_support.html_language import languages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_surgery(fair):
    """A second surgery at the fair, hosted by Bea Booked, with a slot at 10:00-10:20 (local time)."""
    host = factories.RegionalWorkerFactory(
        user=factories.UserFactory(first_name="Bea", last_name="Booked", username="bea@programme.example")
    )
    surgery = factories.SurgeryFactory(event=fair, title="Learning technology", room="Room 5")
    surgery.hosts.set([host])
    make_slots(surgery, 1)
    return surgery


@pytest.fixture
def booked(other_surgery, provider):
    """The provider's confirmed booking with Bea Booked at 10:00-10:20."""
    return booking_create(user=provider, slot_id=other_surgery.slots.get().pk)


def local(slot):
    return timezone.localtime(slot.starts_at).strftime("%H:%M")


def visible_text(response):
    html = response.content.decode()
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    return re.sub(r" ([.;,])", r"\1", text)  # a closing tag before punctuation left a space


@pytest.fixture
def around(surgery, fair):
    """Slots of the Maths surgery around 10:00-10:20: ending at 10:00, at 10:00, overlapping by 10 min, from 10:20."""
    ten = fair.starts_at + dt.timedelta(hours=1)
    spans = [(-20, 0), (0, 20), (10, 30), (20, 40)]
    return [
        factories.SlotFactory(
            surgery=surgery, starts_at=ten + dt.timedelta(minutes=a), ends_at=ten + dt.timedelta(minutes=b)
        )
        for a, b in spans
    ]


def test_slots_overlapping_a_booking_clash_and_touching_ends_do_not(around, booked, provider):
    clashes = selectors.slot_clashes(user=provider, slots=around)

    assert {slot.pk for slot in around if slot.pk in clashes} == {around[1].pk, around[2].pk}
    [clash] = clashes[around[1].pk]
    assert (clash.booking_id, str(clash.with_whom), clash.starts_at) == (booked.pk, "Bea Booked", booked.starts_at)


def test_the_booked_slot_does_not_clash_with_itself(booked, provider):
    assert selectors.slot_clashes(user=provider, slots=[booked.slot]) == {}


def test_cancelled_booking_does_not_clash(around, booked, provider):
    booking_cancel(user=provider, booking_id=booked.pk)

    assert selectors.slot_clashes(user=provider, slots=around) == {}


def test_another_persons_booking_does_not_clash(around, booked):
    assert selectors.slot_clashes(user=make_provider("stranger"), slots=around) == {}


def test_anonymous_visitor_has_no_clashes(around, booked):
    from django.contrib.auth.models import AnonymousUser

    assert selectors.slot_clashes(user=AnonymousUser(), slots=around) == {}


def test_booking_at_another_event_clashes_and_names_it(surgery, fair, provider):
    elsewhere = factories.JointEventFactory(
        title="Devon Network Meeting", starts_at=fair.starts_at, ends_at=fair.ends_at
    )
    other_slot = make_slots(factories.SurgeryFactory(event=elsewhere, title="Network chat"), 1)[0]
    booking = factories.BookingFactory(slot=other_slot, user=provider)  # no host: the surgery's title names it
    [slot] = make_slots(surgery, 1)

    [clash] = selectors.slot_clashes(user=provider, slots=[slot])[slot.pk]

    assert (clash.booking_id, clash.with_whom, clash.event_title) == (
        booking.pk, ShownText("Network chat"), ShownText("Devon Network Meeting")
    )


def test_clashes_read_in_one_query_for_any_number_of_slots(surgery, booked, provider, django_assert_num_queries):
    many = make_slots(surgery, 12, start=booked.starts_at - dt.timedelta(hours=1), minutes=10)
    second_host = factories.RegionalWorkerFactory()
    booked.slot.surgery.hosts.add(second_host)

    with django_assert_num_queries(1):
        clashes = selectors.slot_clashes(user=provider, slots=many)

    assert sorted(local(slot) for slot in many if slot.pk in clashes) == ["10:00", "10:10"]
    hosts = sorted(booked.slot.surgery.hosts.select_related("user"), key=lambda h: (h.user.last_name, h.user.first_name))
    assert str(clashes[many[6].pk][0].with_whom) == " and ".join(host.name for host in hosts)


# --- the pages ------------------------------------------------------------------------


def test_fair_page_marks_the_clashing_slot_in_words(client, fair, around, booked, provider):
    client.force_login(provider)

    response = client.get(fair.get_absolute_url())

    text = visible_text(response)
    assert text.count("Clashes with your booking with Bea Booked at 10:00.") == 2  # 10:00 and 10:10, not 09:40, 10:20
    html = response.content.decode()
    assert f'aria-describedby="clash-{around[1].pk}"' in html
    assert f'aria-describedby="clash-{around[0].pk}"' not in html
    assert f'aria-describedby="clash-{around[3].pk}"' not in html


def test_fair_page_for_anonymous_visitor_marks_nothing(client, fair, around, booked):
    assert "Clashes" not in visible_text(client.get(fair.get_absolute_url()))


def test_fair_page_does_not_show_another_persons_clash(client, fair, around, booked):
    client.force_login(make_provider("colleague"))

    assert "Clashes" not in visible_text(client.get(fair.get_absolute_url()))


def test_booking_form_says_the_slot_clashes(client, fair, around, booked, provider):
    client.force_login(provider)

    response = client.get(reverse("events:booking_new", args=[fair.slug, around[2].pk]))

    text = visible_text(response)
    assert "Clashes with your booking with Bea Booked at 10:00." in text
    assert "You cannot hold both: cancel that booking first, or choose another slot." in text
    assert reverse("events:booking_detail", args=[booked.pk]) in response.content.decode()


def test_booking_form_of_a_slot_ending_as_the_booking_starts_says_nothing(client, fair, around, booked, provider):
    client.force_login(provider)

    response = client.get(reverse("events:booking_new", args=[fair.slug, around[0].pk]))

    assert "Clashes" not in visible_text(response)


@pytest.mark.parametrize("welsh", [False, True], ids=["English only", "with Welsh"])
def test_welsh_booking_form_reads_the_clashing_events_names_in_the_language_they_are_shown_in(
    client, surgery, fair, provider, welsh
):
    elsewhere = factories.JointEventFactory(
        title="Devon Network Meeting", title_cy="Cyfarfod Rhwydwaith Dyfnaint" if welsh else "",
        starts_at=fair.starts_at, ends_at=fair.ends_at,
    )
    other = factories.SurgeryFactory(event=elsewhere, title="Network chat", title_cy="Sgwrs rwydwaith" if welsh else "")
    factories.BookingFactory(slot=make_slots(other, 1)[0], user=provider)  # no host: the surgery's title names it
    [slot] = make_slots(surgery, 1)
    client.force_login(provider)

    page = client.get(f"/cy/events/{fair.slug}/book/{slot.pk}/").content.decode()

    expected = ["cy"] if welsh else ["en"]
    assert languages_of(page, "Sgwrs rwydwaith" if welsh else "Network chat") == expected
    assert languages_of(page, "Cyfarfod Rhwydwaith Dyfnaint" if welsh else "Devon Network Meeting") == expected
