import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from programmes.choices import CostKind, OfferFormat, OfferStatus
from programmes.cache import forget_local
from tests_support import factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The catalogue caches counts per version; the local-memory cache outlives each test's database.
    cache.clear()
    forget_local()
    yield
    cache.clear()
    forget_local()


@pytest.fixture
def catalogue(db):
    """Known offers: three current ones, one past, one draft, one archived."""
    today = timezone.localdate()
    maths = factories.ThemeFactory(name="Maths and numeracy", slug="maths")
    english = factories.ThemeFactory(name="English and ESOL", slug="english")
    teachers = factories.AudienceFactory(name="Teachers", slug="teachers")
    leaders = factories.AudienceFactory(name="Leaders", slug="leaders")
    south_west = factories.RegionFactory(name="South West", slug="south-west")
    wales = factories.RegionFactory(name="South East Wales", slug="wales")
    contact = factories.RegionalWorkerFactory(
        user=factories.UserFactory(
            first_name="Priya", last_name="Shah", email="priya@programme.example", email_language="en-gb"
        )
    )
    maths_programme = factories.ProgrammeFactory(plain_name="Better maths teaching", slug="better-maths")
    english_programme = factories.ProgrammeFactory(plain_name="Skills for Life support", slug="skills-for-life")
    a = factories.OfferFactory(
        title="Maths coaching for teachers", slug="maths-coaching", programme=maths_programme,
        themes=[maths], audiences=[teachers], regions=[south_west],
        format=OfferFormat.COACHING, cost=CostKind.FREE, accredited=False, contact=contact,
        last_reviewed_by=contact, published_at=timezone.now() - dt.timedelta(days=3),
        is_rolling=False, starts_on=today + dt.timedelta(days=20),
    )
    b = factories.OfferFactory(
        title="Teaching reading workshop", slug="reading-workshop", programme=english_programme,
        themes=[english], audiences=[teachers, leaders], regions=[wales],
        format=OfferFormat.WORKSHOP, cost=CostKind.FUNDED, accredited=True, contact=contact,
        published_at=timezone.now() - dt.timedelta(days=2),
        is_rolling=False, starts_on=today + dt.timedelta(days=10),
    )
    c = factories.OfferFactory(
        title="Leading curriculum change", slug="leading-curriculum", programme=english_programme,
        themes=[maths, english], audiences=[leaders], is_national=True,
        format=OfferFormat.ONLINE, cost=CostKind.PAID, price=120, accredited=True, contact=contact,
        published_at=timezone.now() - dt.timedelta(days=1),
    )
    past = factories.OfferFactory(
        title="Last year's maths conference", slug="past-maths", programme=maths_programme,
        themes=[maths], audiences=[teachers], regions=[south_west], format=OfferFormat.CONFERENCE,
        is_rolling=False, starts_on=today - dt.timedelta(days=40), ends_on=today - dt.timedelta(days=39),
    )
    draft = factories.OfferFactory(
        title="Secret maths draft", slug="draft-maths", status=OfferStatus.DRAFT, themes=[maths],
        audiences=[teachers], regions=[south_west], published_at=None,
    )
    archived = factories.OfferFactory(
        title="Archived maths offer", slug="archived-maths", status=OfferStatus.ARCHIVED, themes=[maths],
        audiences=[teachers], regions=[south_west],
    )
    return {
        "a": a, "b": b, "c": c, "past": past, "draft": draft, "archived": archived,
        "maths": maths, "english": english, "teachers": teachers, "leaders": leaders,
        "south_west": south_west, "wales": wales, "contact": contact,
    }
