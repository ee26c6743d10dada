"""Coordinators scheduling in the admin: slot generator, counts, publish/cancel, exports, timetable."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from events.booking import booking_create
from events.choices import BookingStatus, EventStatus
from events.models import Booking, JointEvent, Slot
from events.tests.conftest import make_provider, make_slots
from tests_support import factories

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def generate(client, surgery, **overrides):
    day = timezone.localtime(surgery.event.starts_at).date()
    data = {"day": day.isoformat(), "start": "10:00", "end": "13:00", "length_minutes": 20, "break_minutes": 0,
            "capacity": 1, **overrides}
    return client.post(reverse("admin:events_surgery_generate_slots", args=[surgery.pk]), data)


def local_times(surgery):
    return [timezone.localtime(s.starts_at).strftime("%H:%M") for s in Slot.objects.filter(surgery=surgery)]


def test_slot_generator_cuts_the_morning_into_slots(staff, surgery):
    response = generate(staff, surgery)
    assert response.status_code == 302
    assert local_times(surgery) == [
        "10:00", "10:20", "10:40", "11:00", "11:20", "11:40", "12:00", "12:20", "12:40"
    ]


def test_slot_generator_leaves_breaks_between_slots(staff, surgery):
    generate(staff, surgery, end="11:30", length_minutes=20, break_minutes=5)
    assert local_times(surgery) == ["10:00", "10:25", "10:50"]


def test_slot_generator_refuses_overlap_with_existing_slot(staff, surgery):
    day = timezone.localtime(surgery.event.starts_at).date()
    factories.SlotFactory(
        surgery=surgery, starts_at=dt.datetime.combine(day, dt.time(11, 10), tzinfo=LONDON),
        ends_at=dt.datetime.combine(day, dt.time(11, 30), tzinfo=LONDON),
    )
    response = generate(staff, surgery)
    assert response.status_code == 200
    assert "would overlap the slot at 11:10 of this surgery. Nothing was created." in response.content.decode()
    assert local_times(surgery) == ["11:10"]


def test_slot_generator_refuses_overlap_with_the_hosts_other_surgery(staff, fair, surgery, host):
    other = factories.SurgeryFactory(event=fair, title="Leadership clinic")
    other.hosts.set([host])
    generate(staff, other, start="12:00", end="12:40")
    response = generate(staff, surgery)
    assert "“Leadership clinic” (same host)" in response.content.decode()
    assert local_times(surgery) == []


def test_slot_generator_refuses_times_outside_the_event(staff, surgery):
    response = generate(staff, surgery, start="06:00", end="07:00")
    assert "Slots must fall within the event" in response.content.decode()
    assert Slot.objects.count() == 0


def test_slot_generator_end_before_start_says_so(staff, surgery):
    response = generate(staff, surgery, start="12:00", end="11:00")
    assert "The end time must be after the start time." in response.content.decode()


def test_surgery_changelist_shows_booked_counts(staff, surgery, slots, provider):
    booking_create(user=provider, slot_id=slots[0].pk)
    booking_create(user=make_provider("two"), slot_id=slots[1].pk)
    response = staff.get(reverse("admin:events_surgery_changelist"))
    assert response.context["cl"].result_list[0]._booked == 2
    assert response.context["cl"].result_list[0]._slots == 3


def test_publish_action_publishes_drafts(staff):
    draft = factories.JointEventFactory(status=EventStatus.DRAFT)
    staff.post(reverse("admin:events_jointevent_changelist"), {"action": "publish_events", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == EventStatus.PUBLISHED


def test_cancel_action_cancels_bookings_and_queues_emails(staff, fair, slots, provider, django_capture_on_commit_callbacks, mailoutbox):
    booking_create(user=provider, slot_id=slots[0].pk)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("admin:events_jointevent_changelist"), {"action": "cancel_events", "_selected_action": [fair.pk]})
    fair.refresh_from_db()
    assert fair.status == EventStatus.CANCELLED
    assert list(Booking.objects.values_list("status", flat=True)) == [BookingStatus.CANCELLED]
    assert [m.to for m in mailoutbox] == [[provider.email]]


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_bookings_csv_export(staff, fair, slots, provider, host):
    theme = factories.ThemeFactory(name="Post-16")
    booking_create(user=provider, slot_id=slots[0].pk, priorities=[theme], questions="T-levels?")
    response = staff.post(
        reverse("admin:events_jointevent_changelist"), {"action": "export_bookings", "_selected_action": [fair.pk]}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, row = read_csv(response)
    record = dict(zip(header, row))
    assert record["event"] == "South West Learning Fair"
    assert record["surgery"] == "Maths teaching excellence"
    assert record["hosts"] == "Hana Host"
    assert record["starts (UK time)"] == timezone.localtime(slots[0].starts_at).strftime("%Y-%m-%d %H:%M")
    assert (record["email"], record["priorities"], record["questions"], record["status"]) == (
        provider.email, "Post-16", "T-levels?", "confirmed"
    )
    assert read_csv(staff.get(reverse("admin:events_jointevent_bookings_csv", args=[fair.pk]))) == [header, row]


def test_evaluations_csv_export(staff, fair):
    factories.EvaluationFactory(event=fair, key_messages="Join up the mailings", rating=5)
    response = staff.post(
        reverse("admin:events_jointevent_changelist"), {"action": "export_evaluations", "_selected_action": [fair.pk]}
    )
    header, row = read_csv(response)
    record = dict(zip(header, row))
    assert record["Key messages for national strategic groups about regional working"] == "Join up the mailings"
    assert record["Overall rating (1 to 5)"] == "5"


def test_bookings_csv_export_neutralises_formulas_in_questions(staff, fair, slots, provider):
    booking_create(user=provider, slot_id=slots[0].pk, questions="+44 1392 000000 call me")

    response = staff.get(reverse("admin:events_jointevent_bookings_csv", args=[fair.pk]))

    header, row = read_csv(response)
    assert dict(zip(header, row))["questions"] == "'+44 1392 000000 call me"


def test_evaluations_csv_export_neutralises_formulas_and_keeps_numbers(staff, fair):
    factories.EvaluationFactory(event=fair, key_messages="=cmd|' /C calc'!A0", ideas="@SUM(1+1)", rating=2)

    response = staff.post(
        reverse("admin:events_jointevent_changelist"), {"action": "export_evaluations", "_selected_action": [fair.pk]}
    )

    header, row = read_csv(response)
    record = dict(zip(header, row))
    assert record["Key messages for national strategic groups about regional working"] == "'=cmd|' /C calc'!A0"
    assert record["Ideas worth taking forward"] == "'@SUM(1+1)"
    assert record["Overall rating (1 to 5)"] == "2"


def test_timetable_lists_each_hosts_slots_and_bookers(staff, fair, slots, provider):
    booking_create(user=provider, slot_id=slots[1].pk, questions="Bring the handbook")
    page = staff.get(reverse("admin:events_jointevent_timetable", args=[fair.pk])).content.decode()
    assert "<h2>Hana Host</h2>" in page
    assert "Priya Provider" in page and "Bring the handbook" in page
    assert page.count(">free<") == 2


def test_admin_event_pages_need_staff(client, fair, provider):
    client.force_login(provider)
    response = client.get(reverse("admin:events_jointevent_timetable", args=[fair.pk]))
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert JointEvent.objects.count() == 1


def test_evaluation_answers_per_event_with_average(staff, fair):
    factories.EvaluationFactory(event=fair, rating=5)
    factories.EvaluationFactory(event=fair, rating=4)
    factories.EvaluationFactory(rating=1)  # another event
    changelist = staff.get(reverse("admin:events_jointevent_changelist")).content.decode()
    assert f"?event__id__exact={fair.pk}" in changelist and "2 answers" in changelist
    page = staff.get(reverse("admin:events_evaluation_changelist"), {"event__id__exact": fair.pk}).content.decode()
    assert "2 answers, average rating 4.5 out of 5." in page


def test_coordinator_cancels_a_booking_after_the_cutoff(staff, slots, provider, django_capture_on_commit_callbacks, mailoutbox):
    booking = booking_create(user=provider, slot_id=slots[0].pk)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("admin:events_booking_changelist"), {"action": "cancel_bookings", "_selected_action": [booking.pk]})
    booking.refresh_from_db()
    slots[0].refresh_from_db()
    assert (booking.status, slots[0].booked_count) == (BookingStatus.CANCELLED, 0)
    assert [m.to for m in mailoutbox] == [[provider.email]]


def test_surgery_change_page_links_to_the_slot_generator(staff, surgery):
    page = staff.get(reverse("admin:events_surgery_change", args=[surgery.pk])).content.decode()
    assert reverse("admin:events_surgery_generate_slots", args=[surgery.pk]) in page


def test_slot_generator_form_starts_on_the_events_day_in_iso_format(staff, surgery):
    page = staff.get(reverse("admin:events_surgery_generate_slots", args=[surgery.pk])).content.decode()
    day = timezone.localtime(surgery.event.starts_at).date().isoformat()
    assert f'value="{day}"' in page  # a type=date input only shows an ISO date


# --- Slots typed in by hand: the generator's overlap rule holds there too -----


def at(surgery, hhmm):
    day = timezone.localtime(surgery.event.starts_at).date()
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=LONDON)


def bilingual(obj, *fields):
    """The admin's English and Welsh inputs of obj's translated fields, as posted (modeltranslation's names)."""
    return {
        f"{field}_{language}": getattr(obj, f"{field}_{language}") or ""
        for field in fields for language in ("en_gb", "cy")
    }


def surgery_form_data(surgery, rows):
    """The surgery's admin change form as posted: its fields and one inline row per (slot or None, start, end)."""
    data = {
        "event": surgery.event.pk, **bilingual(surgery, "title", "description"), "room": surgery.room,
        "language": surgery.language,
        "hosts": [h.pk for h in surgery.hosts.all()],
        "slots-TOTAL_FORMS": len(rows), "slots-INITIAL_FORMS": sum(1 for slot, _, _ in rows if slot),
        "slots-MIN_NUM_FORMS": 0, "slots-MAX_NUM_FORMS": 1000,
    }
    day = timezone.localtime(surgery.event.starts_at).date().isoformat()
    for n, (slot, starts, ends) in enumerate(rows):
        data.update({
            f"slots-{n}-id": slot.pk if slot else "", f"slots-{n}-surgery": surgery.pk, f"slots-{n}-capacity": 1,
            f"slots-{n}-starts_at_0": day, f"slots-{n}-starts_at_1": starts,
            f"slots-{n}-ends_at_0": day, f"slots-{n}-ends_at_1": ends,
        })
    return data


def post_surgery(client, surgery, rows):
    return client.post(reverse("admin:events_surgery_change", args=[surgery.pk]), surgery_form_data(surgery, rows))


def test_inline_slot_by_hand_overlapping_the_hosts_other_surgery_refused(staff, fair, surgery, host):
    other = factories.SurgeryFactory(event=fair, title="Leadership clinic")
    other.hosts.set([host])
    factories.SlotFactory(surgery=other, starts_at=at(other, "10:00"), ends_at=at(other, "10:20"))

    response = post_surgery(staff, surgery, [(None, "10:10", "10:30")])

    assert response.status_code == 200
    assert (
        "This slot overlaps the slot at 10:00 of “Leadership clinic” (same host). Nothing was saved."
        in response.content.decode()
    )
    assert local_times(surgery) == []


def test_inline_slot_by_hand_overlapping_a_slot_on_the_same_page_refused(staff, surgery):
    existing = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "11:00"), ends_at=at(surgery, "11:20"))

    response = post_surgery(staff, surgery, [(existing, "11:00", "11:20"), (None, "11:15", "11:35")])

    assert response.status_code == 200
    assert "This slot overlaps the slot at 11:00 on this page. Nothing was saved." in response.content.decode()
    assert local_times(surgery) == ["11:00"]


