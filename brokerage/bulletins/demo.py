"""The demo region's bulletins: the sent one gets real content and deliveries; a draft waits in the admin."""

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format

from .. import demo_data_cy as welsh
from ..choices import BulletinItemKind, BulletinStatus, DeliveryStatus
from ..models import Bulletin, BulletinItem, Delivery
from . import selectors, services


def bulletin_demo_fill(*, bulletin, subscribers):
    """Give the demo's sent bulletin the items its period would have drafted, and its deliveries."""
    if not BulletinItem.objects.filter(bulletin=bulletin).exists():
        offers = selectors.bulletin_candidate_offers(period_start=bulletin.period_start, period_end=bulletin.period_end)
        events = selectors.bulletin_candidate_events(period_start=bulletin.period_start, period_end=bulletin.period_end)
        items = [
            BulletinItem(bulletin=bulletin, kind=BulletinItemKind.OFFER, offer=offer, position=n, pinned=n == 0)
            for n, offer in enumerate(offers[:14])
        ] + [BulletinItem(bulletin=bulletin, kind=BulletinItemKind.EVENT, event=event, position=n)
             for n, event in enumerate(events[:4])]
        BulletinItem.objects.bulk_create(items, ignore_conflicts=True)
    Delivery.objects.bulk_create(
        [
            Delivery(bulletin=bulletin, subscriber=s, status=DeliveryStatus.SENT, attempts=1, sent_at=bulletin.sent_at)
            for s in subscribers
        ],
        ignore_conflicts=True,
    )
    Bulletin.objects.filter(pk=bulletin.pk, finished_at__isnull=True).update(
        finished_at=bulletin.sent_at + dt.timedelta(minutes=3)
    )


def bulletin_demo_draft(*, today):
    """This month's bulletin, drafted from its period, for coordinators to try the desk on."""
    title_cy, introduction_cy = welsh.BULLETIN["draft"]
    with translation.override("cy"):
        day_cy = date_format(today, "j F Y")
    bulletin, _ = Bulletin.objects.get_or_create(
        slug=f"joint-bulletin-{today:%Y-%m-%d}",
        defaults={
            "title": f"Joint bulletin: {today:%-d %B %Y}",
            "period_start": today - dt.timedelta(days=30),
            "period_end": today,
            "introduction": "This month: what is new across every programme, and the learning fairs coming up. "
            "Book a surgery to talk your CPD plan through with the people who run the offers.",
            "title_cy": title_cy.format(day=day_cy), "introduction_cy": introduction_cy,
            "status": BulletinStatus.DRAFT,
        },
    )
    if bulletin.is_editable:
        services.bulletin_compose_draft(bulletin=bulletin)
    return bulletin


