"""The facet index's priority order: offers split by how many sets they are in, then sliced across the groups."""

from brokerage.catalogue.facet_index import FacetIndex, PageIds, match_groups


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