def test_inline_slots_by_hand_that_touch_but_do_not_overlap_are_saved(staff, fair, surgery, host):
    other = factories.SurgeryFactory(event=fair, title="Leadership clinic")
    other.hosts.set([host])
    factories.SlotFactory(surgery=other, starts_at=at(other, "10:00"), ends_at=at(other, "10:20"))
    existing = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "11:00"), ends_at=at(surgery, "11:20"))

    response = post_surgery(
        staff, surgery, [(existing, "11:00", "11:20"), (None, "10:20", "10:40"), (None, "11:20", "11:40")]
    )

    assert response.status_code == 302
    assert local_times(surgery) == ["10:20", "11:00", "11:20"]


def test_inline_slot_moved_onto_the_hosts_other_surgery_refused(staff, fair, surgery, host):
    other = factories.SurgeryFactory(event=fair, title="Leadership clinic")
    other.hosts.set([host])
    factories.SlotFactory(surgery=other, starts_at=at(other, "12:00"), ends_at=at(other, "12:20"))
    existing = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "11:00"), ends_at=at(surgery, "11:20"))

    response = post_surgery(staff, surgery, [(existing, "12:10", "12:30")])

    assert "of “Leadership clinic” (same host). Nothing was saved." in response.content.decode()
    assert local_times(surgery) == ["11:00"]


