"""The CPD plan guides the order: what each item builds on, warnings when it comes first, dates passed."""

import datetime as dt
import re
from html import unescape

import pytest

from programmes.choices import OfferStatus
from providers.choices import PlanStatus
from providers.models import PlanItem
from providers.selectors import plan_with_guidance
from tests_support import factories

pytestmark = pytest.mark.django_db

# The root conftest freezes the clock at 2026-11-18 10:00 UTC; the selector is told its day.
TODAY = dt.date(2026, 11, 18)


@pytest.fixture
def organisation(provider_contact):
    return provider_contact.organisation


@pytest.fixture
def basics(db):
    return factories.OfferFactory(title="Maths basics")


@pytest.fixture
def advanced(basics):
    offer = factories.OfferFactory(title="Maths mastery")
    offer.builds_on.set([basics])
    return offer


def plan(organisation, *offers):
    return [
        factories.PlanItemFactory(organisation=organisation, offer=offer, position=n)
        for n, offer in enumerate(offers, start=1)
    ]


def plan_text(response):
    """The plan section's words as a person reads them (tags dropped, spaces squeezed)."""
    html = response.content.decode()
    section = html[html.index('id="plan"'):]
    section = section[: section.index("</section>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", section)))


def guidance(organisation, today=TODAY):
    return {item.offer.title: item for item in plan_with_guidance(organisation, today=today)}


def test_plan_item_before_what_it_builds_on_is_warned(organisation, basics, advanced):
    plan(organisation, advanced, basics)

    items = guidance(organisation)

    assert [p.offer.title for p in items["Maths mastery"].order_warnings] == ["Maths basics"]
    assert items["Maths mastery"].prerequisites[0].number == 2
    assert items["Maths basics"].order_warnings == []


def test_plan_item_after_what_it_builds_on_is_not_warned(organisation, basics, advanced):
    plan(organisation, basics, advanced)

    items = guidance(organisation)

    assert items["Maths mastery"].order_warnings == []
    assert [(p.offer.title, p.number) for p in items["Maths mastery"].prerequisites] == [("Maths basics", 1)]


def test_plan_item_building_on_nothing_has_no_guidance(organisation):
    plan(organisation, factories.OfferFactory(title="Standalone"))

    item = guidance(organisation)["Standalone"]

    assert (item.prerequisites, item.order_warnings, item.dates_passed_on) == ([], [], None)


def test_prerequisite_missing_from_plan_is_listed_as_not_in_plan(organisation, basics, advanced):
    plan(organisation, advanced)

    [prerequisite] = guidance(organisation)["Maths mastery"].prerequisites

    assert (prerequisite.offer, prerequisite.item, prerequisite.number, prerequisite.out_of_order) == (
        basics, None, None, False
    )


def test_unpublished_prerequisite_not_in_plan_is_not_mentioned(organisation, basics, advanced):
    basics.status = OfferStatus.DRAFT
    basics.save()
    plan(organisation, advanced)

    assert guidance(organisation)["Maths mastery"].prerequisites == []


def test_done_items_are_not_warned_about_order(organisation, basics, advanced):
    first, second = plan(organisation, advanced, basics)
    PlanItem.objects.filter(pk=second.pk).update(status=PlanStatus.DONE)

    assert guidance(organisation)["Maths mastery"].order_warnings == []


@pytest.mark.parametrize(
    ("fields", "passed_on"),
    [
        ({"starts_on": dt.date(2026, 10, 1), "ends_on": dt.date(2026, 11, 17)}, dt.date(2026, 11, 17)),
        ({"starts_on": dt.date(2026, 10, 1), "ends_on": dt.date(2026, 11, 18)}, None),  # its last day is today
        ({"starts_on": dt.date(2026, 11, 10), "ends_on": None}, dt.date(2026, 11, 10)),  # a one-day offer
        ({"starts_on": dt.date(2026, 11, 18), "ends_on": None}, None),
        ({"starts_on": dt.date(2026, 12, 1), "ends_on": dt.date(2027, 1, 1)}, None),
        ({"starts_on": None, "ends_on": None}, None),  # no dates known: nothing to say
    ],
)
def test_dates_passed_on_the_stated_day(organisation, fields, passed_on):
    plan(organisation, factories.OfferFactory(title="Dated", is_rolling=False, **fields))

    assert guidance(organisation)["Dated"].dates_passed_on == passed_on


def test_rolling_offer_never_passes(organisation):
    plan(organisation, factories.OfferFactory(title="Rolling", is_rolling=True, starts_on=dt.date(2020, 1, 1)))

    assert guidance(organisation, today=dt.date(2030, 1, 1))["Rolling"].dates_passed_on is None


def test_the_day_decides_not_the_clock(organisation):
    plan(organisation, factories.OfferFactory(title="Dated", is_rolling=False, starts_on=dt.date(2027, 3, 1)))

    assert guidance(organisation, today=dt.date(2027, 3, 1))["Dated"].dates_passed_on is None
    assert guidance(organisation, today=dt.date(2027, 3, 2))["Dated"].dates_passed_on == dt.date(2027, 3, 1)


def test_done_item_with_passed_dates_says_nothing(organisation):
    [item] = plan(organisation, factories.OfferFactory(title="Dated", is_rolling=False, starts_on=dt.date(2026, 1, 5)))
    PlanItem.objects.filter(pk=item.pk).update(status=PlanStatus.DONE)

    assert guidance(organisation)["Dated"].dates_passed_on is None


