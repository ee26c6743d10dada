"""An in-memory facet index of the listed offers: facet counts and default-order pages without SQL.

Built once per catalogue version, day and "show past" choice (one narrow
query on PostgreSQL, where each offer row carries its id arrays; four on
SQLite), shared through the catalogue cache (programmes.cache: Redis, plus a
per-process copy), so a new version is built by one process and read by the
others. Any change to offers or their vocabulary renews the version (signals),
so the index is never older than the cached counts were before it: another
process sees a change within VERSION_RECHECK seconds.

The listed offers are numbered in the catalogue's default order ("starting
soonest": fresh before overdue for review, then start date, title, id). Each
facet choice is a bit set over those positions (a Python int), so:

- a filter is the OR of its chosen choices' sets (a region filter also takes
  the national offers), and the matching offers are the AND of the filters
  (and of the search matches, whose ids come from the database);
- a choice's count is popcount(choice & every other filter), the same rule as
  the SQL counts (its own filter ignored, every other one kept);
- a page in the default order is the n-th to m-th set bits of the result.

Costs do not grow with the page size, and grow with the catalogue only as
bit operations on ints of (offers / 8) bytes: about 5 kB at 40,000 offers.
"""

import dataclasses

from django.db.models import F

from programmes.choices import CostKind, OfferFormat
from programmes.models import Offer
from programmes.selectors import catalogue_offers, review_cutoff

from .filters import FACETS, uses_facet_arrays

_POPCOUNT = [bin(byte).count("1") for byte in range(256)]
LINKED = ("theme", "audience", "region")


