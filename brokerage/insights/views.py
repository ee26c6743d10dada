"""Thin views of /insights/: choose a period, call the selectors, render or export."""

import logging
from datetime import timedelta

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from brokerage.cache_keys import query_digest
from programmes.csv_export import csv_response

from . import duplicates as dup
from . import evaluations as ev
from .charts import bar_chart
from .choices import DuplicateDecision, SignalKind
from .forms import PRESETS, DuplicateReviewForm, PeriodForm
from .links import read_token
from .models import DuplicateReview
from .permissions import coordinator_required
from .selectors import DEMAND_COLUMNS, GAP_FACTOR, GAP_MIN_DEMAND, demand_counts, gaps, supply_demand_rows, totals, zero_result_searches
from .services import duplicate_review_clear, duplicate_review_set, record_signal


logger = logging.getLogger(__name__)

def _period_form(request):
    return PeriodForm(request.GET if request.GET else None)


def _chosen_period(request):
    """The period of a response that cannot show the form's errors (a CSV, the printable summary).

    Dates it cannot use answer 400 rather than quietly giving figures for another period.
    """
    form = _period_form(request)
    if form.is_bound and not form.is_valid():
        raise BadRequest(gettext("The region or dates of the period could not be used."))
    return form.period()


def _supply_demand_chart(rows, dimension):
    if dimension == "theme":
        title = gettext("Offers and demand by theme")
        description = gettext(
            "For each theme, two bars: published offers (supply) and demand signals. "
            "Each series is scaled to its own largest value. The table beside gives the numbers."
        )
    else:
        title = gettext("Offers and demand by audience")
        description = gettext(
            "For each audience, two bars: published offers (supply) and demand signals. "
            "Each series is scaled to its own largest value. The table beside gives the numbers."
        )
    return bar_chart(
        id=f"chart-{dimension}",
        title=title,
        description=description,
        items=rows,
        series=[
            ("bar-supply", gettext("Published offers"), lambda r: r.offers),
            ("bar-demand", gettext("Demand signals"), lambda r: r.demand),
        ],
        label=lambda r: r.name,
    )


# The figures of one region and period are kept this long: a dashboard for
# coordinators need not be to the second, and the aggregates over a year of
# signals are the expensive part of the page.
DASHBOARD_CACHE_SECONDS = 300


def _period_key(period):
    return "{}:{}:{}".format(period.region.pk if period.region else "all", period.start.isoformat(),
                             period.end.isoformat())


def _dashboard_data(period):
    # By language too: the figures come with their labels and the charts' words.
    key = f"insights:dashboard:{get_language()}:{_period_key(period)}"
    return cache.get_or_set(key, lambda: _dashboard_data_uncached(period), DASHBOARD_CACHE_SECONDS)


def _dashboard_data_uncached(period):
    counts = demand_counts(period)
    theme_rows = supply_demand_rows(period, "theme", counts=counts)
    audience_rows = supply_demand_rows(period, "audience", counts=counts)
    totals_ = totals(counts)
    return {
        "totals": totals_,
        "total_cards": [(key, str(label), totals_[key]) for key, label, _ in DEMAND_COLUMNS]
        + [("bulletin_clicks", gettext("Bulletin clicks"), totals_["bulletin_clicks"])],
        "theme_rows": theme_rows,
        "audience_rows": audience_rows,
        "gaps": gaps(theme_rows),
        "audience_gaps": gaps(audience_rows),
        "zero_results": zero_result_searches(period),
        "theme_chart": _supply_demand_chart(theme_rows, "theme"),
        "audience_chart": _supply_demand_chart(audience_rows, "audience"),
    }


def _period_query(period):
    """The query string of exactly this region and period (for CSV links in the cached fragment)."""
    params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    if period.region is not None:
        params = {"region": period.region.slug, **params}
    return urlencode(params)


@require_GET
@coordinator_required
def dashboard(request):
    # The body (everything below the site's navigation, which names the
    # person) is the same for every coordinator who asks the same query on the
    # same day: after the permission check above, a repeated visit is one
    # cache read and the page frame. One body per language: a Welsh page never shows an English one.
    today = timezone.localdate()
    key = f"insights:body:{get_language()}:{today.isoformat()}:{query_digest(request.GET)}"
    body = cache.get(key)
    if body is None:
        body = render_to_string("insights/_dashboard_body.html", _dashboard_context(request, today), request)
        cache.set(key, body, DASHBOARD_CACHE_SECONDS)
    return render(request, "insights/dashboard.html", {"title": gettext("Insights"), "body": mark_safe(body)})


