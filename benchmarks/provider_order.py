"""A signed-in provider's catalogue order (issue 15, item 4): what the ranking costs, in process.

The order is served from the in-memory facet index (brokerage/catalogue/
ranking.py), so no request-level benchmark sees it (benchmarks/catalogue.py
measures anonymous pages). This times the first page of ids at N offers on a
synthetic index (seeded: 10 regions, 12 themes, 7 audiences, two named kinds
and half the offers open to any kind), for an organisation with four
priorities and two staff groups:

  priorities only            the order before item 4 (match_groups over the priorities)
  region, kind, priorities   ranking.provider_order

    .venv/bin/python -m benchmarks.provider_order [--offers 50000] [--repeat 200]
"""

import argparse
import os
import random
import time
import types


def synthetic_index(n, seed=1):
    from brokerage.catalogue.facet_index import FacetIndex

    rng = random.Random(seed)

    def bits(share):
        return sum(1 << i for i in range(n) if rng.random() < share)

    return FacetIndex(
        ids=list(range(n)), position={i: i for i in range(n)},
        bits={
            "theme": {str(t): bits(0.1) for t in range(12)},
            "audience": {str(a): bits(0.2) for a in range(7)},
            "region": {str(r): bits(0.1) for r in range(10)},
            "open_to": {kind: bits(0.2) for kind in ("college", "school")},
        },
        everywhere={"region": bits(0.05), "open_to": bits(0.5)},
        everything=(1 << n) - 1,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brokerage.settings")
    import django

    django.setup()
    from brokerage.catalogue.facet_index import PageIds, match_groups
    from brokerage.catalogue.ranking import provider_order

    index = synthetic_index(args.offers)
    lens = types.SimpleNamespace(
        organisation=types.SimpleNamespace(region_id=3), take_up_kind="college",
        theme_ids={1, 2, 3, 4}, audience_ids={1, 2},
    )
    matches = index.everything

    def priorities_only():
        sets = [index.bits["theme"][str(pk)] for pk in lens.theme_ids]
        sets += [index.bits["audience"][str(pk)] for pk in lens.audience_ids]
        return PageIds(index, match_groups(sets, matches))[0:20]

    def ranked():
        return PageIds(index, provider_order(index, lens, matches))[0:20]

    for name, first_page in (("priorities only", priorities_only), ("region, kind, priorities", ranked)):
        first_page()
        started = time.perf_counter()
        for _ in range(args.repeat):
            first_page()
        took = (time.perf_counter() - started) / args.repeat * 1000
        print(f"{args.offers:,} offers, {name:26} {took:6.2f} ms per first page of 20")


if __name__ == "__main__":
    main()