def post_slot_add(client, surgery, start, end):
    """The admin's own "add slot" page, on the event's day, local times."""
    day = timezone.localtime(surgery.event.starts_at).date().isoformat()
    return client.post(reverse("admin:events_slot_add"), {
        "surgery": surgery.pk, "capacity": 1,
        "starts_at_0": day, "starts_at_1": start, "ends_at_0": day, "ends_at_1": end,
    })


def test_slot_admin_add_overlapping_the_surgerys_slot_refused(staff, surgery):
    factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "11:00"), ends_at=at(surgery, "11:20"))

    response = post_slot_add(staff, surgery, "11:10", "11:30")

    assert response.status_code == 200
    assert "This slot overlaps the slot at 11:00 of this surgery. Nothing was saved." in response.content.decode()
    assert local_times(surgery) == ["11:00"]


def test_inline_slot_by_hand_checked_against_a_host_chosen_on_the_same_page(staff, fair, host):
    surgery = factories.SurgeryFactory(event=fair, title="New table")  # no host saved yet
    other = factories.SurgeryFactory(event=fair, title="Leadership clinic")
    other.hosts.set([host])
    factories.SlotFactory(surgery=other, starts_at=at(other, "10:00"), ends_at=at(other, "10:20"))
    data = surgery_form_data(surgery, [(None, "10:10", "10:30")]) | {"hosts": [host.pk]}

    response = staff.post(reverse("admin:events_surgery_change", args=[surgery.pk]), data)

    assert "of “Leadership clinic” (same host). Nothing was saved." in response.content.decode()
    assert local_times(surgery) == []
    assert list(surgery.hosts.all()) == []


