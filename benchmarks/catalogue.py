"""Catalogue benchmark: /offers/ at 1,000, 10,000 and 50,000 published offers (200,000 with --with-200k).

Per size, one gunicorn server (2 workers) and then a second one with the
filtered-page, card and search caches off (CATALOGUE_PAGE_CACHE=false,
CATALOGUE_CARD_CACHE=false, CATALOGUE_SEARCH_CACHE=false: every request
computes its page), and between them one with only the page cache off (a new
filter state whose cards, and whose search words, were seen before), against a dedicated
PostgreSQL database (brokerage_bench_catalogue) and Redis cache; for each
size the offers are regenerated with COPY, the tables ANALYZEd, the
catalogue's cache version renewed, then wrk measures (each run bounded):

  trivial      /bench/trivial (the baseline, same server, same moment)
  unfiltered   /offers/
  two facets   /offers/?theme=<t>&audience=<a>
  selective    /offers/?q=orienteering      (~0.2% of offers)
  broad        /offers/?q=teaching          (~40% of offers)
  typo         /offers/?q=orienterring      (corrected to the selective word: "Did you mean")
  synonym      /offers/?q=wayfinding        (a coordinator's synonym of the selective word)
  Welsh        /cy/offers/, /cy/offers/?q=cyfeiriannu (the selective offers' Welsh title), and the
               broad word on the Welsh page (which searches the English and the Welsh text)

and, on the first server only (every cache on, as in production), two runs
where each request asks for a different path, so no page is found cached:

  two facets, a new state each request   theme x audience x per_page x page (2,500 states)
  search, new words each request         two or three words from the generator's vocabulary (2,900 searches)

and prints EXPLAIN ANALYZE of the selective search (it must use the GIN index).

    .venv/bin/python -m benchmarks.catalogue [--seconds 5] [--with-200k] [--sizes 1000,10000]
"""

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import sys
import time

ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DB_NAME", "brokerage_bench_catalogue")
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
SERVER_ENV = {
    "DATABASE_URL": DB_URL,
    "REDIS_URL": REDIS_URL,
    "REDIS_BROKER_DB": os.environ.get("BENCH_REDIS_BROKER_DB", "6"),
    "REDIS_CACHE_DB": os.environ.get("BENCH_REDIS_CACHE_DB", "7"),
    "CELERY_TASK_ALWAYS_EAGER": "true",
}

KINDS = ["college", "school", "local_authority", "voluntary", "work_based"]
SELECTIVE = "orienteering"
BROAD = "teaching"
TYPO = "orienterring"  # issue 15: a typo or a synonym costs at most twice the exact word
SYNONYM = "wayfinding"
SELECTIVE_CY = "cyfeiriannu"  # orienteering in Welsh: the selective offers have a Welsh title
WORDS = (
    "maths numeracy literacy reading writing speaking listening assessment feedback planning curriculum "
    "leadership coaching mentoring digital online inclusion behaviour wellbeing workload governance research "
    "evidence apprenticeships vocational functional skills adult community learners tutors classroom practice "
    "observation induction resilience confidence strategy improvement quality data safeguarding careers"
).split()


def setup_django():
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brokerage.settings")
    os.environ.update({"DEBUG": "false", "BROKERAGE_TESTING": "false", "SECRET_KEY": "bench-" + "x" * 50,
                       "ALLOWED_HOSTS": "127.0.0.1"})
    import django

    django.setup()


def prepare_database():
    from benchmarks.common import create_database, run_manage

    create_database(ADMIN_URL, DB_NAME)
    done = run_manage(["migrate", "--no-input", "-v0"], env=SERVER_ENV, check=False)
    if done.returncode != 0:
        sys.exit(f"migrate failed:\n{done.stderr}")


