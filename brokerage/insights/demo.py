"""Demo demand signals: six months of believable searches, views, enquiries and bookings.

Called by the demo loader; does nothing when signals exist already (safe to run again).
Demand leans on some themes more than the offers do, so the demo shows real gaps.
"""

import datetime as dt

from django.utils import timezone

from programmes.choices import OfferStatus
from programmes.models import Audience, Offer, Region, Theme

from .choices import SignalKind
from .models import Signal

ZERO_RESULT_WORDS = [
    "dyscalculia", "welsh medium maths", "british sign language", "apprenticeship assessor cpd",
    "autism in fe", "mental health first aid", "esol entry 1 resources", "governor finance training",
    "t levels", "menopause at work",
]
SEARCH_WORDS = [
    "fractions", "functional skills", "esol", "digital", "leadership", "mentoring", "assessment", "behaviour",
    "dyslexia", "wellbeing", "research", "numeracy", "reading", "coaching", "sen",
]
# Relative pull of each theme (by position): more than the offers provide for some.
PULL = [6, 5, 3, 5, 2, 2, 2, 1, 4, 3, 1, 1, 1]


def demo_signals(*, today=None, rng, days=180, per_day=14):
    # The demo's own enquiries and plan additions record today's signals: look for older ones.
    if Signal.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=1)).exists():
        return 0
    today = today or timezone.localdate()
    themes = list(Theme.objects.order_by("position"))
    audiences = list(Audience.objects.order_by("position"))
    regions = list(Region.objects.order_by("position"))
    offers = list(
        Offer.objects.filter(status=OfferStatus.PUBLISHED).prefetch_related("themes", "audiences", "regions")
    )
    if not (themes and regions and offers):
        return 0
    weights = [PULL[i] if i < len(PULL) else 1 for i in range(len(themes))]
    region_weights = [4, 3, 3, 2, 2, 3, 3, 2, 2, 2, 2][: len(regions)] + [1] * max(0, len(regions) - 11)
    kinds = [
        (SignalKind.SEARCH, 30), (SignalKind.FILTER, 20), (SignalKind.OFFER_VIEW, 35), (SignalKind.ENQUIRY, 4),
        (SignalKind.PLAN_ADD, 5), (SignalKind.BOOKING, 3), (SignalKind.BULLETIN_CLICK, 3),
    ]
    rows = []
    now = timezone.now()
    for day in range(days):
        for _ in range(rng.randint(per_day // 2, per_day * 3 // 2)):
            at = now - dt.timedelta(days=day, minutes=rng.randint(0, 24 * 60 - 1))
            kind = rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]
            region = rng.choices(regions, weights=region_weights)[0] if rng.random() < 0.8 else None
            theme = rng.choices(themes, weights=weights)[0]
            audience = rng.choice(audiences) if rng.random() < 0.5 else None
            offer, words, count = None, "", None
            if kind in (SignalKind.OFFER_VIEW, SignalKind.ENQUIRY, SignalKind.PLAN_ADD):
                candidates = [o for o in offers if theme in o.themes.all()] or offers
                offer = rng.choice(candidates)
            if kind == SignalKind.SEARCH:
                if rng.random() < 0.12:
                    words, count, theme, audience = rng.choice(ZERO_RESULT_WORDS), 0, None, None
                else:
                    words, count = rng.choice(SEARCH_WORDS), rng.randint(1, 25)
            elif kind == SignalKind.FILTER:
                count = rng.randint(0, 40)
            rows.append(
                Signal(kind=kind, created_at=at, region=region, theme=theme, audience=audience, offer=offer,
                       words=words, result_count=count)
            )
    Signal.objects.bulk_create(rows, batch_size=500)
    return len(rows)