# --- A host added to a surgery must be free at its slots ----------------------


def test_adding_a_host_busy_at_an_overlapping_slot_elsewhere_refused(staff, fair, surgery, host):
    busy = factories.RegionalWorkerFactory(user=factories.UserFactory(first_name="Bea", last_name="Busy"))
    other = factories.SurgeryFactory(event=fair, title="Leadership clinic")
    other.hosts.set([busy])
    factories.SlotFactory(surgery=other, starts_at=at(other, "10:10"), ends_at=at(other, "10:30"))
    existing = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))
    data = surgery_form_data(surgery, [(existing, "10:00", "10:20")]) | {"hosts": [host.pk, busy.pk]}

    response = staff.post(reverse("admin:events_surgery_change", args=[surgery.pk]), data)

    assert response.status_code == 200
    assert (
        "Bea Busy already sits at “Leadership clinic” at 10:10, which overlaps this slot. "
        "Choose another host or move the slot first. Nothing was saved." in response.content.decode()
    )
    assert list(surgery.hosts.all()) == [host]
    # What was typed is kept: both hosts stay chosen in the form shown again.
    assert response.context["adminform"].form["hosts"].value() == [str(host.pk), str(busy.pk)]


def test_adding_a_host_free_at_the_surgerys_slots_is_saved(staff, fair, surgery, host):
    free = factories.RegionalWorkerFactory(user=factories.UserFactory(first_name="Fay", last_name="Free"))
    other = factories.SurgeryFactory(event=fair, title="Leadership clinic")
    other.hosts.set([free])
    factories.SlotFactory(surgery=other, starts_at=at(other, "10:20"), ends_at=at(other, "10:40"))  # touches only
    existing = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))
    data = surgery_form_data(surgery, [(existing, "10:00", "10:20")]) | {"hosts": [host.pk, free.pk]}

    response = staff.post(reverse("admin:events_surgery_change", args=[surgery.pk]), data)

    assert response.status_code == 302
    assert set(surgery.hosts.all()) == {host, free}