def _dashboard_context(request, today):
    form = PeriodForm(request.GET if request.GET else None, today=today)
    period = form.period()
    # The figures are computed only if the body below reads them (one cached
    # computation per region and period, shared with other queries that name
    # the same period).
    data = SimpleLazyObject(lambda: _dashboard_data(period))
    lazy = {name: SimpleLazyObject(lambda name=name: data[name]) for name in DASHBOARD_NAMES}
    presets = []
    for days, text in PRESETS:
        params = request.GET.copy()
        params["end"] = period.end.isoformat()
        params["start"] = (period.end - timedelta(days=days - 1)).isoformat()
        presets.append((str(text), params.urlencode(), period.days == days))
    return {
        **lazy,
        "form": form,
        "period": period,
        "query": request.GET.urlencode(),
        "period_query": _period_query(period),
        "presets": presets,
        "columns": DEMAND_COLUMNS,
        "gap_min": GAP_MIN_DEMAND,
        "gap_factor": GAP_FACTOR,
    }


DASHBOARD_NAMES = ["totals", "total_cards", "theme_rows", "audience_rows", "gaps", "audience_gaps", "zero_results",
                   "theme_chart", "audience_chart"]


def _fmt(number):
    return "" if number is None else f"{number:.2f}"


def _supply_demand_csv(rows, first):
    header = [first, gettext("Published offers"), *[str(label) for _, label, _ in DEMAND_COLUMNS], gettext("Demand"),
              gettext("Demand per offer"), gettext("Bulletin clicks")]
    body = (
        [r.name, r.offers, *[r.counts[key] for key, _, _ in DEMAND_COLUMNS], r.demand, _fmt(r.demand_per_offer),
         r.bulletin_clicks]
        for r in rows
    )
    return header, body


EXPORTS = ("themes", "audiences", "gaps", "zero-results", "evaluations", "key-messages", "duplicates")


@require_GET
@coordinator_required
def export_csv(request, table):
    if table not in EXPORTS:
        raise Http404(gettext("No such table."))
    period = _chosen_period(request)
    region = period.region.slug if period.region else "all-regions"
    filename = f"insights-{table}-{region}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    if table in ("themes", "audiences", "gaps"):
        counts = demand_counts(period)
        dimension = "audience" if table == "audiences" else "theme"
        rows = supply_demand_rows(period, dimension, counts=counts)
        if table == "gaps":
            rows = gaps(rows)
        header, body = _supply_demand_csv(rows, gettext("Audience") if dimension == "audience" else gettext("Theme"))
        return csv_response(filename, header, body)
    if table == "zero-results":
        rows = zero_result_searches(period, limit=1000)
        return csv_response(
            filename,
            [gettext("Search words"), gettext("Searches"), gettext("Last searched")],
            ([r["words"], r["searches"], r["last_searched"].isoformat()] for r in rows),
        )
    if table == "evaluations":
        rows = ev.ratings_per_event(period)
        return csv_response(
            filename,
            [gettext("Event"), gettext("Starts"), gettext("Responses"), gettext("Average rating"),
             *[gettext("Rated %(n)d") % {"n": n} for n in range(1, 6)]],
            (
                [r["event__title"], r["event__starts_at"].date().isoformat(), r["responses"], _fmt(r["average"]),
                 *[r[f"rated_{n}"] for n in range(1, 6)]]
                for r in rows
            ),
        )
    if table == "key-messages":
        groups = ev.key_messages_by_theme(period)
        return csv_response(
            filename,
            [gettext("Theme"), gettext("Event"), gettext("Key message"), gettext("Rating")],
            ([g.theme, event, message, rating] for g in groups for event, message, rating in g.messages),
        )
    pairs = dup.duplicate_candidates(limit=1000)
    return csv_response(
        filename.replace(f"-{region}-{period.start:%Y%m%d}-{period.end:%Y%m%d}", ""),
        [gettext("Similarity"), gettext("Offer A"), gettext("Programme A"), gettext("Offer B"), gettext("Programme B"),
         gettext("Shared themes"), gettext("Shared audiences")],
        (
            [f"{p.score:.2f}", p.offer_a.title, p.offer_a.programme.plain_name, p.offer_b.title,
             p.offer_b.programme.plain_name, "; ".join(t.name for t in p.shared_themes),
             "; ".join(a.name for a in p.shared_audiences)]
            for p in pairs
        ),
    )


