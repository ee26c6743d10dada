"""Writes of the insights topic: recording demand signals, reviewing duplicates.

Recording must stay cheap: a page that records a signal pays for one INSERT
at most (several rows in one statement when a signal has several themes), on
a connection that does not wait for the disk when it commits
(settings.INSIGHTS_DATABASE), or nothing at all when the work is handed to a
Celery task after commit.
"""

import logging
import re
import unicodedata
from itertools import zip_longest

from django.conf import settings
from django.db import transaction
from django.db.models import IntegerField, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from programmes.models import Offer
from providers.models import ProviderContact, ProviderOrganisation

from .choices import DuplicateDecision, SignalKind
from .models import DuplicateReview, Signal

logger = logging.getLogger(__name__)

WORDS_MAX_LENGTH = Signal._meta.get_field("words").max_length
# Tokens that may identify a person are dropped from stored search words.
_EMAILISH = re.compile(r"\S+@\S+")
_URLISH = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_DIGITS = re.compile(r"\+?\d[\d\s().-]{5,}\d")  # phone numbers, long references
_NON_WORD = re.compile(r"[^\w'&+-]+")
_BOT_AGENT = re.compile(r"bot|crawl|spider|slurp|preview|monitor", re.IGNORECASE)


def normalise_words(text):
    """Search words as stored: lower case, accents kept, no emails, URLs or phone numbers.

    Returns at most ``WORDS_MAX_LENGTH`` characters, cut at a word boundary.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = _EMAILISH.sub(" ", text)
    text = _URLISH.sub(" ", text)
    text = _DIGITS.sub(" ", text)
    words = [w.strip("'-+&") for w in _NON_WORD.split(text)]
    result = ""
    for word in words:
        if not word:
            continue
        candidate = f"{result} {word}" if result else word
        if len(candidate) > WORDS_MAX_LENGTH:
            break
        result = candidate
    return result


def _pk(value):
    if value is None or isinstance(value, (int, str)) or hasattr(value, "resolve_expression"):
        return value
    return value.pk


def record_signal(
    *,
    kind,
    themes=(),
    audiences=(),
    region=None,
    offer=None,
    bulletin=None,
    words="",
    result_count=None,
    at=None,
):
    """Write one demand signal in ONE insert statement; return the rows written.

    ``themes`` and ``audiences`` are instances or ids; several of either give
    several rows in the same statement (see ``Signal``). ``region`` may be an
    id, an instance or a query expression (``provider_region_or``).
    ``words`` are normalised here, whatever the caller passed.
    """
    if kind not in SignalKind.values:
        raise ValueError(f"Unknown signal kind {kind!r}")
    theme_ids = list(dict.fromkeys(_pk(t) for t in themes if t is not None))
    audience_ids = list(dict.fromkeys(_pk(a) for a in audiences if a is not None))
    common = {
        "kind": kind,
        "created_at": at or timezone.now(),
        "region_id": _pk(region),
        "offer_id": _pk(offer),
        "bulletin_id": _pk(bulletin),
        "words": normalise_words(words),
        "result_count": result_count,
    }
    pairs = list(zip_longest(theme_ids, audience_ids)) or [(None, None)]
    rows = [
        Signal(is_primary=(index == 0), theme_id=theme_id, audience_id=audience_id, **common)
        for index, (theme_id, audience_id) in enumerate(pairs)
    ]
    # On a connection of its own that does not wait for the disk (settings.INSIGHTS_DATABASE).
    database = settings.INSIGHTS_DATABASE
    if len(rows) == 1:
        # One row: a plain INSERT (bulk_create would wrap it in a transaction of its own).
        rows[0].save(force_insert=True, using=database)
        return rows
    return Signal.objects.using(database).bulk_create(rows)


def provider_region_or(user, fallback=None):
    """The region a signal belongs to, as an expression evaluated inside the INSERT.

    A signed-in provider contact's organisation region when there is one (no
    extra query: it is a subquery of the insert), else ``fallback``.
    """
    fallback_id = _pk(fallback)
    if user is None or not user.is_authenticated:
        return fallback_id
    region = Subquery(
        ProviderContact.objects.filter(user_id=user.pk).order_by().values("organisation__region_id")[:1],
        output_field=IntegerField(),
    )
    return Coalesce(region, Value(fallback_id, output_field=IntegerField()), output_field=IntegerField())


def is_demand_request(request):
    """Requests whose signals count as demand: not staff, not an obvious robot, not HEAD."""
    if request.method not in ("GET", "POST"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return False
    return not _BOT_AGENT.search(request.headers.get("User-Agent", ""))


def _only(values):
    values = [v for v in values if v is not None]
    return values[0] if len(values) == 1 else None


def record_catalogue_search(
    request, *, q="", themes=(), audiences=(), regions=(), result_count=None, page=1, filtered=False
):
    """The catalogue hook: one signal per search or filter choice (page 1 only).

    A plain listing with no words and no filters records nothing; ``filtered``
    says that some other filter (format, cost...) was chosen.
    """
    words = normalise_words(q)
    themes, audiences, regions = list(themes or ()), list(audiences or ()), list(regions or ())
    try:
        page = int(page or 1)
    except (TypeError, ValueError):
        page = 1
    if page != 1 or not is_demand_request(request):
        return []
    if not (words or themes or audiences or regions or filtered):
        return []
    return record_signal(
        kind=SignalKind.SEARCH if words else SignalKind.FILTER,
        themes=themes,
        audiences=audiences,
        region=provider_region_or(request.user, _only(regions)),
        words=words,
        result_count=result_count,
    )


def catalogue_page_signal(page):
    """What the /offers/ hook records of a page, as plain values (kept with a cached page)."""
    filterset, selected = page["filterset"], page["selected"]

    def ids(name):
        known = filterset.ids.get(name, {})
        return [known[slug] for slug in selected.get(name, []) if slug in known]

    return {
        "q": page["q"],
        "themes": ids("theme"),
        "audiences": ids("audience"),
        "regions": ids("region"),
        "result_count": page["total"],
        "page": page["page_obj"].number,
        "filtered": page["is_filtered"],
    }


def record_catalogue_page(request, page):
    """The one-line hook of /offers/: ``page`` is the context ``catalogue_page`` built."""
    return record_catalogue_search(request, **catalogue_page_signal(page))


def _prefetched(instance, name):
    """The ids of a prefetched many-to-many, or None when not prefetched."""
    cache = getattr(instance, "_prefetched_objects_cache", {})
    if name not in cache:
        return None
    return [obj.pk for obj in cache[name]]


def record_offer_signal(request, offer, *, kind=SignalKind.OFFER_VIEW):
    """The offer page hook: one signal carrying the offer's themes and audiences.

    With themes, audiences and regions prefetched (the offer page shows them),
    this is one INSERT. Otherwise the work goes to a task after commit rather
    than adding queries to the page.
    """
    if not is_demand_request(request):
        return []
    themes = _prefetched(offer, "themes")
    audiences = _prefetched(offer, "audiences")
    regions = _prefetched(offer, "regions")
    user = request.user if request.user.is_authenticated else None
    if themes is None or audiences is None or regions is None:
        from .tasks import record_offer_signal_task

        enqueue_after_commit(record_offer_signal_task, kind, offer.pk, user.pk if user else None)
        return []
    fallback = None if offer.is_national else _only(regions)
    return record_signal(
        kind=kind, themes=themes, audiences=audiences, offer=offer, region=provider_region_or(user, fallback)
    )


def record_offer_signal_by_ids(*, kind, offer_id, user_id=None, organisation_id=None):
    """The task side of offer signals (views, enquiries, plan additions)."""
    offer = Offer.objects.filter(pk=offer_id).prefetch_related("themes", "audiences", "regions").first()
    if offer is None:
        return []
    region_id = None
    if organisation_id is not None:
        region_id = ProviderOrganisation.objects.filter(pk=organisation_id).values_list("region_id", flat=True).first()
    elif user_id is not None:
        region_id = (
            ProviderContact.objects.filter(user_id=user_id).values_list("organisation__region_id", flat=True).first()
        )
    if region_id is None and not offer.is_national:
        region_id = _only([r.pk for r in offer.regions.all()])
    return record_signal(
        kind=kind,
        themes=[t.pk for t in offer.themes.all()],
        audiences=[a.pk for a in offer.audiences.all()],
        offer=offer.pk,
        region=region_id,
    )


def record_booking_signal_by_id(booking_id):
    """A surgery booking: the themes the provider chose, else the surgery's; the event's region."""
    from events.models import Booking

    booking = (
        Booking.objects.select_related("slot__surgery__event")
        .prefetch_related("priorities", "slot__surgery__themes")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        return []
    surgery = booking.slot.surgery
    themes = [t.pk for t in booking.priorities.all()] or [t.pk for t in surgery.themes.all()]
    return record_signal(kind=SignalKind.BOOKING, themes=themes, region=surgery.event.region_id)


def enqueue_after_commit(task, *args):
    """Send a task once the surrounding transaction commits.

    robust: a broker outage must not turn a booking or an enquiry into an
    error page after it has been saved; the lost signal is logged.
    """
    transaction.on_commit(lambda: task.delay(*args), robust=True)


def signals_prune(*, now=None, months=13, batch_size=10_000):
    """Delete signals older than ``months`` months, in batches; return how many went."""
    cutoff = months_before(now or timezone.now(), months)
    deleted = 0
    while True:
        ids = list(Signal.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:batch_size])
        if not ids:
            return deleted
        deleted += Signal.objects.filter(pk__in=ids).delete()[0]


def months_before(moment, months):
    """The same day and time ``months`` calendar months earlier (clamped to the month's end)."""
    import calendar

    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def ordered_pair(offer_one, offer_two):
    a, b = sorted([_pk(offer_one), _pk(offer_two)])
    if a == b:
        raise ValueError("A pair needs two different offers.")
    return a, b


@transaction.atomic
def duplicate_review_set(*, offer_one, offer_two, decision, note="", score=None, user=None):
    """Record (or change) a coordinator's decision about a pair of offers."""
    if decision not in DuplicateDecision.values:
        raise ValueError(f"Unknown decision {decision!r}")
    a, b = ordered_pair(offer_one, offer_two)
    review, _ = DuplicateReview.objects.update_or_create(
        offer_a_id=a,
        offer_b_id=b,
        defaults={
            "decision": decision,
            "note": note.strip(),
            "score": score,
            "decided_by": user,
            "decided_at": timezone.now(),
        },
    )
    return review


def duplicate_review_clear(*, offer_one, offer_two):
    a, b = ordered_pair(offer_one, offer_two)
    return DuplicateReview.objects.filter(offer_a_id=a, offer_b_id=b).delete()[0]
