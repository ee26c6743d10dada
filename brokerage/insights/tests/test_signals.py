"""Recording demand signals: once, with the right theme and region, cheaply, without personal data."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from brokerage.insights.choices import SignalKind
from brokerage.insights.models import Signal
from brokerage.insights.services import (
    normalise_words,
    record_catalogue_search,
    record_offer_signal,
    record_signal,
    signals_prune,
)
from events.choices import BookingStatus
from programmes.models import Offer
from tests_support import factories

pytestmark = pytest.mark.django_db


def get_request(user=None, agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"):
    request = RequestFactory().get("/offers/", HTTP_USER_AGENT=agent)
    request.user = user or AnonymousUser()
    return request


def rows():
    return list(
        Signal.objects.order_by("pk").values_list("kind", "theme_id", "audience_id", "region_id", "is_primary")
    )


def test_record_signal_several_themes_one_insert(django_assert_num_queries):
    maths, english = factories.ThemeFactory(), factories.ThemeFactory()
    teachers = factories.AudienceFactory()
    region = factories.RegionFactory()

    with django_assert_num_queries(1):
        record_signal(kind=SignalKind.OFFER_VIEW, themes=[maths, english], audiences=[teachers], region=region)

    assert rows() == [
        (SignalKind.OFFER_VIEW, maths.pk, teachers.pk, region.pk, True),
        (SignalKind.OFFER_VIEW, english.pk, None, region.pk, False),
    ]


def test_record_signal_unknown_kind_refused():
    with pytest.raises(ValueError):
        record_signal(kind="click")
    assert Signal.objects.count() == 0


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("  Maths   FRACTIONS!! ", "maths fractions"),
        ("esol for jane.doe@example.org please", "esol for please"),
        ("call me 07700 900123 about dyslexia", "call me about dyslexia"),
        ("see https://evil.example/x?y=1 leadership", "see leadership"),
        ("Café numérique", "café numérique"),
        ("", ""),
    ],
)
def test_normalise_words_drops_personal_data(typed, stored):
    assert normalise_words(typed) == stored


def test_normalise_words_long_text_cut_at_word_boundary():
    stored = normalise_words("numeracy " * 40)
    assert len(stored) <= 100
    assert stored.split(" ") == ["numeracy"] * len(stored.split(" "))


def test_signal_model_has_no_personal_fields():
    names = {f.name for f in Signal._meta.get_fields()}
    assert not names & {"user", "ip", "ip_address", "email", "session", "user_agent"}


def test_catalogue_search_by_provider_records_once_with_their_region_and_no_person(django_assert_num_queries):
    contact = factories.ProviderContactFactory()
    theme = factories.ThemeFactory()
    request = get_request(contact.user)

    with django_assert_num_queries(1):
        record_catalogue_search(request, q="Fractions for ann@college.example", themes=[theme], result_count=0)

    signal = Signal.objects.get()
    assert (signal.kind, signal.theme_id, signal.region_id, signal.words, signal.result_count) == (
        SignalKind.SEARCH,
        theme.pk,
        contact.organisation.region_id,
        "fractions for",
        0,
    )
    stored = " ".join(str(v) for v in Signal.objects.values().get().values())
    assert contact.user.email not in stored and contact.user.username not in stored


def test_catalogue_filter_anonymous_single_region_filter_is_the_region():
    region, theme = factories.RegionFactory(), factories.ThemeFactory()

    record_catalogue_search(get_request(), themes=[theme], regions=[region], result_count=12)

    assert rows() == [(SignalKind.FILTER, theme.pk, None, region.pk, True)]


def test_catalogue_search_second_page_and_plain_listing_record_nothing():
    record_catalogue_search(get_request(), q="maths", result_count=40, page=2)
    record_catalogue_search(get_request(), q="", result_count=400)

    assert Signal.objects.count() == 0


def test_catalogue_search_by_staff_or_robot_records_nothing():
    staff = factories.UserFactory(is_staff=True)

    record_catalogue_search(get_request(staff), q="maths", result_count=1)
    record_catalogue_search(get_request(agent="Googlebot/2.1"), q="maths", result_count=1)

    assert Signal.objects.count() == 0


def test_offer_view_prefetched_is_one_insert_with_the_offers_themes(django_assert_num_queries):
    themes = [factories.ThemeFactory(position=1), factories.ThemeFactory(position=2)]
    audience = factories.AudienceFactory()
    region = factories.RegionFactory()
    offer = factories.OfferFactory(themes=themes, audiences=[audience], regions=[region])
    offer = Offer.objects.prefetch_related("themes", "audiences", "regions").get(pk=offer.pk)

    with django_assert_num_queries(1):
        record_offer_signal(get_request(), offer)

    assert rows() == [
        (SignalKind.OFFER_VIEW, themes[0].pk, audience.pk, region.pk, True),
        (SignalKind.OFFER_VIEW, themes[1].pk, None, region.pk, False),
    ]
    assert Signal.objects.filter(offer=offer).count() == 2


def test_offer_view_not_prefetched_goes_to_a_task_after_commit(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    theme = factories.ThemeFactory()
    offer = factories.OfferFactory(themes=[theme], is_national=True)
    offer = Offer.objects.get(pk=offer.pk)

    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(0):
        record_offer_signal(get_request(), offer)
    assert Signal.objects.count() == 0
    for callback in callbacks:
        callback()

    assert rows() == [(SignalKind.OFFER_VIEW, theme.pk, None, None, True)]


def test_booking_records_one_signal_with_surgery_themes_and_event_region(django_capture_on_commit_callbacks):
    region = factories.RegionFactory()
    theme = factories.ThemeFactory()
    surgery = factories.SurgeryFactory(event=factories.JointEventFactory(region=region))
    surgery.themes.add(theme)
    slot = factories.SlotFactory(surgery=surgery)

    with django_capture_on_commit_callbacks(execute=True):
        booking = factories.BookingFactory(slot=slot)
    with django_capture_on_commit_callbacks(execute=True):
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.save()

    assert rows() == [(SignalKind.BOOKING, theme.pk, None, region.pk, True)]


def test_plan_addition_records_the_organisations_region(django_capture_on_commit_callbacks):
    theme, audience = factories.ThemeFactory(), factories.AudienceFactory()
    offer = factories.OfferFactory(themes=[theme], audiences=[audience], is_national=True)
    organisation = factories.ProviderOrganisationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        factories.PlanItemFactory(organisation=organisation, offer=offer)

    assert rows() == [(SignalKind.PLAN_ADD, theme.pk, audience.pk, organisation.region_id, True)]


def test_enquiry_records_the_offer_theme_and_its_only_region(django_capture_on_commit_callbacks):
    theme, region = factories.ThemeFactory(), factories.RegionFactory()
    offer = factories.OfferFactory(themes=[theme], regions=[region])

    with django_capture_on_commit_callbacks(execute=True):
        factories.EnquiryFactory(offer=offer)

    assert rows() == [(SignalKind.ENQUIRY, theme.pk, None, region.pk, True)]
    assert Signal.objects.get().words == ""


def test_prune_deletes_signals_older_than_13_months_only():
    now = timezone.now()
    old = factories.SignalFactory(created_at=now - dt.timedelta(days=400))
    kept = factories.SignalFactory(created_at=now - dt.timedelta(days=380))

    deleted = signals_prune(now=now, batch_size=1)

    assert deleted == 1
    assert list(Signal.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not Signal.objects.filter(pk=old.pk).exists()
