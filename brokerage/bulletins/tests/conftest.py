import datetime as dt

import pytest
from django.utils import timezone

from brokerage.bulletins import services
from tests_support import factories


@pytest.fixture
def themes(db):
    return {
        "maths": factories.ThemeFactory(name="Maths and numeracy", slug="maths", position=1),
        "digital": factories.ThemeFactory(name="Digital learning", slug="digital", position=2),
    }


@pytest.fixture
def regions(db):
    return {
        "devon": factories.RegionFactory(name="Devon", slug="devon"),
        "gwent": factories.RegionFactory(name="Gwent", slug="gwent"),
    }


@pytest.fixture
def composed_bulletin(db, themes, regions):
    """A bulletin with a maths offer in Devon, a digital offer in Gwent and a national digital offer."""
    factories.OfferFactory(title="Maths mastery in Devon", themes=[themes["maths"]], regions=[regions["devon"]])
    factories.OfferFactory(title="Digital skills in Gwent", themes=[themes["digital"]], regions=[regions["gwent"]])
    factories.OfferFactory(title="National digital toolkit", themes=[themes["digital"]], is_national=True)
    bulletin = factories.BulletinFactory(title="November bulletin", introduction="Hello from the network.")
    services.bulletin_compose_draft(bulletin=bulletin)
    return bulletin


def subscriber(email, themes=(), regions=(), language="en-gb", **kwargs):
    # English by default: the tests here read it (brokerage/tests/test_email_languages.py covers the languages).
    sub = factories.SubscriberFactory(email=email, language=language, **kwargs)
    sub.themes.set(themes)
    sub.regions.set(regions)
    return sub


@pytest.fixture
def long_ago():
    return timezone.now() - dt.timedelta(days=400)


@pytest.fixture
def eager_retries(monkeypatch):
    """Let eager tasks run their retries in-process (tests otherwise propagate the Retry)."""
    from brokerage.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
