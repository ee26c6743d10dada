"""The facet index's priority order: offers split by how many sets they are in, then sliced across the groups."""

import datetime as dt
import random
import types

import pytest

from brokerage.catalogue.facet_index import FacetIndex, PageIds, build_index, match_groups
from brokerage.catalogue.ranking import provider_order
from programmes.choices import OfferStatus
from programmes.selectors import catalogue_offers
from tests_support import factories
from tests_support.clock import TEST_NOW


def bits(*positions):
    return sum(1 << p for p in positions)


def index_of(ids):
    return FacetIndex(ids=ids, position={pk: i for i, pk in enumerate(ids)}, bits={}, everywhere={},
                      everything=(1 << len(ids)) - 1)


def test_match_groups_most_matches_first():
    everything = bits(*range(10))
    a, b, c = bits(0, 2, 4, 6, 8), bits(0, 1, 2), bits(0, 9)

    groups = match_groups([a, b, c], everything)

    assert groups == [bits(0), bits(2), bits(1, 4, 6, 8, 9), bits(3, 5, 7)]


def test_match_groups_many_sets_counts_carry_correctly():
    # Position p is in exactly p of the sets (p = 0..9): ten groups, one position each, most first.
    sets = [bits(*range(k, 10)) for k in range(1, 10)]

    groups = match_groups(sets, bits(*range(10)))

    assert groups == [bits(p) for p in range(9, -1, -1)]


def test_match_groups_only_within_the_filter():
    assert match_groups([bits(0, 1, 2)], bits(1, 3)) == [bits(1), bits(3)]
    assert match_groups([], bits(1, 3)) == [bits(1, 3)]
    assert match_groups([bits(0)], 0) == []


def test_grouped_page_ids_slice_across_groups():
    index = index_of(list(range(10, 20)))
    pages = PageIds(index, [bits(0, 2), bits(1, 4, 6, 8), bits(3, 5, 7, 9)])

    assert len(pages) == 10
    assert pages[0:3] == [10, 12, 11]
    assert pages[2:7] == [11, 14, 16, 18, 13]
    assert pages[8:20] == [17, 19]
    assert pages[0:10] == [10, 12, 11, 14, 16, 18, 13, 15, 17, 19]


def test_ids_at_matches_brute_force_on_sparse_and_dense_sets():
    rng = random.Random(15)
    index = index_of([1000 + i for i in range(3000)])
    for density in (0.001, 0.02, 0.5, 1.0):
        chosen = [i for i in range(3000) if rng.random() < density]
        expected = [1000 + i for i in chosen]
        for start, count in [(0, 20), (0, 1), (5, 50), (len(chosen) - 3, 20), (len(chosen) + 5, 10)]:
            start = max(start, 0)
            assert index.ids_at(bits(*chosen), start, count) == expected[start:start + count]


def test_lift_replaces_grouped_offers_by_their_cards_as_brute_force_does():
    rng = random.Random(14)
    index = index_of(list(range(3000)))
    cards = rng.sample(range(3000), 40)
    members = rng.sample(sorted(set(range(3000)) - set(cards)), 80)
    index.grouped = {member: rng.choice(cards) for member in members}
    index.members = bits(*members)
    for density in (0.0, 0.01, 0.3, 1.0):
        chosen = {i for i in range(3000) if rng.random() < density} | set(rng.sample(members, 3))
        expected = {index.grouped.get(i, i) for i in chosen}

        assert index.lift(bits(*chosen)) == bits(*expected)
    no_members = bits(*cards[:5])
    assert index.lift(no_members) == no_members