@require_GET
@coordinator_required
def duplicates(request):
    return render(
        request,
        "insights/duplicates.html",
        {
            "title": gettext("Possible duplicate offers"),
            "pairs": dup.duplicate_candidates(limit=100),
            "to_coordinate": dup.reviewed_pairs(DuplicateDecision.COORDINATE),
            "not_duplicates": dup.reviewed_pairs(DuplicateDecision.NOT_DUPLICATE)[:50],
        },
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def duplicate_compare(request, first, second):
    if first >= second:
        raise Http404(gettext("Pairs are addressed lower id first."))
    pair = dup.pair(first, second)
    if pair is None:
        raise Http404(gettext("No such offers."))
    review = DuplicateReview.objects.filter(offer_a_id=first, offer_b_id=second).first()
    initial = {"decision": review.decision, "note": review.note} if review else None
    form = DuplicateReviewForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if request.POST.get("action") == "clear":
            duplicate_review_clear(offer_one=first, offer_two=second)
            messages.success(request, gettext("The decision was removed: the pair is a candidate again."))
            return redirect("insights:duplicates")
        if form.is_valid():
            duplicate_review_set(
                offer_one=first,
                offer_two=second,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                score=pair.score,
                user=request.user,
            )
            if form.cleaned_data["decision"] == DuplicateDecision.NOT_DUPLICATE:
                messages.success(request, gettext("Marked as not a duplicate: the pair is hidden from the list."))
            else:
                messages.success(request, gettext("Marked to coordinate: both programmes' workers see your note."))
            return redirect("insights:duplicates")
    return render(
        request,
        "insights/duplicate_compare.html",
        {"title": gettext("Compare two offers"), "pair": pair, "form": form, "review": review},
    )


@require_GET
@coordinator_required
def evaluations(request):
    form = _period_form(request)
    period = form.period()
    per_event = ev.ratings_per_event(period)
    chart = bar_chart(
        id="chart-ratings",
        title=gettext("Average rating per event"),
        description=gettext(
            "Average overall rating (1 to 5) of each event evaluated in the period; the table gives the numbers."
        ),
        items=per_event,
        series=[("bar-rating", gettext("Average rating"), lambda r: float(r["average"] or 0))],
        label=lambda r: r["event__title"],
    )
    return render(
        request,
        "insights/evaluations.html",
        {
            "title": gettext("Evaluation trends"),
            "form": form,
            "period": period,
            "query": request.GET.urlencode(),
            "per_event": per_event,
            "overall": ev.ratings_overall(period),
            "monthly": ev.monthly_ratings(period),
            "groups": ev.key_messages_by_theme(period),
            "chart": chart,
        },
    )


@require_GET
@coordinator_required
def evaluation_summary(request):
    """A one-page summary of a period for a national group: prints on A4."""
    period = _chosen_period(request)
    return render(
        request,
        "insights/evaluation_summary.html",
        {
            "title": gettext("Evaluation summary"),
            "period": period,
            "query": request.GET.urlencode(),
            "per_event": ev.ratings_per_event(period),
            "overall": ev.ratings_overall(period),
            "groups": ev.key_messages_by_theme(period),
        },
    )


@require_http_methods(["GET", "HEAD"])
@never_cache
def tracked_redirect(request, token):
    """A bulletin item's link: record the click, then go to the item on this site."""
    payload = read_token(token)
    if payload is None:
        raise Http404(gettext("This link is not valid."))
    target = payload["u"]
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None, require_https=False):
        raise Http404(gettext("This link is not valid."))
    if request.method == "GET":  # a link checker's HEAD is not a reader's click
        references = {
            "themes": [payload["t"]] if payload.get("t") else (),
            "bulletin": payload.get("b"),
            "offer": payload.get("o"),
        }
        try:
            with transaction.atomic():
                record_signal(kind=SignalKind.BULLETIN_CLICK, **references)
        except IntegrityError:
            # The bulletin, offer or theme was deleted after the bulletin went out:
            # the reader still gets through, and the click is counted without it.
            logger.info("Tracked link to %s refers to deleted rows %s", target, references)
            record_signal(kind=SignalKind.BULLETIN_CLICK)
    return HttpResponseRedirect(target)


