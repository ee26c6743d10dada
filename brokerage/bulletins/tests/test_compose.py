"""Drafting a bulletin's content from its period."""

import datetime as dt

import pytest
from django.utils import timezone

from brokerage.models import BulletinItem
from brokerage.bulletins import services
from brokerage.bulletins.content import BulletinContent
from programmes.choices import OfferStatus
from events.choices import EventStatus
from tests_support import factories

pytestmark = pytest.mark.django_db


def _titles(bulletin):
    return sorted(str(item) for item in BulletinItem.objects.filter(bulletin=bulletin, dropped=False))


def test_compose_draft_takes_current_offers_and_open_events_of_the_period(themes):
    today = timezone.localdate()
    now = timezone.now()
    long_ago = now - dt.timedelta(days=90)
    factories.OfferFactory(title="New this month", themes=[themes["maths"]])
    factories.OfferFactory(title="Old but changed", themes=[themes["maths"]], published_at=long_ago)  # updated_at is now
    factories.OfferFactory(title="Archived", status=OfferStatus.ARCHIVED)
    factories.OfferFactory(title="Draft", status=OfferStatus.DRAFT, published_at=None)
    factories.OfferFactory(title="Dates passed", is_rolling=False, starts_on=today - dt.timedelta(days=20),
                           ends_on=today - dt.timedelta(days=2))
    factories.OfferFactory(title="Not reviewed", last_reviewed_on=today - dt.timedelta(days=200))
    factories.JointEventFactory(title="Fair coming")
    factories.JointEventFactory(title="Fair booking closed", booking_closes_at=now - dt.timedelta(hours=1))
    factories.JointEventFactory(title="Fair in draft", status=EventStatus.DRAFT)
    factories.JointEventFactory(title="Fair over", starts_at=now - dt.timedelta(days=3), booking_opens_at=None,
                                booking_closes_at=None)
    factories.JointEventFactory(title="Fair far away", starts_at=now + dt.timedelta(days=200))
    bulletin = factories.BulletinFactory(period_start=today - dt.timedelta(days=30), period_end=today)

    found = services.bulletin_compose_draft(bulletin=bulletin)

    assert found == {"offers": 2, "events": 1}
    assert _titles(bulletin) == ["Fair coming", "New this month", "Old but changed"]


def test_compose_draft_leaves_out_offers_not_changed_in_the_period(themes):
    today = timezone.localdate()
    offer = factories.OfferFactory(title="Last year", published_at=timezone.now() - dt.timedelta(days=300))
    type(offer).objects.filter(pk=offer.pk).update(updated_at=timezone.now() - dt.timedelta(days=300))
    bulletin = factories.BulletinFactory(period_start=today - dt.timedelta(days=30), period_end=today)

    services.bulletin_compose_draft(bulletin=bulletin)

    assert _titles(bulletin) == []


def test_compose_draft_again_keeps_pinned_and_dropped(themes):
    keep = factories.OfferFactory(title="Pinned one")
    drop = factories.OfferFactory(title="Dropped one")
    bulletin = factories.BulletinFactory()
    services.bulletin_compose_draft(bulletin=bulletin)
    BulletinItem.objects.filter(offer=keep).update(pinned=True)
    BulletinItem.objects.filter(offer=drop).update(dropped=True)
    type(keep).objects.filter(pk=keep.pk).update(status=OfferStatus.ARCHIVED)
    factories.OfferFactory(title="Arrived later")

    services.bulletin_compose_draft(bulletin=bulletin)

    assert _titles(bulletin) == ["Arrived later", "Pinned one"]
    assert BulletinItem.objects.get(offer=drop).dropped is True


def test_compose_draft_groups_by_theme_with_glossary_meanings(themes):
    factories.GlossaryTermFactory(acronym="ESOL", meaning="English for speakers of other languages")
    factories.OfferFactory(title="ESOL teaching tips", themes=[themes["digital"]])
    factories.OfferFactory(title="Fractions", themes=[themes["maths"]])
    bulletin = factories.BulletinFactory()
    services.bulletin_compose_draft(bulletin=bulletin)

    content = BulletinContent(bulletin).for_everyone()

    assert [(s.theme.name, [str(e.title) for e in s.entries]) for s in content.sections] == [
        ("Maths and numeracy", ["Fractions"]),
        ("Digital learning", ["ESOL teaching tips"]),
    ]
    assert content.glossary == [("ESOL", "English for speakers of other languages")]


def test_compose_draft_refused_once_sent(themes):
    bulletin = factories.BulletinFactory(status="sent", sent_at=timezone.now())

    with pytest.raises(services.BulletinError):
        services.bulletin_compose_draft(bulletin=bulletin)
