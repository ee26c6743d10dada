"""/events/ pages as visitors, provider contacts and workers see them."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.booking import booking_cancel, booking_create
from programmes import sections
from events.choices import BookingStatus, EventStatus, WaitlistStatus
from events.errors import EvaluationError
from events.evaluations import evaluation_submit
from events.models import Booking, Evaluation, WaitlistEntry
from events.tests.conftest import make_provider, make_slots
from events.waitlist import waitlist_join
from tests_support import factories
from tests_support.welsh import visible_text

pytestmark = pytest.mark.django_db


def book(user, slot, **kwargs):
    return booking_create(user=user, slot_id=slot.pk, **kwargs)


def test_event_list_shows_published_upcoming_events_only(client, fair):
    factories.JointEventFactory(title="Secret draft fair", status=EventStatus.DRAFT)
    factories.JointEventFactory(
        title="Last year's fair", starts_at=timezone.now() - dt.timedelta(days=400),
        ends_at=timezone.now() - dt.timedelta(days=399, hours=18),
        booking_opens_at=None, booking_closes_at=None,
    )
    page = client.get(reverse("events:event_list")).content.decode()
    assert "South West Learning Fair" in page
    assert "Secret draft fair" not in page
    assert page.index("Coming up") < page.index("South West Learning Fair") < page.index("Recent events")


@pytest.mark.parametrize("count", [1, 3])
def test_event_list_queries_do_not_grow_with_events(client, django_assert_max_num_queries, count):
    for _ in range(count):
        surgery = factories.SurgeryFactory()
        make_slots(surgery, 2)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("events:event_list"))
    assert response.content.decode().count("free slot") == count


def test_event_detail_lists_surgeries_by_programme_with_free_slots(client, fair, surgery, slots, host):
    theme = factories.ThemeFactory(name="Maths and numeracy")
    programme = factories.ProgrammeFactory(plain_name="Better maths teaching")
    surgery.themes.set([theme])
    surgery.programmes.set([programme])
    book(make_provider("early"), slots[0])
    page = client.get(fair.get_absolute_url()).content.decode()
    assert '<p class="text-uppercase small fw-semibold text-secondary-emphasis mb-1">Better maths teaching</p>' in page
    assert "Priorities: Maths and numeracy" in visible_text(page) and "Hana Host" in page
    assert "2 free slots" in page
    start = timezone.localtime(slots[0].starts_at)
    assert f">{start:%H:%M}<" not in page  # the booked slot is not offered
    assert f">{timezone.localtime(slots[1].starts_at):%H:%M}<" in page


def test_event_detail_theme_filter_shows_only_that_themes_surgeries(client, fair, surgery, slots):
    maths, esol = factories.ThemeFactory(name="Maths"), factories.ThemeFactory(name="ESOL")
    surgery.themes.set([maths])
    other = factories.SurgeryFactory(event=fair, title="English for speakers of other languages")
    other.themes.set([esol])
    make_slots(other, 1)
    page = client.get(fair.get_absolute_url()).content.decode()
    assert "Maths teaching excellence" in page and "English for speakers of other languages" in page
    filtered = client.get(fair.get_absolute_url(), {"theme": esol.slug}).content.decode()
    assert "English for speakers of other languages" in filtered
    assert "Maths teaching excellence" not in filtered
    assert f'href="?theme={esol.slug}#surgeries" aria-current="true"' in filtered


@pytest.mark.parametrize("surgeries", [1, 3])
def test_event_detail_queries_do_not_grow_with_surgeries(client, fair, provider, django_assert_max_num_queries, surgeries):
    theme = factories.ThemeFactory()
    for index in range(surgeries):
        surgery = factories.SurgeryFactory(event=fair)
        surgery.themes.set([theme])
        surgery.hosts.set([factories.RegionalWorkerFactory()])
        make_slots(surgery, 3, start=fair.starts_at + dt.timedelta(hours=index + 1))
    client.force_login(provider)
    with django_assert_max_num_queries(14):
        response = client.get(fair.get_absolute_url())
    assert response.content.decode().count("3 free slots") == surgeries


def test_event_detail_draft_hidden_from_public_and_shown_to_staff(client, admin_client):
    draft = factories.JointEventFactory(status=EventStatus.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = admin_client.get(draft.get_absolute_url())
    assert "Draft: only coordinators can see this page." in response.content.decode()


def test_event_detail_asks_visitors_to_sign_in_to_book(client, fair, slots):
    page = client.get(fair.get_absolute_url()).content.decode()
    assert f'href="/accounts/login/?next=/events/{fair.slug}/"' in page
    assert reverse("events:booking_new", args=[fair.slug, slots[0].pk]) not in page


def test_booking_page_books_for_provider(client, fair, slots, provider, mailoutbox, django_capture_on_commit_callbacks):
    theme = factories.ThemeFactory(name="Digital learning")
    client.force_login(provider)
    url = reverse("events:booking_new", args=[fair.slug, slots[1].pk])
    assert "Book this slot" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"priorities": [theme.pk], "questions": "Funding for tablets?"}, follow=True)
    booking = Booking.objects.get()
    assert (booking.user, booking.slot, booking.questions) == (provider, slots[1], "Funding for tablets?")
    assert response.redirect_chain == [(reverse("events:booking_detail", args=[booking.pk]), 302)]
    assert "A confirmation email with a calendar file is on its way." in response.content.decode()
    assert len(mailoutbox) == 1


def test_booking_page_taken_slot_says_so_and_keeps_what_was_typed(client, fair, slots, provider):
    book(make_provider("quicker"), slots[0])
    client.force_login(provider)
    response = client.post(
        reverse("events:booking_new", args=[fair.slug, slots[0].pk]), {"questions": "My carefully typed question"}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Sorry, that slot has just been taken." in page
    assert "My carefully typed question" in page


def test_booking_page_needs_sign_in(client, fair, slots):
    url = reverse("events:booking_new", args=[fair.slug, slots[0].pk])
    response = client.post(url, {})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert Booking.objects.count() == 0


def test_booking_page_slot_of_another_event_not_found(client, fair, provider):
    other_slot = factories.SlotFactory()
    client.force_login(provider)
    assert client.get(reverse("events:booking_new", args=[fair.slug, other_slot.pk])).status_code == 404


def test_cancel_page_cancels_own_booking(client, slots, provider):
    booking = book(provider, slots[0])
    client.force_login(provider)
    url = reverse("events:booking_cancel", args=[booking.pk])
    assert "Cancel this booking" in client.get(url).content.decode()
    response = client.post(url, {"next": "/events/"})
    booking.refresh_from_db()
    assert (response.status_code, response.url, booking.status) == (302, "/events/", BookingStatus.CANCELLED)


def test_cancel_page_another_persons_booking_not_found(client, slots, provider):
    booking = book(provider, slots[0])
    client.force_login(make_provider("nosy"))
    assert client.get(reverse("events:booking_cancel", args=[booking.pk])).status_code == 404
    assert client.post(reverse("events:booking_cancel", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


@pytest.mark.parametrize(
    "target", ["/\\evil.example", "//evil.example", "https://evil.example/", "javascript:alert(1)"]
)
def test_cancel_page_offsite_next_is_ignored(client, slots, provider, target):
    booking = book(provider, slots[0])
    client.force_login(provider)

    response = client.post(reverse("events:booking_cancel", args=[booking.pk]), {"next": target})

    booking.refresh_from_db()
    assert (response.url, booking.status) == ("/account/", BookingStatus.CANCELLED)


def test_cancel_page_offsite_next_not_offered_in_the_form(client, slots, provider):
    booking = book(provider, slots[0])
    client.force_login(provider)

    page = client.get(reverse("events:booking_cancel", args=[booking.pk]), {"next": "/\\evil.example"})

    assert page.context["next"] == "/account/"


def test_waitlist_join_and_leave_through_the_page(client, fair, surgery, provider):
    slot = make_slots(surgery, 1)[0]
    book(make_provider("holder"), slot)
    client.force_login(provider)
    page = client.get(fair.get_absolute_url()).content.decode()
    assert "Fully booked." in page and "Join the waiting list" in page
    client.post(reverse("events:waitlist_join", args=[surgery.pk]))
    entry = WaitlistEntry.objects.get(user=provider)
    assert "You are on the waiting list." in client.get(fair.get_absolute_url()).content.decode()
    client.post(reverse("events:waitlist_leave", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.LEFT


def test_surgery_page_with_a_place_held_for_someone_else_offers_the_waiting_list(client, fair, surgery, provider):
    slot = make_slots(surgery, 1)[0]
    holder = make_provider("holder")
    booking = book(holder, slot)
    first = make_provider("first")
    waitlist_join(user=first, surgery_id=surgery.pk)
    booking_cancel(booking_id=booking.pk, user=holder)
    booking_url = reverse("events:booking_new", args=[fair.slug, slot.pk])
    client.force_login(provider)
    page = client.get(fair.get_absolute_url()).content.decode()
    assert ("Fully booked." in page, "Join the waiting list" in page, booking_url in page) == (True, True, False)
    client.post(reverse("events:waitlist_join", args=[surgery.pk]))
    assert WaitlistEntry.objects.get(user=provider).status == WaitlistStatus.WAITING
    client.force_login(first)
    page = client.get(fair.get_absolute_url()).content.decode()
    assert ("A slot is held for you" in page, booking_url in page, "Join the waiting list" in page) == (True, True, False)


def test_calendar_feed_lists_published_upcoming_events(client, fair):
    factories.JointEventFactory(title="Hidden draft", status=EventStatus.DRAFT)
    response = client.get("/events/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    summaries = [str(item["summary"]) for item in cal.walk("VEVENT")]
    assert summaries == ["South West Learning Fair"]
    (item,) = cal.walk("VEVENT")
    assert item.decoded("dtstart") == fair.starts_at
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]


def render_section(page, user):
    """The events section of `page` as it renders there (with its registered context)."""
    request = RequestFactory().get(f"/{page}/")
    request.user = user
    owner = getattr(user, "worker_profile", None) if page == sections.WORKSPACE else None
    (section,) = [s for s in sections.sections_of(page) if s.key == "bookings"]
    context = {"request": request, **section.context(request, owner)}
    return Template(f'{{% include "{section.template}" %}}').render(Context(context))


def test_account_section_lists_upcoming_bookings_with_cancel_links(fair, slots, provider):
    kept = book(provider, slots[0])
    gone = book(provider, slots[1])
    booking_cancel(booking_id=gone.pk, user=provider)
    html = render_section(sections.ACCOUNT, provider)
    assert reverse("events:booking_cancel", args=[kept.pk]) in html
    assert reverse("events:booking_cancel", args=[gone.pk]) not in html
    assert "Past and cancelled bookings (1)" in html


def test_account_section_shows_nothing_of_other_peoples_bookings(slots, provider):
    other = book(make_provider("other"), slots[0])
    html = render_section(sections.ACCOUNT, provider)
    assert reverse("events:booking_cancel", args=[other.pk]) not in html
    assert "No upcoming surgeries." in html


def test_workspace_section_lists_bookings_of_the_hosts_surgeries(slots, host, provider):
    book(provider, slots[0], questions="Can you visit us?")
    html = render_section(sections.WORKSPACE, host.user)
    assert "Can you visit us?" in html and "Priya Provider" in html
    outsider = factories.RegionalWorkerFactory()
    assert "Can you visit us?" not in render_section(sections.WORKSPACE, outsider.user)


# --- Evaluation ---------------------------------------------------------------


@pytest.fixture
def past_fair(fair, slots, provider):
    book(provider, slots[0])
    fair.starts_at = timezone.now() - dt.timedelta(days=2)
    fair.ends_at = timezone.now() - dt.timedelta(days=1)
    fair.booking_opens_at = fair.booking_closes_at = None
    fair.save()
    return fair


ANSWERS = {"main_benefits": "Met the maths team", "key_messages": "Fewer acronyms", "ideas": "", "future_meetings": "",
           "other_comments": "", "rating": "5"}


def test_evaluation_by_attendee_recorded_once(client, past_fair, provider):
    client.force_login(provider)
    url = reverse("events:evaluation", args=[past_fair.slug])
    response = client.post(url, ANSWERS)
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.user, evaluation.rating, evaluation.key_messages) == (provider, 5, "Fewer acronyms")
    again = client.post(url, {**ANSWERS, "rating": "1"})
    assert "One response per person is recorded" in again.content.decode()
    assert Evaluation.objects.get().rating == 5


def test_evaluation_by_non_attendee_refused_saying_why(client, past_fair):
    client.force_login(make_provider("stayed-home"))
    response = client.get(reverse("events:evaluation", args=[past_fair.slug]))
    assert response.status_code == 403
    assert "the account you are signed in with had no booking at it" in response.content.decode()
    with pytest.raises(EvaluationError, match="Only people who attended"):
        evaluation_submit(user=make_provider("other"), event_id=past_fair.pk, answers={"rating": 3})


def test_evaluation_before_the_event_ends_refused(client, fair, slots, provider):
    book(provider, slots[0])
    client.force_login(provider)
    response = client.post(reverse("events:evaluation", args=[fair.slug]), ANSWERS)
    assert "once it has finished" in response.content.decode()
    assert Evaluation.objects.count() == 0


def test_evaluation_without_rating_says_what_is_missing(client, past_fair, provider):
    client.force_login(provider)
    response = client.post(reverse("events:evaluation", args=[past_fair.slug]), {**ANSWERS, "rating": ""})
    page = response.content.decode()
    assert "This field is required." in page and "Met the maths team" in page
    assert Evaluation.objects.count() == 0


def test_workspace_page_shows_the_hosts_surgery_bookings(client, slots, host, provider):
    book(provider, slots[0], questions="Can you visit us?")
    client.force_login(host.user)
    page = client.get("/workspace/").content.decode()
    assert "Surgery bookings with you" in page
    assert "Can you visit us?" in page


def test_account_page_shows_the_providers_bookings(client, slots, provider):
    booking = book(provider, slots[0])
    client.force_login(provider)
    page = client.get("/account/").content.decode()
    assert "Surgery bookings" in page
    assert reverse("events:booking_cancel", args=[booking.pk]) in page