@dataclasses.dataclass
class FacetIndex:
    ids: list  # position -> offer id, in the default order
    position: dict  # offer id -> position
    bits: dict  # facet -> {key: bit set}; keys as the counts use them (str(pk), values, "yes"/"no")
    national: int
    everything: int
    # offer id -> (theme ids, audience ids): what a card shows, without a query.
    links: dict = dataclasses.field(default_factory=dict)

    @property
    def size(self):
        return len(self.ids)

    def condition(self, facet, keys):
        """The bit set of offers one filter lets through (its chosen keys OR'ed)."""
        choices = self.bits.get(facet, {})
        found = 0
        for key in keys:
            found |= choices.get(key, 0)
        if facet == "region":
            found |= self.national
        return found

    def of_ids(self, offer_ids):
        """The bit set of the given offer ids (those not listed are ignored)."""
        data = bytearray((self.size + 7) // 8)
        position = self.position
        for pk in offer_ids:
            i = position.get(pk)
            if i is not None:
                data[i >> 3] |= 1 << (i & 7)
        return int.from_bytes(data, "little")

    def counts(self, conditions, searched=None, vocab=None):
        """{facet: {key: count}} and {"total": {"": n}}, as catalogue_counts returns them."""
        base = self.everything if searched is None else self.everything & searched

        def others(skip):
            found = base
            for facet, bits in conditions.items():
                if facet != skip:
                    found &= bits
            return found

        counts = {}
        for facet in ("theme", "audience", "format", "cost", "accredited"):
            allowed = others(facet)
            counts[facet] = {key: (bits & allowed).bit_count() for key, bits in self.bits[facet].items()}
        allowed = others("region")
        national = (self.national & allowed).bit_count()
        regions = {key: (bits & allowed).bit_count() for key, bits in self.bits["region"].items()}
        keys = [str(pk) for pk, _, _ in vocab["region"]] if vocab else list(regions)
        counts["region"] = {key: regions.get(key, 0) + national for key in keys}
        counts["total"] = {"": others(None).bit_count()}
        return counts

    def matching(self, conditions, searched=None):
        found = self.everything if searched is None else self.everything & searched
        for bits in conditions.values():
            found &= bits
        return found

    def ids_at(self, bits, start, count):
        """The offer ids of the set bits number start .. start+count-1 (in the default order)."""
        found = []
        skip = start
        ids = self.ids
        for byte_index, byte in enumerate(bits.to_bytes((self.size + 7) // 8 or 1, "little")):
            if not byte:
                continue
            ones = _POPCOUNT[byte]
            if skip >= ones:
                skip -= ones
                continue
            for bit in range(8):
                if byte >> bit & 1:
                    if skip:
                        skip -= 1
                        continue
                    found.append(ids[byte_index * 8 + bit])
                    if len(found) == count:
                        return found
        return found


def index_fits(value):
    """A cached index this code can use: a FacetIndex with a bit set for every facet it counts."""
    return isinstance(value, FacetIndex) and set(FACETS) <= set(value.bits) and hasattr(value, "links")


def match_groups(sets, within):
    """``within`` split by how many of ``sets`` each offer is in: the non-empty bit sets for most matches first.

    The count per position is kept as binary digits, one bit set per digit
    (adding a set is a ripple-carry addition over whole bit sets), so a lens of
    twenty priorities costs about a hundred operations on the sets, whatever
    the catalogue size.
    """
    digits = []
    for found in sets:
        carry = found & within
        for i, digit in enumerate(digits):
            if not carry:
                break
            digits[i], carry = digit ^ carry, digit & carry
        if carry:
            digits.append(carry)
    groups = []
    for count in range(len(sets), -1, -1):
        if count >> len(digits):
            continue  # more matches than the digits can hold: nobody has them
        group = within
        for i, digit in enumerate(digits):
            group &= digit if count >> i & 1 else ~digit
        if group:
            groups.append(group)
    return groups


class PageIds:
    """A Paginator-friendly sequence of ids: those of each bit set in turn, each set in the default order."""

    def __init__(self, index, groups):
        self.index, self.groups = index, groups
        self.total = sum(group.bit_count() for group in groups)

    def __len__(self):
        return self.total

    def count(self):
        return self.total

    def __getitem__(self, item):
        if not isinstance(item, slice):
            raise TypeError("PageIds supports slices only")
        start, stop, _ = item.indices(self.total)
        found = []
        for group in self.groups:
            size = group.bit_count()
            if start < size and stop > 0:
                found += self.index.ids_at(group, max(start, 0), min(stop, size) - max(start, 0))
            start, stop = start - size, stop - size
            if stop <= 0:
                break
        return found


def default_order(queryset, on):
    """The catalogue's default order ("starting soonest"); the index's positions follow it."""
    return queryset.with_stale(review_cutoff(on)).order_by("stale", F("starts_on").asc(nulls_last=True), "title", "pk")


def build_index(*, show_past, on):
    listed = default_order(catalogue_offers(show_past=show_past, on=on), on)
    fields = ["pk", "format", "cost", "accredited", "is_national"]
    links = {facet: {} for facet in LINKED}
    if uses_facet_arrays():
        from .selectors import _OfferColumn

        rows = list(
            listed.annotate(
                t_ids=_OfferColumn("theme_ids"), a_ids=_OfferColumn("audience_ids"), r_ids=_OfferColumn("region_ids")
            ).values_list(*fields, "t_ids", "a_ids", "r_ids")
        )
        for pk, *_, themes, audiences, regions in rows:
            links["theme"][pk], links["audience"][pk], links["region"][pk] = themes, audiences, regions
        rows = [row[:5] for row in rows]
    else:
        rows = list(listed.values_list(*fields))
        visible = listed.order_by().values("pk")
        for facet in LINKED:
            through = getattr(Offer, f"{facet}s").through
            for offer_id, key in through.objects.filter(offer_id__in=visible).values_list("offer_id", f"{facet}_id"):
                links[facet].setdefault(offer_id, []).append(key)

    size = len(rows)
    width = (size + 7) // 8 or 1
    sets = {facet: {} for facet in (*LINKED, "format", "cost", "accredited")}
    national = bytearray(width)

    def mark(facet, key, i):
        data = sets[facet].get(key)
        if data is None:
            data = sets[facet][key] = bytearray(width)
        data[i >> 3] |= 1 << (i & 7)

    ids = []
    card_links = {}
    for i, (pk, format_, cost, accredited, is_national) in enumerate(rows):
        ids.append(pk)
        card_links[pk] = (tuple(links["theme"].get(pk) or ()), tuple(links["audience"].get(pk) or ()))
        mark("format", format_, i)
        mark("cost", cost, i)
        mark("accredited", "yes" if accredited else "no", i)
        for facet in ("theme", "audience"):
            for key in links[facet].get(pk) or ():
                mark(facet, str(key), i)
        if is_national:
            national[i >> 3] |= 1 << (i & 7)
        else:
            for key in links["region"].get(pk) or ():
                mark("region", str(key), i)
    bits = {facet: {key: int.from_bytes(data, "little") for key, data in keys.items()} for facet, keys in sets.items()}
    for value in OfferFormat.values:
        bits["format"].setdefault(value, 0)
    for value in CostKind.values:
        bits["cost"].setdefault(value, 0)
    for value in ("yes", "no"):
        bits["accredited"].setdefault(value, 0)
    return FacetIndex(
        ids=ids,
        position={pk: i for i, pk in enumerate(ids)},
        bits=bits,
        national=int.from_bytes(national, "little"),
        everything=(1 << size) - 1,
        links=card_links,
    )