def vocabulary():
    """Themes, audiences, regions, programmes and workers (created once)."""
    from django.contrib.auth import get_user_model

    from programmes.models import Audience, Programme, Region, RegionalWorker, Theme

    themes = [Theme.objects.get_or_create(slug=f"bench-theme-{i}", defaults={"name": f"Theme {i}"})[0] for i in range(12)]
    audiences = [
        Audience.objects.get_or_create(slug=f"bench-audience-{i}", defaults={"name": f"Audience {i}"})[0] for i in range(7)
    ]
    regions = [Region.objects.get_or_create(slug=f"bench-region-{i}", defaults={"name": f"Region {i}"})[0] for i in range(10)]
    programmes = [
        Programme.objects.get_or_create(
            slug=f"bench-programme-{i}", defaults={"official_name": f"Programme {i}", "plain_name": f"Programme {i}"}
        )[0]
        for i in range(10)
    ]
    User = get_user_model()
    workers = []
    for i in range(20):
        user, _ = User.objects.get_or_create(username=f"bench-worker-{i}@example.org",
                                             defaults={"first_name": "Worker", "last_name": str(i)})
        workers.append(RegionalWorker.objects.get_or_create(user=user, defaults={"slug": f"bench-worker-{i}"})[0])
    return themes, audiences, regions, programmes, workers


def copy_rows(cursor, table, columns, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["\\N" if value is None else value for value in row])
    buffer.seek(0)
    cursor.copy_expert(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
    )


