"""The database itself refuses rows that break the invariants."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from tests_support import factories

pytestmark = pytest.mark.django_db


def assert_rejected(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_offer_ending_before_it_starts_rejected():
    assert_rejected(
        lambda: factories.OfferFactory(starts_on=dt.date(2027, 3, 1), ends_on=dt.date(2027, 2, 1))
    )


def test_offer_paid_without_price_rejected():
    assert_rejected(lambda: factories.OfferFactory(cost="paid", price=None))


def test_offer_negative_price_rejected():
    assert_rejected(lambda: factories.OfferFactory(cost="paid", price=-5))


def test_offer_unknown_status_rejected():
    assert_rejected(lambda: factories.OfferFactory(status="deleted"))


def test_offer_unknown_format_rejected():
    assert_rejected(lambda: factories.OfferFactory(format="telepathy"))


def test_offer_valid_paid_offer_kept():
    offer = factories.OfferFactory(cost="paid", price=120, starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 1, 1))
    assert offer.pk is not None


def test_plan_item_twice_for_one_organisation_rejected():
    item = factories.PlanItemFactory()
    assert_rejected(lambda: factories.PlanItemFactory(organisation=item.organisation, offer=item.offer))