def test_provider_order_is_region_then_kind_then_fit_then_default_order():
    """Brute force over random offers: the order is the sort by (not nearby, kind rank, -matches, position)."""
    rng = random.Random(4)
    size = 400
    index = index_of(list(range(size)))
    regions = {str(r): bits(*[i for i in range(size) if rng.random() < 0.2]) for r in (1, 2)}
    national = bits(*[i for i in range(size) if rng.random() < 0.05])
    kinds = {"college": bits(*[i for i in range(size) if rng.random() < 0.3])}
    any_kind = bits(*[i for i in range(size) if rng.random() < 0.4 and not kinds["college"] >> i & 1])
    themes = {str(t): bits(*[i for i in range(size) if rng.random() < 0.3]) for t in (1, 2, 3)}
    audiences = {"1": bits(*[i for i in range(size) if rng.random() < 0.3])}
    index.bits = {"region": regions, "open_to": kinds, "theme": themes, "audience": audiences}
    index.everywhere = {"region": national, "open_to": any_kind}
    lens = types.SimpleNamespace(
        organisation=types.SimpleNamespace(region_id=1), take_up_kind="college", theme_ids={1, 3}, audience_ids={1}
    )
    matches = bits(*[i for i in range(size) if rng.random() < 0.8])

    order = PageIds(index, provider_order(index, lens, matches))[0:size]

    def key(i):
        nearby = (regions["1"] | national) >> i & 1
        kind = 0 if kinds["college"] >> i & 1 else 1 if any_kind >> i & 1 else 2
        fit = sum(themes[t] >> i & 1 for t in ("1", "3")) + (audiences["1"] >> i & 1)
        return (not nearby, kind, -fit, i)

    assert order == sorted((i for i in range(size) if matches >> i & 1), key=key)


@pytest.mark.django_db
@pytest.mark.parametrize("show_past", [False, True])
def test_index_cards_are_the_catalogues_cards_through_same_as_chains(show_past):
    """The index works out which offers are cards from the same-as pairs; the catalogue's own rule
    (programmes.selectors.catalogue_offers) must give the same cards and each grouped offer its
    lowest listed partner's card, past and draft partners included."""
    on = TEST_NOW.date()
    past = {"is_rolling": False, "starts_on": on - dt.timedelta(days=40), "ends_on": on - dt.timedelta(days=30)}
    # Made first, so they have the lower ids: their partners would be named on their cards if they were listed.
    past_offer = factories.OfferFactory(slug="past", **past)
    draft = factories.OfferFactory(slug="draft", status=OfferStatus.DRAFT)
    offers = [factories.OfferFactory(slug=f"offer-{i}") for i in range(8)]
    # A chain 0 - 1 - 2, a pair with a past offer, a pair with a draft, and a triangle 5 - 6 - 7.
    offers[1].same_as.add(offers[0])
    offers[2].same_as.add(offers[1])
    offers[3].same_as.add(past_offer)
    offers[4].same_as.add(draft)
    offers[6].same_as.add(offers[5], offers[7])
    offers[7].same_as.add(offers[5])
    index = build_index(show_past=show_past, on=on)
    cards = {index.ids[i] for i in range(index.size) if not index.members >> i & 1}
    assert cards == set(catalogue_offers(show_past=show_past, on=on).values_list("pk", flat=True))
    card_of = {index.ids[member]: index.ids[card] for member, card in index.grouped.items()}
    expected = {offers[1].pk: offers[0].pk, offers[2].pk: offers[0].pk, offers[6].pk: offers[5].pk,
                offers[7].pk: offers[5].pk}
    if show_past:  # the past offer is listed, and stands for its group
        expected[offers[3].pk] = past_offer.pk
    assert card_of == expected


@pytest.mark.django_db
def test_index_build_turns_the_cycle_collector_back_on_even_when_it_fails(monkeypatch):
    import gc

    from brokerage.catalogue import facet_index

    factories.OfferFactory()
    build_index(show_past=False, on=TEST_NOW.date())
    assert gc.isenabled()

    def broken(listed):
        assert not gc.isenabled()  # paused while building
        raise RuntimeError("database gone")

    monkeypatch.setattr(facet_index, "_index_rows", broken)
    with pytest.raises(RuntimeError):
        build_index(show_past=False, on=TEST_NOW.date())
    assert gc.isenabled()