def generate(n, vocab, seed=42):
    """Replace all offers with n generated ones (about 90% published), with COPY."""
    from django.db import connection, transaction

    from programmes.cache import catalogue_changed

    themes, audiences, regions, programmes, workers = vocab
    rng = random.Random(seed)
    today = dt.date.today()
    now = dt.datetime.now(dt.timezone.utc)
    started = time.monotonic()
    from programmes.models import SearchSynonym

    SearchSynonym.objects.update_or_create(terms=f"{SELECTIVE}, {SYNONYM}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE programmes_offer, programmes_offer_themes, programmes_offer_audiences, programmes_offer_regions, "
            "programmes_offer_same_as, programmes_offer_builds_on, programmes_historicaloffer RESTART IDENTITY CASCADE"
        )
        offers, offer_themes, offer_audiences, offer_regions = [], [], [], []
        for pk in range(1, n + 1):
            words = rng.sample(WORDS, 4)
            title = " ".join(words[:3]).capitalize() + f" {pk}"
            title_cy = None  # the others have no Welsh yet: their Welsh page falls back to English
            if pk % 500 == 0:  # the selective term: 0.2% of offers
                title = f"Orienteering for {words[0]} {pk}"
                title_cy = f"Cyfeiriannu ar gyfer {words[0]} {pk}"
            summary = f"Support with {words[1]} and {words[2]} for {words[3]}."
            if rng.random() < 0.40:
                summary = f"Teaching {words[1]} well: " + summary
            description = " ".join(rng.choices(WORDS, k=30))
            roll = rng.random()
            status = "published" if roll < 0.9 else ("draft" if roll < 0.95 else "archived")
            kind = rng.random()
            if kind < 0.3:
                rolling, starts, ends = True, None, None
            elif kind < 0.9:
                rolling, starts = False, today + dt.timedelta(days=rng.randint(1, 300))
                ends = starts + dt.timedelta(days=rng.randint(0, 60))
            else:
                rolling, starts = False, today - dt.timedelta(days=rng.randint(30, 300))
                ends = starts + dt.timedelta(days=rng.randint(0, 20))
            cost = rng.choice(["free", "free", "funded", "paid"])
            offers.append([
                pk, rng.choice(programmes).pk, title, f"bench-offer-{pk}", summary, description,
                rng.random() < 0.1, rng.choice(["course", "online", "blended", "workshop", "coaching", "in_house"]),
                cost, "150.00" if cost == "paid" else None, "", rng.random() < 0.3, "", "",
                starts, ends, rolling, rng.choice(workers).pk, status,
                (now - dt.timedelta(days=rng.randint(0, 400))).isoformat() if status != "draft" else None,
                today - dt.timedelta(days=rng.randint(0, 300)), rng.choice(workers).pk, now.isoformat(), now.isoformat(),
                # Who can take it up: 40% any kind, else one to three kinds.
                json.dumps([] if rng.random() < 0.4 else sorted(rng.sample(KINDS, rng.randint(1, 3)))), "",
                title, summary, description, title_cy,  # the language columns (programmes 0012)
                # Language of delivery: mostly English, a fifth Welsh-medium, a tenth bilingual.
                rng.choices(["en", "cy", "bilingual"], weights=[7, 2, 1])[0],
            ])
            picked = [
                sorted(t.pk for t in rng.sample(themes, rng.randint(1, 3))),
                sorted(a.pk for a in rng.sample(audiences, rng.randint(1, 2))),
                sorted(r.pk for r in rng.sample(regions, rng.randint(1, 3))),
            ]
            offer_themes += [[pk, t] for t in picked[0]]
            offer_audiences += [[pk, a] for a in picked[1]]
            offer_regions += [[pk, r] for r in picked[2]]
            # The id arrays PostgreSQL keeps on the offer row (programmes 0004).
            offers[-1] += ["{" + ",".join(map(str, ids)) + "}" for ids in picked]
        # Links first (their triggers then find no offer rows to update; the
        # foreign keys are checked at commit), then the offers with their id
        # arrays already filled: every offer row is written once, no bloat.
        copy_rows(cursor, "programmes_offer_themes", ["offer_id", "theme_id"], offer_themes)
        copy_rows(cursor, "programmes_offer_audiences", ["offer_id", "audience_id"], offer_audiences)
        copy_rows(cursor, "programmes_offer_regions", ["offer_id", "region_id"], offer_regions)
        copy_rows(cursor, "programmes_offer", [
            "id", "programme_id", "title", "slug", "summary", "description", "is_national", "format", "cost", "price",
            "funding_note", "accredited", "accreditation", "level", "starts_on", "ends_on", "is_rolling", "contact_id",
            "status", "published_at", "last_reviewed_on", "last_reviewed_by_id", "created_at", "updated_at",
            "open_to", "open_to_condition", "title_en_gb", "summary_en_gb", "description_en_gb", "title_cy",
            "delivery_language", "theme_ids", "audience_ids", "region_ids",
        ], offers)
        cursor.execute("SELECT setval(pg_get_serial_sequence('programmes_offer', 'id'), %s)", [n])
        # A few same-as pairs, as coordinators would mark them.
        cursor.execute(
            "INSERT INTO programmes_offer_same_as (from_offer_id, to_offer_id) "
            "SELECT a, a + 1 FROM generate_series(10, %s, 997) a UNION ALL SELECT a + 1, a FROM generate_series(10, %s, 997) a",
            [n - 1, n - 1],
        )
    with connection.cursor() as cursor:
        for table in ("programmes_offer", "programmes_offer_themes", "programmes_offer_audiences",
                      "programmes_offer_regions", "programmes_offer_same_as"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    catalogue_changed()
    return time.monotonic() - started


def search_facts(vocab):
    """Match counts and EXPLAIN ANALYZE of the selective search as the catalogue runs it."""
    from django.db import connection

    from programmes.models import Offer
    from programmes.search import offers_search
    from programmes.selectors import catalogue_offers

    base = catalogue_offers()
    listed = base.count()
    selective = offers_search(base, SELECTIVE)
    broad = offers_search(base, BROAD)
    # The catalogue asks the database for the matching ids only (one array),
    # and intersects them with its in-memory facet index.
    sql, params = offers_search(Offer.objects.order_by(), SELECTIVE, rank=False).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE SELECT array_agg(s.pk) FROM ({sql}) s", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return listed, selective.count(), broad.count(), plan


# Each request a different path from the list (wrk's threads take turns), so
# with every cache on, as in production, no request finds its page cached:
# the "varied" rows. The paths are shuffled so neighbours share little.
VARIED_LUA = """
local paths = {%s}
local threads = 0
function setup(thread)
  thread:set("first", threads)
  threads = threads + 1
end
function init(args)
  n = first
  stride = tonumber(args[1])
end
function request()
  local path = paths[n %% #paths + 1]
  n = n + stride
  return wrk.format("GET", path)
end
"""


def varied_paths(vocab):
    """Distinct filter states and distinct searches, none of which the fixed-URL runs asked for."""
    import itertools

    themes, audiences = vocab[0], vocab[1]
    rng = random.Random(7)
    facets = [
        f"/offers/?theme={t.slug}&audience={a.slug}&per_page={size}&page={page}"
        for t in themes for a in audiences for size in (10, 20, 50) for page in range(1, 11)
        if (t, a) != (themes[0], audiences[0])
    ]
    words = [f"/offers/?q={'+'.join(pair)}" for pair in itertools.combinations(WORDS, 2)]
    words += [f"/offers/?q={'+'.join(trio)}" for trio in itertools.combinations(WORDS[:24], 3)]
    rng.shuffle(facets)
    rng.shuffle(words)
    return {"two facets, a new state each request": facets, "search, new words each request": words}


def measure_varied(server, paths_by_name, seconds):
    """wrk over many distinct paths (no warm-up run: it would ask the first paths before the measured run)."""
    from benchmarks.common import ROOT, fetch, wrk

    results = {}
    for name, paths in paths_by_name.items():
        status, body = fetch(server.url(paths[-1]))
        if status != 200:
            raise RuntimeError(f"{paths[-1]} answered {status}: {body[:500]}")
        script = ROOT / "benchmarks" / f".varied-{os.getpid()}.lua"
        script.write_text(VARIED_LUA % ", ".join(f'"{path}"' for path in paths[:-1]))
        try:
            results[name] = wrk(server.url(paths[0]), seconds=seconds, timeout=30, script=str(script), warmup=0,
                                script_args=(2,))
        finally:
            script.unlink(missing_ok=True)
        results[name].distinct = len(paths) - 1
    return results


def measure(server, urls, seconds):
    from benchmarks.common import fetch, wrk

    results = {}
    for name, path in urls:
        # The first request builds the facet index: slow at 200,000 offers.
        status, body = fetch(server.url(path), timeout=300)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {body[:500]}")
        # Slow pages must finish inside the timeout to be counted at all.
        results[name] = wrk(server.url(path), seconds=seconds, timeout=30)
    return results


def first_requests_after_change(server, paths):
    """Seconds each of `paths` takes when it is the first request after a data change.

    catalogue_changed() moves the shared data version, so the next request
    rebuilds the facet index and renders its cards again (as after a worker's
    edit); the paths are then asked for one after the other, each once.
    """
    from benchmarks.common import fetch

    from programmes.cache import VERSION_RECHECK, catalogue_changed

    catalogue_changed()
    # A worker trusts the version it last read for VERSION_RECHECK seconds (a
    # fixed setting, not a race): past it, the next request sees the change.
    time.sleep(VERSION_RECHECK * 1.5)
    took = []
    for path in paths:
        started = time.perf_counter()
        status, body = fetch(server.url(path), timeout=120)
        took.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError(f"{path} answered {status} after a data change: {body[:500]}")
    return took


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--with-200k", action="store_true", help="also measure 200,000 offers (slow to generate)")
    parser.add_argument("--sizes", default="1000,10000,50000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.with_200k:
        sizes.append(200_000)

    prepare_database()
    setup_django()
    from benchmarks.common import BenchServer, table

    vocab = vocabulary()
    theme, audience = vocab[0][0].slug, vocab[1][0].slug
    urls = [
        ("trivial", "/bench/trivial"),
        ("unfiltered", "/offers/"),
        ("two facets", f"/offers/?theme={theme}&audience={audience}"),
        ("selective search", f"/offers/?q={SELECTIVE}"),
        ("broad search", f"/offers/?q={BROAD}"),
        ("typo search", f"/offers/?q={TYPO}"),
        ("synonym search", f"/offers/?q={SYNONYM}"),
        ("Welsh unfiltered", "/cy/offers/"),
        ("Welsh selective search", f"/cy/offers/?q={SELECTIVE_CY}"),
        ("Welsh broad search", f"/cy/offers/?q={BROAD}"),
    ]
    varied = varied_paths(vocab)
    rows, by_size = [], {}
    # The same pages again on a server with the filtered-page and card caches
    # off (every request computes its page): wrk repeats one URL, so the first
    # server answers nearly every filtered request from the page cache.
    uncached_env = {**SERVER_ENV, "CATALOGUE_CARD_CACHE": "false", "CATALOGUE_PAGE_CACHE": "false",
                    "CATALOGUE_SEARCH_CACHE": "false"}
    # And in between: a filter state nobody asked for yet, its offers' cards
    # already rendered once in this catalogue version (page cache off only).
    new_state_env = {**SERVER_ENV, "CATALOGUE_PAGE_CACHE": "false"}
    for n in sizes:
        took = generate(n, vocab)
        listed, selective_hits, broad_hits, plan = search_facts(vocab)
        print(f"\n== {n:,} offers generated in {took:.1f} s; {listed:,} listed (published, current, one per same-as group);"
              f" '{SELECTIVE}' matches {selective_hits:,}, '{BROAD}' matches {broad_hits:,}", flush=True)
        print("EXPLAIN ANALYZE of the selective search:\n" + plan, flush=True)
        print("GIN index used:", "offer_search_vector_gin" in plan, flush=True)
        for label, env, pages in (
            ("", SERVER_ENV, urls),
            (" (new state)", new_state_env, [url for url in urls if not url[0].endswith("unfiltered")]),
            (" (uncached)", uncached_env, [url for url in urls if not url[0].endswith("unfiltered")]),
        ):
            with BenchServer(env=env) as server:
                results = measure(server, pages, args.seconds)
                if not label:
                    results.update(measure_varied(server, varied, args.seconds))
                    rss = server.worker_rss_mb()
                    print(f"  memory of each gunicorn worker after the run: "
                          + ", ".join(f"{mb:.0f} MB" for mb in rss) + " (target under 400 MB)", flush=True)
                    after = first_requests_after_change(server, ["/offers/", urls[2][1]])
                    print(f"  first requests after a data change: /offers/ {after[0]:.2f} s, two facets {after[1]:.2f} s"
                          " (target under 2 s)", flush=True)
            results = {name + (label if name != "trivial" else ""): result for name, result in results.items()}
            by_size.setdefault(n, {}).update({name: r for name, r in results.items() if name != "trivial" or not label})
            trivial = results["trivial"]
            for name, result in results.items():
                if name == "trivial" and label:
                    name = "trivial" + label
                rows.append([
                    f"{n:,}", name, f"{result.rps:.1f}", f"{result.latency_avg_ms:.1f}",
                    "1.00" if name.startswith("trivial") else f"{result.ratio(trivial):.3f}",
                    result.requests, result.errors + result.non_2xx,
                ])
                distinct = getattr(result, "distinct", None)
                print(f"  {name:34} {result.rps:8.1f} req/s  {result.latency_avg_ms:7.1f} ms avg"
                      f"  ratio {result.ratio(trivial):.3f}"
                      + (f"  ({result.requests} requests over {distinct} distinct paths)" if distinct else ""),
                      flush=True)
            if label:
                by_size[n]["trivial" + label] = trivial
    print("\n" + table(rows, ["offers", "page", "req/s", "avg latency ms", "ratio to trivial", "requests", "errors"]))
    if 1000 in by_size and 50000 in by_size:
        print("\nCost per request at 50,000 relative to 1,000 (time per request = 1/rate, both against the trivial view):")
        for name, baseline in (
            ("selective search", "trivial"), ("broad search", "trivial"),
            ("selective search (new state)", "trivial (new state)"),
            ("broad search (new state)", "trivial (new state)"),
            ("selective search (uncached)", "trivial (uncached)"),
            ("broad search (uncached)", "trivial (uncached)"),
            ("two facets, a new state each request", "trivial"),
            ("search, new words each request", "trivial"),
        ):
            small, large = by_size[1000], by_size[50000]
            if not large[name].rps or not small[name].rps:
                print(f"  {name}: no request completed at one of the sizes (target at most x2 not met)")
                continue
            growth = (small[name].ratio(small[baseline])) / (large[name].ratio(large[baseline]))
            print(f"  {name}: x{growth:.2f} (target at most x2)")


if __name__ == "__main__":
    main()