def test_guidance_reads_in_two_queries_whatever_the_plan_size(organisation, django_assert_num_queries):
    offers = [factories.OfferFactory(title=f"Step {n}") for n in range(4)]
    for later, earlier in zip(offers[1:], offers):
        later.builds_on.set([earlier])
    plan(organisation, *reversed(offers))

    with django_assert_num_queries(2):  # the items with their offers, then what those offers build on
        items = plan_with_guidance(organisation, today=TODAY)

    assert [len(item.order_warnings) for item in items] == [1, 1, 1, 0]


# The page: words a provider understands, and the buttons that fix the order.


def test_account_page_warns_and_offers_the_move(client, provider_contact, basics, advanced):
    mastery, _ = plan(provider_contact.organisation, advanced, basics)
    client.force_login(provider_contact.user)

    text = plan_text(client.get("/account/"))

    assert "Builds on: Maths basics (number 2 in your plan)" in text
    assert "Warning: this comes before “Maths basics”, which it builds on." in text
    assert "Move “Maths mastery” after “Maths basics”" in text


def test_move_after_puts_the_item_after_its_prerequisite(client, provider_contact, basics, advanced):
    other = factories.OfferFactory(title="Something else")
    mastery, something, basics_item = plan(provider_contact.organisation, advanced, other, basics)
    client.force_login(provider_contact.user)

    response = client.post(f"/account/plan/{mastery.pk}/move/", {"direction": "after", "after": basics_item.pk})

    assert response.status_code == 302
    order = list(PlanItem.objects.filter(organisation=provider_contact.organisation).order_by("position"))
    assert [i.offer.title for i in order] == ["Something else", "Maths basics", "Maths mastery"]
    assert [i.position for i in order] == [1, 2, 3]
    assert "Warning" not in plan_text(client.get("/account/"))


def test_account_page_offers_to_add_missing_prerequisite_before_the_item(client, provider_contact, basics, advanced):
    first = factories.OfferFactory(title="First thing")
    _, mastery = plan(provider_contact.organisation, first, advanced)
    client.force_login(provider_contact.user)
    assert "Warning: this builds on “Maths basics”, which is not in your plan." in plan_text(client.get("/account/"))

    response = client.post(f"/account/plan/add/{basics.pk}/", {"before": mastery.pk, "next": "/account/#plan"})

    assert response["Location"] == "/account/#plan"
    order = PlanItem.objects.filter(organisation=provider_contact.organisation).order_by("position")
    assert [(i.position, i.offer.title) for i in order] == [(1, "First thing"), (2, "Maths basics"), (3, "Maths mastery")]
    assert "Warning" not in plan_text(client.get("/account/"))


def test_account_page_says_dates_passed(client, provider_contact):
    offer = factories.OfferFactory(
        title="Autumn course", is_rolling=False, starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2026, 11, 3), contact=None
    )
    plan(provider_contact.organisation, offer)
    client.force_login(provider_contact.user)

    text = plan_text(client.get("/account/"))

    assert "Dates passed: this offer ended on 3 November 2026." in text


@pytest.mark.parametrize("value", ["", "abc", "-1", "0", "1.5", "99999999999999999999", "1\x00", "<script>"])
def test_move_after_hostile_value_changes_nothing(client, provider_contact, basics, advanced, value):
    mastery, basics_item = plan(provider_contact.organisation, advanced, basics)
    client.force_login(provider_contact.user)

    response = client.post(f"/account/plan/{mastery.pk}/move/", {"direction": "after", "after": value})

    assert response.status_code in (302, 400)  # 400: the site refuses a NUL character anywhere
    order = PlanItem.objects.filter(organisation=provider_contact.organisation).order_by("position")
    assert [i.offer.title for i in order] == ["Maths mastery", "Maths basics"]


def test_move_after_another_organisations_item_changes_nothing(client, provider_contact, basics, advanced):
    mastery, _ = plan(provider_contact.organisation, advanced, basics)
    foreign = factories.PlanItemFactory(offer=basics)
    client.force_login(provider_contact.user)

    client.post(f"/account/plan/{mastery.pk}/move/", {"direction": "after", "after": foreign.pk})

    order = PlanItem.objects.filter(organisation=provider_contact.organisation).order_by("position")
    assert [i.offer.title for i in order] == ["Maths mastery", "Maths basics"]
    assert PlanItem.objects.get(pk=foreign.pk).position == foreign.position


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999999999999999", "1\x00", "<script>"])
def test_add_before_hostile_value_adds_it_last(client, provider_contact, basics, advanced, value):
    plan(provider_contact.organisation, advanced)
    client.force_login(provider_contact.user)

    response = client.post(f"/account/plan/add/{basics.pk}/", {"before": value})

    order = PlanItem.objects.filter(organisation=provider_contact.organisation).order_by("position")
    if "\x00" in value:  # the site refuses a NUL character anywhere, adding nothing
        assert (response.status_code, [i.offer.title for i in order]) == (400, ["Maths mastery"])
    else:
        assert [i.offer.title for i in order] == ["Maths mastery", "Maths basics"]


def test_add_before_another_organisations_item_adds_it_last(client, provider_contact, basics, advanced):
    plan(provider_contact.organisation, advanced)
    foreign = factories.PlanItemFactory(offer=advanced)
    client.force_login(provider_contact.user)

    client.post(f"/account/plan/add/{basics.pk}/", {"before": foreign.pk})

    order = PlanItem.objects.filter(organisation=provider_contact.organisation).order_by("position")
    assert [i.offer.title for i in order] == ["Maths mastery", "Maths basics"]
    assert list(PlanItem.objects.filter(organisation=foreign.organisation)) == [foreign]