def test_adding_a_host_while_moving_the_clashing_slot_away_is_saved(staff, fair, surgery, host):
    busy = factories.RegionalWorkerFactory(user=factories.UserFactory(first_name="Bea", last_name="Busy"))
    other = factories.SurgeryFactory(event=fair, title="Leadership clinic")
    other.hosts.set([busy])
    factories.SlotFactory(surgery=other, starts_at=at(other, "10:10"), ends_at=at(other, "10:30"))
    existing = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))
    data = surgery_form_data(surgery, [(existing, "11:00", "11:20")]) | {"hosts": [host.pk, busy.pk]}

    response = staff.post(reverse("admin:events_surgery_change", args=[surgery.pk]), data)

    assert response.status_code == 302  # the slots are compared as typed, not as saved
    assert local_times(surgery) == ["11:00"]
    assert set(surgery.hosts.all()) == {host, busy}


def local_split(value):
    local = timezone.localtime(value)
    return local.date().isoformat(), local.strftime("%H:%M:%S")


def event_form_data(event, surgeries):
    """The event's admin change form as posted, with its surgeries inline as [(surgery, host ids)]."""
    data = {
        **bilingual(event, "title", "summary", "description", "venue"),
        "slug": event.slug, "kind": event.kind, "status": event.status, "region": event.region_id or "",
        "address": event.address,
        "starts_at_0": local_split(event.starts_at)[0], "starts_at_1": local_split(event.starts_at)[1],
        "ends_at_0": local_split(event.ends_at)[0], "ends_at_1": local_split(event.ends_at)[1],
        "booking_opens_at_0": "", "booking_opens_at_1": "", "booking_closes_at_0": "", "booking_closes_at_1": "",
        "max_surgeries_per_person": event.max_surgeries_per_person, "waitlist_hold_hours": event.waitlist_hold_hours,
        "cancellation_cutoff_hours": event.cancellation_cutoff_hours,
        "surgeries-TOTAL_FORMS": len(surgeries), "surgeries-INITIAL_FORMS": len(surgeries),
        "surgeries-MIN_NUM_FORMS": 0, "surgeries-MAX_NUM_FORMS": 1000,
    }
    for n, (surgery, host_ids) in enumerate(surgeries):
        data.update({
            f"surgeries-{n}-id": surgery.pk, f"surgeries-{n}-event": event.pk,
            **{f"surgeries-{n}-{k}": v for k, v in bilingual(surgery, "title", "description").items()},
            f"surgeries-{n}-room": surgery.room,
            f"surgeries-{n}-language": surgery.language,
            f"surgeries-{n}-hosts": host_ids,
        })
    return data


def test_event_page_adding_a_host_busy_at_an_overlapping_slot_refused(staff, fair, surgery, host):
    busy = factories.RegionalWorkerFactory(user=factories.UserFactory(first_name="Bea", last_name="Busy"))
    other = factories.SurgeryFactory(event=fair, title="Leadership clinic")
    other.hosts.set([busy])
    factories.SlotFactory(surgery=other, starts_at=at(other, "10:10"), ends_at=at(other, "10:30"))
    factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))
    data = event_form_data(fair, [(other, [busy.pk]), (surgery, [host.pk, busy.pk])])

    response = staff.post(reverse("admin:events_jointevent_change", args=[fair.pk]), data)

    assert response.status_code == 200
    assert (
        "Bea Busy already sits at “Leadership clinic” at 10:10, which overlaps this surgery&#x27;s slot at 10:00. "
        "Choose another host or move the slot first. Nothing was saved." in response.content.decode()
    )
    assert list(surgery.hosts.all()) == [host]


def test_event_page_adding_a_free_host_is_saved(staff, fair, surgery, host):
    other = factories.SurgeryFactory(event=fair, title="Leadership clinic")
    free = factories.RegionalWorkerFactory(user=factories.UserFactory(first_name="Fay", last_name="Free"))
    other.hosts.set([free])
    factories.SlotFactory(surgery=other, starts_at=at(other, "11:00"), ends_at=at(other, "11:20"))
    factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))
    data = event_form_data(fair, [(other, [free.pk]), (surgery, [host.pk, free.pk])])

    response = staff.post(reverse("admin:events_jointevent_change", args=[fair.pk]), data)

    assert response.status_code == 302
    assert set(surgery.hosts.all()) == {host, free}


