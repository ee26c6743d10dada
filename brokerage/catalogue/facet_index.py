"""An in-memory facet index of the listed offers: facet counts and default-order pages without SQL.

The facets are those declared in facets.py. Built once per catalogue
namespace, day and "show past" choice (one narrow
query on PostgreSQL, where each offer row carries its id arrays; four on
SQLite), shared through the catalogue cache (programmes.cache: Redis, plus a
per-process copy), so a new version is built by one process and read by the
others. Any change to offers or their vocabulary renews the version (signals),
so the index is never older than the cached counts were before it: another
process sees a change within VERSION_RECHECK seconds.

The listed offers are numbered in the catalogue's default order ("starting
soonest": fresh before overdue for review, then start date, title, id). Each
facet choice is a bit set over those positions (a Python int), so:

- a filter is the OR of its chosen choices' sets and of the offers its
  declaration counts everywhere (national offers for regions), and the
  matching offers are the AND of the filters (and of the search matches,
  whose ids come from the database);
- a choice's count is popcount(choice & every other filter): its own filter
  ignored, every other one kept;
- a page in the default order is the n-th to m-th set bits of the result.

Offers marked as the same thing share one card (programmes.selectors.
catalogue_offers), yet each is indexed with its own facets and words: an
offer matching the filters and the search while the one standing for its
group does not still brings that card (``lift``), which names it with its
region, so grouping never hides a match.

Costs do not grow with the page size, and grow with the catalogue only as
bit operations on ints of (offers / 8) bytes: about 5 kB at 40,000 offers.
"""

import contextlib
import dataclasses
import functools
import gc
import json
import re

from django.db import connection
from django.db.models import F, JSONField, TextField
from django.db.models.functions import Cast

from programmes.models import Offer
from programmes.selectors import listed_offers, review_cutoff

from .facets import FACETS, OfferColumn, uses_facet_arrays

_POPCOUNT = [bin(byte).count("1") for byte in range(256)]
_NON_ZERO_BYTE = re.compile(rb"[^\x00]")


