"""After a fair: the evaluation is easy to reach for those who attended, and everyone else is told why not."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events import selectors
from events.booking import booking_cancel, booking_create
from events.evaluations import evaluation_invitations_send
from events.tests.conftest import make_provider
from tests_support import factories

pytestmark = pytest.mark.django_db


def move_to_the_past(event):
    event.starts_at = timezone.now() - dt.timedelta(days=2)
    event.ends_at = timezone.now() - dt.timedelta(days=2) + dt.timedelta(hours=8)
    event.booking_opens_at = event.booking_closes_at = None
    event.save()
    return event


@pytest.fixture
def attended_fair(fair, slots, provider):
    booking_create(user=provider, slot_id=slots[0].pk)
    return move_to_the_past(fair)


def test_evaluation_page_not_signed_in_offers_a_sign_in_link_back(client, attended_fair):
    url = reverse("events:evaluation", args=[attended_fair.slug])

    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == 403
    assert f"Sign in to evaluate {attended_fair.title}." in page
    assert f'<a href="/accounts/login/?next={url}">Sign in</a> if you have an account.' in page


def test_evaluation_page_for_someone_without_a_booking_says_so(client, attended_fair):
    client.force_login(make_provider("stayed-home"))

    response = client.get(reverse("events:evaluation", args=[attended_fair.slug]))

    page = response.content.decode()
    assert response.status_code == 403
    assert "the account you are signed in with had no booking at it" in page
    assert "Send my evaluation" not in page


def test_evaluation_page_for_someone_who_cancelled_says_they_had_no_booking(client, fair, slots):
    leaver = make_provider("leaver")
    booking = booking_create(user=leaver, slot_id=slots[0].pk)
    booking_cancel(booking_id=booking.pk, user=leaver)
    move_to_the_past(fair)
    client.force_login(leaver)

    response = client.get(reverse("events:evaluation", args=[fair.slug]))

    assert "had no booking at it" in response.content.decode()


def test_evaluation_page_before_the_event_ends_says_when_it_opens(client, fair, slots, provider):
    booking_create(user=provider, slot_id=slots[0].pk)
    client.force_login(provider)

    response = client.get(reverse("events:evaluation", args=[fair.slug]))

    page = response.content.decode()
    ends = timezone.localtime(fair.ends_at)
    assert f"it ends at {ends:%H:%M} on {ends:%A %-d %B %Y} (UK time)" in page
    assert "Send my evaluation" not in page


def test_evaluation_page_after_evaluating_shows_the_answers_with_thanks(client, attended_fair, provider):
    factories.EvaluationFactory(
        event=attended_fair, user=provider, rating=4, main_benefits="Met the maths team", ideas=""
    )
    client.force_login(provider)

    response = client.get(reverse("events:evaluation", args=[attended_fair.slug]))

    page = response.content.decode()
    assert "Thank you: you evaluated this event" in page
    assert "<dd>4 out of 5</dd>" in page
    assert "<dt>The main benefits for you</dt><dd>Met the maths team</dd>" in page
    assert "Send my evaluation" not in page


def test_evaluation_page_for_an_attendee_shows_the_form(client, attended_fair, provider):
    client.force_login(provider)

    response = client.get(reverse("events:evaluation", args=[attended_fair.slug]))

    assert "Send my evaluation" in response.content.decode()


def test_event_page_after_the_event_links_an_attendee_to_the_evaluation(client, attended_fair, provider):
    client.force_login(provider)

    page = client.get(attended_fair.get_absolute_url()).content.decode()

    url = reverse("events:evaluation", args=[attended_fair.slug])
    assert f'You attended this event. <a href="{url}">Fill in its evaluation</a>' in page


def test_event_page_after_evaluating_thanks_instead_of_asking_again(client, attended_fair, provider):
    factories.EvaluationFactory(event=attended_fair, user=provider)
    client.force_login(provider)

    page = client.get(attended_fair.get_absolute_url()).content.decode()

    assert "Thank you for evaluating this event." in page
    assert "Fill in its evaluation" not in page


def test_event_page_after_the_event_asks_nothing_of_someone_who_did_not_attend(client, attended_fair):
    client.force_login(make_provider("stayed-home"))

    page = client.get(attended_fair.get_absolute_url()).content.decode()

    assert reverse("events:evaluation", args=[attended_fair.slug]) not in page


def test_account_page_lists_the_evaluations_due(client, attended_fair, provider):
    client.force_login(provider)

    page = client.get("/account/").content.decode()

    url = reverse("events:evaluation", args=[attended_fair.slug])
    assert f'<a href="{url}">Evaluate {attended_fair.title}</a>' in page


def test_account_page_lists_no_evaluation_once_it_is_done(client, attended_fair, provider):
    factories.EvaluationFactory(event=attended_fair, user=provider)
    client.force_login(provider)

    page = client.get("/account/").content.decode()

    assert 'id="evaluations-due"' not in page
    assert reverse("events:evaluation", args=[attended_fair.slug]) not in page


def test_evaluations_due_only_ended_events_attended_and_not_evaluated(fair, slots, provider):
    booking_create(user=provider, slot_id=slots[0].pk)
    upcoming = factories.JointEventFactory(title="Next fair")
    evaluated = move_to_the_past(factories.JointEventFactory(title="Evaluated fair"))
    evaluated_slot = factories.SlotFactory(
        surgery=factories.SurgeryFactory(event=evaluated),
        starts_at=evaluated.starts_at + dt.timedelta(hours=1), ends_at=evaluated.starts_at + dt.timedelta(hours=2),
    )
    factories.BookingFactory(slot=evaluated_slot, user=provider)
    factories.EvaluationFactory(event=evaluated, user=provider)
    move_to_the_past(fair)

    due = list(selectors.evaluations_due(provider))

    assert due == [fair]
    assert upcoming not in due


def test_evaluation_invitation_not_sent_to_someone_who_evaluated_already(
    fair, slots, provider, mailoutbox, django_capture_on_commit_callbacks
):
    booking_create(user=provider, slot_id=slots[0].pk)
    other = make_provider("other")
    booking_create(user=other, slot_id=slots[1].pk)
    factories.EvaluationFactory(event=fair, user=provider)

    with django_capture_on_commit_callbacks(execute=True):
        sent = evaluation_invitations_send(now=fair.ends_at + dt.timedelta(hours=1))

    invitations = [m for m in mailoutbox if m.subject.startswith("How was")]
    assert sent == 1
    assert [m.to for m in invitations] == [[other.email]]
    assert f"Sign in with the account you booked with ({other.email})" in invitations[0].body
