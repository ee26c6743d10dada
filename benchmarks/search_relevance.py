"""Search relevance benchmark: does the catalogue find what providers mean? (issue 15, item 7)

Loads the demo region into a fresh database (Django's test database: an
in-memory SQLite by default, ``test_<name>`` on the PostgreSQL server of
``--database-url``, dropped afterwards), then asks the catalogue each query of
``benchmarks/relevance_queries.json`` as a person would: ``GET /offers/?q=...``
with Django's test Client, signed out unless ``--user`` is given. It reads the
page, not the code, so it keeps working whatever the catalogue code becomes:
the offers reachable from the results, in page order, are the links to an
offer's page (``/offers/<slug>/``) on the cards, the title's and those of
other offers named on a card that groups several; it follows the page's
``rel="next"`` link until it has DEPTH offers.

Per query it compares the first offers reached with the judged relevant ones:

  hit@10     at least one relevant offer among the first 10 reached
  recall@20  relevant offers among the first 20 / min(relevant, 20)
             (capped: a query with 45 relevant regional runs can still score 1)
  RR         1 / position of the first relevant offer (0 if none reached)

and prints each query's misses, the figures per kind of query, and the
overall hit@10, recall@20 and mean reciprocal rank against the targets.

    .venv/bin/python -m benchmarks.search_relevance                       # SQLite
    .venv/bin/python -m benchmarks.search_relevance \\
        --database-url postgres://postgres@127.0.0.1:5432/brokerage_relevance
    options: --user provider (sign in as the demo's Exeter College contact),
             --only KIND, --verbose (every query, not only the misses), --json FILE

The judgments come from ``benchmarks/relevance_judgments.py`` (which writes the
JSON file from rules read against the demo data); see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import sys
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

QUERIES_FILE = Path(__file__).with_name("relevance_queries.json")
DEPTH = 20
MAX_PAGES = 6
TARGETS = {"hit@10": 0.95, "recall@20": 0.85}
# An offer's own page: /offers/<slug>/ (a language prefix such as /cy/ allowed); not the feed.
OFFER_PATH = re.compile(r"^(?:/[a-z]{2})?/offers/(?P<slug>[-\w]+)/$")
NOT_OFFERS = {"feed"}


# --- reading a results page ---------------------------------------------------------------
class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.offers: list[str] = []
        self.next_url: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag != "a":
            return
        attrs = dict(attrs)
        href = attrs.get("href") or ""
        if "next" in (attrs.get("rel") or "").split() and self.next_url is None:
            self.next_url = href
            return
        match = OFFER_PATH.match(urlsplit(href).path)
        if match and match["slug"] not in NOT_OFFERS:
            self.offers.append(match["slug"])


def read_results(html: str) -> tuple[list[str], str | None]:
    """(offer slugs in page order, each once; the next page's address or None)."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    return list(dict.fromkeys(parser.offers)), parser.next_url


def reached_offers(get, path: str, depth: int = DEPTH, max_pages: int = MAX_PAGES) -> list[str]:
    """The offers a person reaches from the results at path, in order, following "next" up to depth offers.

    get(url) returns the page's HTML (the test Client in the benchmark, a dict in the test).
    """
    reached: list[str] = []
    url = path
    for _ in range(max_pages):
        slugs, next_url = read_results(get(url))
        reached.extend(slug for slug in slugs if slug not in reached)
        if len(reached) >= depth or not next_url:
            break
        url = urljoin(url, next_url)
    return reached


# --- measures -----------------------------------------------------------------------------
@dataclasses.dataclass
class Score:
    query: dict
    reached: list[str]
    hit10: bool
    recall20: float
    rr: float
    first_relevant: int | None  # 1-based position, None when no relevant offer was reached

    @property
    def missed(self) -> list[str]:
        top = set(self.reached[:DEPTH])
        return [slug for slug in self.query["relevant"] if slug not in top]


def score(query: dict, reached: list[str]) -> Score:
    relevant = set(query["relevant"])
    positions = [i for i, slug in enumerate(reached, 1) if slug in relevant]
    first = positions[0] if positions else None
    found = len(relevant & set(reached[:DEPTH]))
    return Score(
        query=query,
        reached=reached,
        hit10=first is not None and first <= 10,
        recall20=found / min(len(relevant), DEPTH) if relevant else 0.0,
        rr=1 / first if first else 0.0,
        first_relevant=first,
    )


def summary(scores: list[Score]) -> dict:
    n = len(scores) or 1
    return {
        "queries": len(scores),
        "hit@10": sum(s.hit10 for s in scores) / n,
        "recall@20": sum(s.recall20 for s in scores) / n,
        "MRR": sum(s.rr for s in scores) / n,
    }


def query_path(query: dict) -> str:
    params = dict(query.get("params") or {})
    if query.get("q"):
        params = {"q": query["q"], **params}
    # A Welsh query is asked on the Welsh page, where the search also reads the Welsh text.
    prefix = "/cy" if query.get("lang") == "cy" else ""
    return prefix + "/offers/" + ("?" + urlencode(params, doseq=True) if params else "")


# --- the run ------------------------------------------------------------------------------
def configure_django(database_url: str | None):
    """Settings as the tests have them (no TLS redirect, fast hashing), local memory cache, no broker."""
    os.environ["DATABASE_URL"] = database_url or ""
    os.environ.update({"BROKERAGE_TESTING": "true", "REDIS_URL": "", "CELERY_TASK_ALWAYS_EAGER": "true",
                       "LOG_LEVEL": "WARNING", "DEBUG": "false"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brokerage.settings")
    import django

    django.setup()


@contextmanager
def demo_database():
    """A fresh test database with the demo region loaded (manage.py load_demo); dropped afterwards."""
    from io import StringIO

    from django.core.management import call_command
    from django.test.runner import DiscoverRunner

    runner = DiscoverRunner(interactive=False, verbosity=0)
    runner.setup_test_environment()
    old_config = runner.setup_databases()
    try:
        call_command("load_demo", stdout=StringIO())
        yield
    finally:
        runner.teardown_databases(old_config)
        runner.teardown_test_environment()


def check_judgments(queries: list[dict]) -> list[str]:
    """Judged offers the loaded demo does not publish (the demo changed: run relevance_judgments again)."""
    from programmes.models import Offer

    judged = {slug for query in queries for slug in query["relevant"]}
    published = set(Offer.objects.filter(slug__in=judged, status="published").values_list("slug", flat=True))
    return sorted(judged - published)


def run(queries: list[dict], username: str | None = None) -> list[Score]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))

    def get(url):
        response = client.get(url, follow=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response.content.decode()

    return [score(query, reached_offers(get, query_path(query))) for query in queries]


def report(scores: list[Score], verbose: bool = False, out=sys.stdout):
    def line(text=""):
        print(text, file=out)

    for s in scores:
        q = s.query
        perfect = s.hit10 and s.recall20 >= 1
        if perfect and not verbose:
            continue
        shown = q.get("q") or query_path(q)
        first = f"first relevant at {s.first_relevant}" if s.first_relevant else "no relevant offer reached"
        line(f"{'ok  ' if s.hit10 else 'MISS'} [{q['kind']}] {shown!r}: recall@20 {s.recall20:.2f}, {first}, "
             f"{len(s.reached)} reached, {len(q['relevant'])} relevant")
        missed = s.missed
        if missed and not perfect:
            names = ", ".join(missed[:6]) + (f" and {len(missed) - 6} more" if len(missed) > 6 else "")
            line(f"       missed: {names}")
    line()
    kinds = sorted({s.query["kind"] for s in scores})
    rows = [[kind, *_figures(summary([s for s in scores if s.query["kind"] == kind]))] for kind in kinds]
    rows.append(["all", *_figures(summary(scores))])
    from benchmarks.common import table

    line(table(rows, ["kind", "queries", "hit@10", "recall@20", "MRR"]))
    line()
    overall = summary(scores)
    for name, target in TARGETS.items():
        verdict = "met" if overall[name] >= target else "NOT met"
        line(f"{name}: {overall[name]:.3f} (target {target}) {verdict}")
    line(f"MRR: {overall['MRR']:.3f}")


def _figures(figures: dict) -> list:
    return [figures["queries"], f"{figures['hit@10']:.1%}", f"{figures['recall@20']:.3f}", f"{figures['MRR']:.3f}"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server and database name (its test_ copy is used)")
    parser.add_argument("--user", help="sign in as this demo user (e.g. provider) instead of signed out")
    parser.add_argument("--only", help="only the queries of this kind")
    parser.add_argument("--verbose", action="store_true", help="print every query, not only imperfect ones")
    parser.add_argument("--json", help="also write the per-query results to this file")
    args = parser.parse_args(argv)

    queries = json.loads(QUERIES_FILE.read_text(encoding="utf-8"))["queries"]
    if args.only:
        queries = [q for q in queries if q["kind"] == args.only]
    configure_django(args.database_url)
    from django.db import connection

    started = time.monotonic()
    with demo_database():
        loaded = time.monotonic()
        unknown = check_judgments(queries)
        scores = run(queries, username=args.user)
        print(f"Search relevance on {connection.vendor} ({connection.settings_dict['NAME']}), "
              f"{'signed in as ' + args.user if args.user else 'signed out'}: {len(queries)} queries; "
              f"demo loaded in {loaded - started:.1f} s, queries asked in {time.monotonic() - loaded:.1f} s")
        if unknown:
            print(f"WARNING: {len(unknown)} judged offers are not published in this demo "
                  f"(run python -m benchmarks.relevance_judgments): {', '.join(unknown[:5])}")
        print()
        report(scores, verbose=args.verbose)
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"summary": summary(scores), "queries": [
                {"q": s.query.get("q"), "kind": s.query["kind"], "hit@10": s.hit10, "recall@20": s.recall20,
                 "rr": s.rr, "reached": s.reached[:DEPTH], "missed": s.missed} for s in scores]},
            indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