@dataclasses.dataclass
class FacetIndex:
    ids: list  # position -> offer id, in the default order
    position: dict  # offer id -> position
    bits: dict  # facet -> {key: bit set}; keys as the declarations give them (str(pk), values, "yes"/"no")
    everywhere: dict  # facet -> bit set of the offers that count under every choice (national offers)
    everything: int
    # offer id -> (theme ids, audience ids): what a card shows, without a query.
    links: dict = dataclasses.field(default_factory=dict)
    # Offers shown on another offer's card: position -> that card's position, and their bit set.
    grouped: dict = dataclasses.field(default_factory=dict)
    members: int = 0

    @property
    def size(self):
        return len(self.ids)

    @property
    def card_count(self):
        """How many cards the unfiltered catalogue shows."""
        return (self.everything & ~self.members).bit_count()

    def lift(self, bits):
        """The cards of these offers: grouped offers replaced by the card that names them."""
        rest = bits & self.members
        if not rest:
            return bits
        # Bits read and set in byte strings, not shifted and OR'ed one by one:
        # each such operation copies the whole int (a broad search's counts
        # took 5 ms at 200,000 offers). Grouped offers are few (same-as pairs).
        size = (self.size + 7) // 8
        found = rest.to_bytes(size, "little")
        cards = bytearray(size)
        for position, card in self.grouped.items():
            if found[position >> 3] >> (position & 7) & 1:
                cards[card >> 3] |= 1 << (card & 7)
        return (bits ^ rest) | int.from_bytes(cards, "little")

    def condition(self, facet, keys):
        """The bit set of offers one filter lets through (its chosen keys OR'ed, and the everywhere offers)."""
        choices = self.bits.get(facet, {})
        found = self.everywhere.get(facet, 0)
        for key in keys:
            found |= choices.get(key, 0)
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

    def counts(self, conditions, searched, vocab):
        """{facet: {key: count}} for every declared facet's choices, and {"total": {"": n}}.

        A choice's count is the number of offers the page would list with that
        choice in place of its own filter's choices and every other filter kept.
        """
        base = self.everything if searched is None else self.everything & searched

        def others(skip):
            found = base
            for facet, bits in conditions.items():
                if facet != skip:
                    found &= bits
            return found

        counts = {}
        for facet in FACETS:
            allowed = others(facet.name)
            if allowed & self.members:
                # Grouped offers among them: count in cards (once per card).
                counts[facet.name] = self._card_counts(facet.name, facet.choices(vocab), allowed)
                continue
            bits = self.bits[facet.name]
            everywhere = (self.everywhere.get(facet.name, 0) & allowed).bit_count()
            counts[facet.name] = {
                key: (bits.get(key, 0) & allowed).bit_count() + everywhere for _, _, key in facet.choices(vocab)
            }
        counts["total"] = {"": self.lift(others(None)).bit_count()}
        return counts

    def _card_counts(self, facet, choices, allowed):
        """{key: count} in cards, not offers: lift(that choice's offers & allowed).bit_count() for each choice.

        Offers outside same-as groups count as bits. A grouped offer adds its
        card, unless the card is counted already (once per card). Which
        grouped offers and cards have each key is worked out once per index
        (``group_keys``), so no choice's set is lifted.
        """
        outside = allowed ^ (allowed & self.members)  # allowed, less the grouped offers
        everywhere = (self.everywhere.get(facet, 0) & outside).bit_count()
        data = allowed.to_bytes((self.size + 7) // 8, "little")
        allowed_in_groups = {i for i in self.group_positions if data[i >> 3] >> (i & 7) & 1}
        bits = self.bits[facet]
        group_keys = self.group_keys[facet]
        counts = {}
        for _, _, key in choices:
            pairs, cards_with_key = group_keys.get(key) or group_keys[None]
            added = {
                card for member, card in pairs
                if member in allowed_in_groups and not (card in cards_with_key and card in allowed_in_groups)
            }
            counts[key] = (bits.get(key, 0) & outside).bit_count() + everywhere + len(added)
        return counts

    @functools.cached_property
    def group_positions(self):
        """The positions of the grouped offers and of their cards."""
        return set(self.grouped) | set(self.grouped.values())

    @functools.cached_property
    def group_keys(self):
        """facet -> key (None: the facet's everywhere offers only) -> (the (grouped offer, card) pairs
        whose grouped offer counts under that key, the cards that count under it)."""
        size = (self.size + 7) // 8
        found = {}
        for facet, keys in self.bits.items():
            everywhere = self.everywhere.get(facet, 0)
            found[facet] = {}
            for key, bits in [*keys.items(), (None, 0)]:
                data = (bits | everywhere).to_bytes(size, "little")
                found[facet][key] = (
                    [(member, card) for member, card in self.grouped.items() if data[member >> 3] >> (member & 7) & 1],
                    {card for card in self.grouped.values() if data[card >> 3] >> (card & 7) & 1},
                )
        return found

    def matching_offers(self, conditions, searched=None):
        """The offers (not cards) that match the filters and the search."""
        found = self.everything if searched is None else self.everything & searched
        for bits in conditions.values():
            found &= bits
        return found

    def matching(self, conditions, searched=None):
        """The cards to show: those of the matching offers."""
        return self.lift(self.matching_offers(conditions, searched))

    def grouped_cards(self, conditions, searched=None):
        """The ids of cards shown only because an offer they name matches."""
        found = self.matching_offers(conditions, searched)
        lifted = self.lift(found & self.members) & ~found
        return self.ids_at(lifted, 0, lifted.bit_count()) if lifted else []

    def ids_at(self, bits, start, count):
        """The offer ids of the set bits number start .. start+count-1 (in the default order)."""
        found = []
        skip = start
        ids = self.ids
        data = bits.to_bytes((self.size + 7) // 8 or 1, "little")
        # Only the non-zero bytes, found in C: a sparse set at 50,000 offers is mostly zeros
        # (the first page of a small group: 0.2 ms rather than 5 for a Python loop over every byte).
        for found_byte in _NON_ZERO_BYTE.finditer(data):
            byte_index = found_byte.start()
            byte = data[byte_index]
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
    names = {facet.name for facet in FACETS}
    return (
        isinstance(value, FacetIndex)
        and isinstance(getattr(value, "bits", None), dict) and names <= set(value.bits)
        and isinstance(getattr(value, "everywhere", None), dict) and isinstance(getattr(value, "links", None), dict)
        and isinstance(getattr(value, "grouped", None), dict) and isinstance(getattr(value, "members", None), int)
    )


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
            # group & ~digit without ~: a negative int is several times slower to combine.
            group = group & digit if count >> i & 1 else group ^ (group & digit)
            if not group:
                break
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
    # The English title, not "title" (which modeltranslation reads in the page's language):
    # the index is cached once for both languages.
    return queryset.with_stale(review_cutoff(on)).order_by(
        "stale", F("starts_on").asc(nulls_last=True), "title_en_gb", "pk"
    )


def _index_rows(listed):
    """The listed offers as dicts of what the facets read: their columns and "<facet>_ids" lists, in order."""
    columns = sorted({column for facet in FACETS for column in facet.columns})
    linked = [facet for facet in FACETS if facet.relation]
    if uses_facet_arrays():
        return _rows_with_arrays(listed, columns, linked)
    rows = list(listed.values("pk", *columns))
    visible = listed.order_by().values("pk")
    for facet in linked:
        found = {}
        through = getattr(Offer, facet.relation).through
        for offer_id, key in through.objects.filter(offer_id__in=visible).values_list("offer_id", f"{facet.name}_id"):
            found.setdefault(offer_id, []).append(key)
        for row in rows:
            row[f"{facet.name}_ids"] = found.get(row["pk"], [])
    return rows


def _rows_with_arrays(listed, columns, linked):
    """PostgreSQL: one narrow query, each offer row carrying its id arrays (programmes 0004).

    Read with a cursor rather than values(): at 200,000 offers the rows are the
    rebuild's main cost, and values() passes each through the ORM's and
    django-modeltranslation's row handling. JSON lists (open_to) are read as
    text and decoded once per distinct value: a catalogue has a few dozen.
    """
    arrays = {f"{facet.name}_ids": OfferColumn(f"{facet.name}_ids") for facet in linked}
    json_columns = {column for column in columns if isinstance(Offer._meta.get_field(column), JSONField)}
    texts = {column: Cast(column, TextField()) for column in json_columns}
    query = listed.annotate(**arrays, **{f"{column}_text": text for column, text in texts.items()})
    query = query.values("pk", *[f"{c}_text" if c in json_columns else c for c in columns], *arrays)
    sql, params = query.query.sql_with_params()
    decoded = {}

    def decode(text):
        if text not in decoded:
            decoded[text] = None if text is None else json.loads(text)
        return decoded[text]

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # The columns as the query names them (its aliases), the JSON ones under their own names.
        names = [column.name for column in cursor.description]
        names = [name.removesuffix("_text") if name.removesuffix("_text") in json_columns else name for name in names]
        positions = [i for i, name in enumerate(names) if name in json_columns]
        rows = []
        for values in cursor.fetchall():
            row = dict(zip(names, values))
            for i in positions:
                row[names[i]] = decode(values[i])
            rows.append(row)
    return rows


def _card_of(listed_ids):
    """{grouped offer id: id of the card naming it}.

    As programmes.selectors.catalogue_offers has it: a listed offer with a
    listed same-as partner of a lower id is not a card of its own; it is named
    on the card of its lowest such partner, followed down to an offer that is.
    Worked out from the same-as pairs (a few hundred) rather than by asking
    the database for every card's id.
    """
    partners = {}
    for member, other in Offer.same_as.through.objects.values_list("from_offer_id", "to_offer_id"):
        if other < member and member in listed_ids and other in listed_ids:
            partners[member] = min(other, partners.get(member, other))
    found = {}
    for member, card in partners.items():
        while card in partners:  # each step goes to a lower id, so the walk ends
            card = partners[card]
        found[member] = card
    return found


@contextlib.contextmanager
def _cyclic_gc_paused():
    """Python's cycle collector off while the index is built: building allocates a few objects
    per offer (rows, id lists, tuples) and none in cycles, yet the growing heap made each
    collection longer; at 200,000 offers they were 0.8 s of a 2.2 s build."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_index(*, show_past, on):
    with _cyclic_gc_paused():
        return _build_index(show_past=show_past, on=on)


def _build_index(*, show_past, on):
    rows = _index_rows(default_order(listed_offers(show_past=show_past, on=on), on))
    card_of = _card_of({row["pk"] for row in rows})
    width = (len(rows) + 7) // 8 or 1
    sets = {facet.name: {} for facet in FACETS}
    everywhere = {facet.name: bytearray(width) for facet in FACETS if facet.everywhere}

    # The loop runs once per listed offer and facet (1.6 million times at 200,000 offers): what it
    # needs of each facet is read once here, and each offer's byte and bit are worked out once.
    marking = [(facet.everywhere, everywhere.get(facet.name), facet.keys, sets[facet.name]) for facet in FACETS]
    ids, card_links = [], {}
    for i, row in enumerate(rows):
        pk = row["pk"]
        ids.append(pk)
        card_links[pk] = (tuple(row.get("theme_ids") or ()), tuple(row.get("audience_ids") or ()))
        byte, bit = i >> 3, 1 << (i & 7)
        for counts_everywhere, everywhere_bits, keys, store in marking:
            if counts_everywhere and counts_everywhere(row):
                everywhere_bits[byte] |= bit
                continue
            for key in keys(row):
                data = store.get(key)
                if data is None:
                    data = store[key] = bytearray(width)
                data[byte] |= bit
    position = {pk: i for i, pk in enumerate(ids)}
    # An offer whose card cannot be found (never expected) keeps a card of its own rather than vanish.
    grouped = {position[member]: position[card] for member, card in card_of.items()}
    members = 0
    for i in grouped:
        members |= 1 << i
    return FacetIndex(
        ids=ids,
        position=position,
        grouped=grouped,
        members=members,
        bits={name: {key: int.from_bytes(data, "little") for key, data in keys.items()} for name, keys in sets.items()},
        everywhere={name: int.from_bytes(data, "little") for name, data in everywhere.items()},
        everything=(1 << len(rows)) - 1,
        links=card_links,
    )