# --- Slots typed in by hand fall within the event (as the generator's do) ------


def test_inline_slot_by_hand_before_the_event_starts_refused_and_kept(staff, surgery):
    response = post_surgery(staff, surgery, [(None, "06:00", "06:20")])

    assert response.status_code == 200
    page = response.content.decode()
    fair = surgery.event
    starts, ends = timezone.localtime(fair.starts_at), timezone.localtime(fair.ends_at)
    assert (
        f"Slots must fall within the event ({starts:%-d %B %Y %H:%M} to {ends:%H:%M}). Nothing was saved." in page
    )
    assert 'value="06:00"' in page and 'value="06:20"' in page  # what was typed is shown again
    assert local_times(surgery) == []


def test_inline_slot_by_hand_ending_after_the_event_refused(staff, surgery):
    response = post_surgery(staff, surgery, [(None, "18:40", "19:00")])

    assert "Slots must fall within the event" in response.content.decode()
    assert local_times(surgery) == []


def test_inline_slot_left_outside_by_a_later_change_to_the_event_does_not_block_other_edits(staff, surgery):
    early = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "06:00"), ends_at=at(surgery, "06:20"))

    response = post_surgery(staff, surgery, [(early, "06:00", "06:20"), (None, "11:00", "11:20")])

    assert response.status_code == 302
    assert local_times(surgery) == ["06:00", "11:00"]


def test_slot_admin_add_outside_the_event_refused(staff, surgery):
    response = post_slot_add(staff, surgery, "18:40", "19:00")

    assert response.status_code == 200
    assert "Slots must fall within the event" in response.content.decode()
    assert local_times(surgery) == []


def test_event_page_moving_a_host_between_overlapping_surgeries_is_saved(staff, fair, surgery, host):
    other = factories.SurgeryFactory(event=fair, title="Leadership clinic")
    mover = factories.RegionalWorkerFactory(user=factories.UserFactory(first_name="Mo", last_name="Mover"))
    other.hosts.set([mover])
    factories.SlotFactory(surgery=other, starts_at=at(other, "10:10"), ends_at=at(other, "10:30"))
    factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))
    # Mo leaves the clinic for this surgery on the same page: hosts are compared as chosen here.
    data = event_form_data(fair, [(other, [host.pk]), (surgery, [mover.pk])])

    response = staff.post(reverse("admin:events_jointevent_change", args=[fair.pk]), data)

    assert response.status_code == 302
    assert (list(surgery.hosts.all()), list(other.hosts.all())) == ([mover], [host])


def test_event_page_adding_one_host_to_two_overlapping_surgeries_refused(staff, fair, surgery, host):
    other = factories.SurgeryFactory(event=fair, title="Leadership clinic")
    lee = factories.RegionalWorkerFactory()
    other.hosts.set([lee])
    twin = factories.RegionalWorkerFactory(user=factories.UserFactory(first_name="Tam", last_name="Twice"))
    factories.SlotFactory(surgery=other, starts_at=at(other, "10:10"), ends_at=at(other, "10:30"))
    factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))
    # Tam is added to both on the same page: neither is saved with Tam yet.
    data = event_form_data(fair, [(other, [lee.pk, twin.pk]), (surgery, [host.pk, twin.pk])])

    response = staff.post(reverse("admin:events_jointevent_change", args=[fair.pk]), data)

    assert response.status_code == 200
    page = response.content.decode()
    # Each surgery's hosts field says so.
    said = "Tam Twice already sits at “{}” at {}, which overlaps this surgery&#x27;s slot at {}."
    assert said.format("Maths teaching excellence", "10:00", "10:10") in page
    assert said.format("Leadership clinic", "10:10", "10:00") in page
    assert (list(surgery.hosts.all()), list(other.hosts.all())) == ([host], [lee])


# --- An event's new hours must hold its surgeries' slots ----------------------


