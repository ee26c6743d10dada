"""A signed-in provider's order of the catalogue, and the reason shown with each card.

The order ("Suited to your organisation", the sort key ``priorities``) has
three tiers; each decides only among the offers the tier above leaves equal.
The weights are lexicographic rather than summed on purpose: no number of
matched priorities makes a workshop in another region worth the journey.

1. Where it runs: the organisation's region or national, before other regions.
2. Who can take it up (Offer.open_to): offers naming the organisation's kind,
   then offers open to any kind, then offers only for other kinds (those show
   only when the person asks for every kind: catalogue_page's kind default).
3. Fit: how many of the organisation's priorities and staff groups the offer
   carries, most first.

Ties keep the catalogue's default order (fresh before overdue for review,
soonest first). Everything is read from the in-memory facet index's bit sets,
the same on SQLite and PostgreSQL: no query, and a few hundred operations on
whole bit sets whatever the catalogue's size.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext, ngettext

from programmes.choices import OrganisationKind

from .facet_index import match_groups

# Each kind as the reason says it (whole phrases: Welsh does not build them from parts).
OPEN_TO_YOUR_KIND = {
    OrganisationKind.COLLEGE: _("Open to colleges"),
    OrganisationKind.SCHOOL: _("Open to schools"),
    OrganisationKind.LOCAL_AUTHORITY: _("Open to local authorities"),
    OrganisationKind.VOLUNTARY: _("Open to voluntary and community organisations"),
    OrganisationKind.WORK_BASED: _("Open to work-based learning providers"),
}


def provider_order(index, lens, matches):
    """The bit sets of ``matches`` in the provider's order: a list for facet_index.PageIds."""
    nearby = index.condition("region", [str(lens.organisation.region_id)])  # their region's and national offers
    named = index.bits["open_to"].get(lens.take_up_kind, 0) if lens.take_up_kind else 0
    any_kind = index.everywhere.get("open_to", 0)
    fit = [index.bits["theme"].get(str(pk), 0) for pk in sorted(lens.theme_ids)] + [
        index.bits["audience"].get(str(pk), 0) for pk in sorted(lens.audience_ids)
    ]
    by_fit = match_groups(fit, matches)  # most matches first
    tiers = []
    local = matches & nearby
    # Splits by AND and XOR only: ~x of a Python int is negative, and slower to combine at 50,000 bits.
    for where in (local, matches ^ local):
        for_kind = where & named
        rest = where ^ for_kind
        for_any_kind = rest & any_kind
        tiers += [for_kind, for_any_kind, rest ^ for_any_kind]
    return [group for tier in tiers if tier for group in (tier & fit_group for fit_group in by_fit) if group]


def rank_reasons(offer, lens, *, in_region, region_name):
    """Why the offer suits the organisation, in plain words (empty when nothing does).

    in_region: the offer runs in the organisation's region (the facet index
    knows, without a query); the offer carries ``card_themes`` and
    ``card_audiences`` as the catalogue reads them for its card.
    """
    reasons = []
    if in_region:
        reasons.append(gettext("In your region (%(region)s)") % {"region": region_name})
    elif offer.is_national:
        reasons.append(gettext("Offered nationally"))
    kind = lens.take_up_kind
    if kind in OPEN_TO_YOUR_KIND and kind in (offer.open_to or ()):
        reasons.append(str(OPEN_TO_YOUR_KIND[kind]))
    matched = [theme.name for theme in offer.card_themes if theme.pk in lens.theme_ids] + [
        audience.name for audience in offer.card_audiences if audience.pk in lens.audience_ids
    ]
    if matched:
        reasons.append(
            ngettext("Matches your priority: %(names)s", "Matches your priorities: %(names)s", len(matched))
            # Semicolons: names such as "English, ESOL and literacy" hold commas themselves.
            % {"names": "; ".join(matched)}
        )
    return reasons
