"""Reads for the regional workers' workspace."""

import calendar
import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils.text import capfirst
from django.utils.translation import gettext

from ..choices import OfferStatus
from ..models import GlossaryTerm, Offer, Programme, RegionalWorker, Theme
from ..permissions import offers_editable_by
from ..translated_text import lacks_welsh

# An offer not reviewed for this many months is "due for review".
REVIEW_AFTER_MONTHS = 5


def months_before(day, months):
    """The same day `months` calendar months earlier (clamped to the month's end)."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due_cutoff(today):
    """Offers last reviewed on or before this date are due for review."""
    return months_before(today, REVIEW_AFTER_MONTHS)


def offers_due_for_review(today):
    """Live offers (draft or published) not reviewed for REVIEW_AFTER_MONTHS months."""
    return Offer.objects.filter(
        status__in=[OfferStatus.DRAFT, OfferStatus.PUBLISHED], last_reviewed_on__lte=review_due_cutoff(today)
    )


def workspace_offers(user):
    """The offers a worker keeps, with what the workspace list shows, newest change first."""
    return (
        offers_editable_by(user)
        .select_related("programme", "contact__user", "last_reviewed_by__user")
        .order_by("-updated_at", "title")
    )


def workspace_offer_groups(user, today):
    """The worker's offers split the way the workspace shows them (one query)."""
    cutoff = review_due_cutoff(today)
    groups = {"due": [], "draft": [], "published": [], "archived": [], "needs_welsh": []}
    for offer in workspace_offers(user):
        offer.is_due_for_review = offer.status != OfferStatus.ARCHIVED and offer.last_reviewed_on <= cutoff
        groups[offer.status].append(offer)
        if offer.is_due_for_review:
            groups["due"].append(offer)
        # Live offers whose title, summary or description has no Welsh version yet.
        offer.needs_welsh = offer.status != OfferStatus.ARCHIVED and lacks_welsh(offer)
        if offer.needs_welsh:
            groups["needs_welsh"].append(offer)
    return groups


def known_acronyms():
    return list(GlossaryTerm.objects.values_list("acronym", flat=True))


def offer_history(offer, limit=30):
    """Who changed what and when: each historical record with the fields it changed."""
    records = list(offer.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = Offer._meta.get_field(change.field)
                changes.append(
                    {
                        "field": _field_label(field),
                        "old": _display(field, change.old),
                        "new": _display(field, change.new),
                    }
                )
        entries.append(
            {
                "record": record,
                "when": record.history_date,
                "who": (record.history_user.get_full_name() or record.history_user.get_username())
                if record.history_user
                else gettext("The system"),
                "kind": {"+": gettext("Created"), "~": gettext("Changed"), "-": gettext("Deleted")}[record.history_type],
                "reason": gettext(record.history_change_reason) if record.history_change_reason else "",
                "changes": changes,
            }
        )
    return entries


def _field_label(field):
    return capfirst(str(field.verbose_name))


def _display(field, value):
    if value in (None, ""):
        return gettext("(empty)")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related else f"#{value}"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    text = str(value)
    return text if len(text) <= 160 else text[:157] + "..."


# ---- All programmes' offers in one place, so overlaps are visible ---------


def theme_overlap_summary(region=None):
    """Per theme: how many programmes and how many live offers address it."""
    offer_filter = Q(offers__status=OfferStatus.PUBLISHED)
    if region is not None:
        offer_filter &= Q(offers__regions=region) | Q(offers__is_national=True)
    return Theme.objects.annotate(
        programme_count=Count("offers__programme", filter=offer_filter, distinct=True),
        offer_count=Count("offers", filter=offer_filter, distinct=True),
    ).order_by("-programme_count", "position", "name")


# Enough to read side by side; a theme can hold thousands of offers at national scale.
ALL_OFFERS_PAGE_SIZE = 50


def offers_on_theme_by_programme(theme, *, region=None, page_number=None):
    """One page of the published offers on a theme, grouped by programme (plain names), for side-by-side reading.

    Returns the page and its columns. Each column carries the programme's total on the theme,
    so a programme whose offers run over several pages still shows its full size.
    """
    offers = Offer.objects.filter(status=OfferStatus.PUBLISHED, themes=theme)
    if region is not None:
        offers = offers.filter(Q(regions=region) | Q(is_national=True)).distinct()
    totals = dict(offers.order_by().values_list("programme").annotate(total=Count("pk", distinct=True)))
    # pk last: a total order, so no offer is skipped or repeated between pages.
    ordered = (
        offers.select_related("programme", "contact__user")
        .prefetch_related("audiences")
        .order_by("programme__plain_name", "title", "pk")
    )
    page = Paginator(ordered, ALL_OFFERS_PAGE_SIZE).get_page(page_number)
    grouped = {}
    for offer in page:
        grouped.setdefault(offer.programme, []).append(offer)
    columns = [
        {"programme": programme, "offers": items, "total": totals.get(programme.pk, len(items))}
        for programme, items in grouped.items()
    ]
    return page, columns


def programmes_with_workers():
    return Programme.objects.filter(is_active=True).prefetch_related("workers__user")


def workers_of_programme(programme):
    return RegionalWorker.objects.filter(programmes=programme).select_related("user")