def post_event_hours(client, event, surgeries, starts_at, ends_at):
    data = event_form_data(event, surgeries)
    data["starts_at_0"], data["starts_at_1"] = local_split(starts_at)
    data["ends_at_0"], data["ends_at_1"] = local_split(ends_at)
    return client.post(reverse("admin:events_jointevent_change", args=[event.pk]), data)


def test_event_hours_narrowed_past_two_slots_refused_naming_them(staff, fair, surgery, host):
    hour = dt.timedelta(hours=1)
    first = factories.SlotFactory(surgery=surgery, starts_at=fair.starts_at, ends_at=fair.starts_at + hour / 3)
    factories.SlotFactory(surgery=surgery, starts_at=fair.starts_at + 2 * hour, ends_at=fair.starts_at + 3 * hour)
    last = factories.SlotFactory(surgery=surgery, starts_at=fair.ends_at - hour / 3, ends_at=fair.ends_at)
    was = (fair.starts_at, fair.ends_at)

    response = post_event_hours(staff, fair, [(surgery, [host.pk])], fair.starts_at + hour, fair.ends_at - hour)

    assert response.status_code == 200
    assert (
        f"These slots would fall outside the new hours: {first}; {last}. "
        "Move or delete them first, or choose hours that hold them. Nothing was saved."
    ) in response.content.decode()
    fair.refresh_from_db()
    assert (fair.starts_at, fair.ends_at) == was
    # What was typed is kept.
    assert response.context["adminform"].form["starts_at"].value() == list(local_split(was[0] + hour))


def test_event_hours_narrowed_past_many_slots_names_the_first_ten(staff, fair, surgery, host):
    make_slots(surgery, 12)  # from an hour after the start, twenty minutes each

    response = post_event_hours(
        staff, fair, [(surgery, [host.pk])], fair.starts_at + dt.timedelta(hours=6), fair.ends_at
    )

    page = response.content.decode()
    assert page.count(f"{surgery.title} at ") == 10
    assert "; and 2 more. Move or delete them first" in page


def test_event_hours_changed_around_the_slots_are_saved(staff, fair, surgery, host):
    hour = dt.timedelta(hours=1)
    factories.SlotFactory(surgery=surgery, starts_at=fair.starts_at + hour, ends_at=fair.starts_at + 2 * hour)

    wanted = (fair.starts_at + hour, fair.ends_at + hour)  # the slot's start, and an hour later to finish

    response = post_event_hours(staff, fair, [(surgery, [host.pk])], *wanted)

    assert response.status_code == 302
    fair.refresh_from_db()
    assert (fair.starts_at, fair.ends_at) == wanted


def test_event_other_edits_with_a_slot_already_outside_are_saved(staff, fair, surgery, host):
    # A slot outside the hours from before this rule does not block editing the event.
    factories.SlotFactory(surgery=surgery, starts_at=fair.starts_at - dt.timedelta(hours=1), ends_at=fair.starts_at)
    data = event_form_data(fair, [(surgery, [host.pk])]) | {"venue_en_gb": "Taunton Racecourse"}

    response = staff.post(reverse("admin:events_jointevent_change", args=[fair.pk]), data)

    assert response.status_code == 302
    fair.refresh_from_db()
    assert fair.venue == "Taunton Racecourse"


# --- A surgery stays at the event it was made for -----------------------------


def test_surgery_event_is_read_only_once_made(staff, fair, surgery):
    other_fair = factories.JointEventFactory(title="North Devon fair", starts_at=fair.starts_at, ends_at=fair.ends_at)
    slot = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "11:00"), ends_at=at(surgery, "11:20"))
    page = staff.get(reverse("admin:events_surgery_change", args=[surgery.pk])).content.decode()
    assert 'name="event"' not in page and "South West Learning Fair" in page

    data = surgery_form_data(surgery, [(slot, "11:00", "11:20")]) | {"event": other_fair.pk}
    response = staff.post(reverse("admin:events_surgery_change", args=[surgery.pk]), data)

    assert response.status_code == 302
    surgery.refresh_from_db()
    assert surgery.event == fair


def test_surgery_event_is_chosen_when_adding_one(staff, fair):
    page = staff.get(reverse("admin:events_surgery_add")).content.decode()
    assert 'name="event"' in page
