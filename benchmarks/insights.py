"""/insights/ beside /offers/ on one gunicorn server, over 1,000,000 signals and 50,000 offers.

    .venv/bin/python -m benchmarks.insights [--seconds 5] [--signals 1000000] [--offers 50000] [--fresh]

Sets up its own PostgreSQL database (brokerage_bench_insights): migrates it,
then bulk-loads the vocabulary, OFFERS published offers with their themes,
audiences and regions, and SIGNALS demand signals spread over the last 12
months, all with INSERT ... SELECT over generate_series (no Python loop, no
ORM), then VACUUM ANALYZE. A coordinator is signed in through a session row
so wrk requests the real /insights/ page. Measured on the same server in the
same run: the trivial view (baseline), /offers/ (the catalogue), a catalogue
search, and /insights/ for all regions and for one region over 90 days and
12 months. Bounded: each wrk run lasts --seconds; the server stops at the end.
"""

import argparse
import json
import os
import time
from pathlib import Path

from benchmarks.common import ROOT, BenchServer, create_database, fetch, run_manage, table, wrk

DB_NAME = "brokerage_bench_insights"
ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
BROKER_DB = os.environ.get("BENCH_REDIS_BROKER_DB", "12")


def env():
    return {"DATABASE_URL": DB_URL, "REDIS_URL": REDIS_URL, "REDIS_BROKER_DB": BROKER_DB,
            "REDIS_CACHE_DB": str(int(BROKER_DB) + 1), "CELERY_TASK_ALWAYS_EAGER": "false"}


LOAD_SQL = r"""
TRUNCATE brokerage_signal, programmes_offer_themes, programmes_offer_audiences, programmes_offer_regions,
         programmes_historicaloffer RESTART IDENTITY CASCADE;
DELETE FROM programmes_offer;
DELETE FROM programmes_programme;
DELETE FROM programmes_theme; DELETE FROM programmes_audience; DELETE FROM programmes_region;

INSERT INTO programmes_region (name, slug, nation, position)
SELECT 'Region ' || g, 'region-' || g, CASE WHEN g > 7 THEN 'wales' ELSE 'england' END, g
FROM generate_series(1, 11) g;
INSERT INTO programmes_theme (name, slug, description, position)
SELECT 'Theme ' || g, 'theme-' || g, '', g FROM generate_series(1, 13) g;
INSERT INTO programmes_audience (name, slug, position)
SELECT 'Audience ' || g, 'audience-' || g, g FROM generate_series(1, 7) g;
INSERT INTO programmes_programme (official_name, plain_name, acronym, slug, summary, website, is_active)
SELECT 'National programme ' || g, 'Programme ' || g, 'NP' || g, 'programme-' || g, '', '', true
FROM generate_series(1, 40) g;

-- Offers: titles from a small vocabulary so that the catalogue search and the
-- duplicate finder have realistic overlaps.
INSERT INTO programmes_offer (programme_id, title, slug, summary, description, is_national, format, cost,
    funding_note, accredited, accreditation, level, is_rolling, status, published_at, last_reviewed_on,
    created_at, updated_at)
SELECT (SELECT min(id) FROM programmes_programme) + (g % 40),
       (ARRAY['Teaching','Leading','Coaching','Assessing','Planning','Supporting'])[1 + g % 6] || ' ' ||
       (ARRAY['fractions','reading','digital skills','behaviour','wellbeing','ESOL learners','research',
              'curriculum change','apprentices','SEN learners'])[1 + (g / 6) % 10] || ' ' || g,
       'bench-offer-' || g,
       'A practical programme for staff on ' ||
       (ARRAY['maths','English','digital','inclusion','leadership'])[1 + g % 5] || ' with follow-up support.',
       '', g % 10 = 0,
       (ARRAY['course','online','workshop','coaching','resources'])[1 + g % 5],
       (ARRAY['free','funded'])[1 + g % 2], '', g % 7 = 0, '', '', true, 'published',
       now() - (g % 700) * interval '1 hour', current_date, now(), now()
FROM generate_series(1, {offers}) g;

-- The English columns pages and the duplicate finder read (programmes 0012); no Welsh.
UPDATE programmes_region SET name_en_gb = name;
UPDATE programmes_theme SET name_en_gb = name, description_en_gb = description;
UPDATE programmes_audience SET name_en_gb = name;
UPDATE programmes_programme SET plain_name_en_gb = plain_name, official_name_en_gb = official_name,
    summary_en_gb = summary;
UPDATE programmes_offer SET title_en_gb = title, summary_en_gb = summary, description_en_gb = description;

INSERT INTO programmes_offer_themes (offer_id, theme_id)
SELECT o.id, t.id FROM programmes_offer o
JOIN programmes_theme t ON t.position = 1 + (o.id % 13) OR (o.id % 3 = 0 AND t.position = 1 + ((o.id / 3) % 13))
ON CONFLICT DO NOTHING;
INSERT INTO programmes_offer_audiences (offer_id, audience_id)
SELECT o.id, a.id FROM programmes_offer o
JOIN programmes_audience a ON a.position = 1 + (o.id % 7) OR (o.id % 2 = 0 AND a.position = 1 + ((o.id / 2) % 7))
ON CONFLICT DO NOTHING;
INSERT INTO programmes_offer_regions (offer_id, region_id)
SELECT o.id, r.id FROM programmes_offer o
JOIN programmes_region r ON r.position = 1 + (o.id % 11) OR (o.id % 4 = 0 AND r.position = 1 + ((o.id / 4) % 11))
WHERE NOT o.is_national
ON CONFLICT DO NOTHING;

-- Signals: a year of demand, 80% with a region, most with a theme, half with an audience.
INSERT INTO brokerage_signal (kind, created_at, is_primary, region_id, theme_id, audience_id, offer_id,
    bulletin_id, words, result_count)
SELECT k.kind,
       now() - (random() * 365) * interval '1 day',
       true,
       CASE WHEN random() < 0.8 THEN (SELECT min(id) FROM programmes_region) + floor(random() * 11)::int END,
       CASE WHEN random() < 0.9 THEN (SELECT min(id) FROM programmes_theme) + floor(random() * 13)::int END,
       CASE WHEN random() < 0.5 THEN (SELECT min(id) FROM programmes_audience) + floor(random() * 7)::int END,
       NULL, NULL,
       CASE WHEN k.kind = 'search' THEN (ARRAY['fractions','esol','dyscalculia','t levels','mentoring',
            'welsh medium','wellbeing','digital','bsl','autism'])[1 + floor(random() * 10)::int] ELSE '' END,
       CASE WHEN k.kind IN ('search', 'filter') THEN floor(random() * 8)::int END
FROM generate_series(1, {signals}) g
CROSS JOIN LATERAL (
    SELECT (ARRAY['search','search','search','filter','filter','offer_view','offer_view','offer_view',
                  'offer_view','enquiry','plan_add','booking','bulletin_click'])[1 + floor(random() * 13 + g * 0)::int] AS kind
) k;
"""

SESSION_SETUP = r'''
import json
from django.conf import settings
from django.contrib.auth import get_user_model, HASH_SESSION_KEY, SESSION_KEY, BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from brokerage.roles import coordinators_group_sync
User = get_user_model()
user, _ = User.objects.get_or_create(username="bench-coordinator", defaults={"email": "c@bench.example", "is_staff": True})
user.is_staff = True
user.set_unusable_password()
user.save()
user.groups.add(coordinators_group_sync())
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(json.dumps({"session": session.session_key}))
'''


def load(signals, offers):
    import psycopg2

    connection = psycopg2.connect(DB_URL)
    connection.autocommit = True
    started = time.monotonic()
    with connection.cursor() as cursor:
        # Building the signal indexes once after the load is much faster than
        # maintaining them row by row: drop them, load, create them again.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'brokerage_signal' "
            "AND indexdef NOT LIKE '%UNIQUE%'"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(LOAD_SQL.replace("{offers}", str(int(offers))).replace("{signals}", str(int(signals))))
        for _, definition in indexes:
            cursor.execute(definition)
        loaded = time.monotonic() - started
        cursor.execute("VACUUM ANALYZE")
    connection.close()
    return loaded, time.monotonic() - started - loaded


def counts():
    import psycopg2

    connection = psycopg2.connect(DB_URL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM brokerage_signal), (SELECT count(*) FROM programmes_offer "
                       "WHERE status = 'published'), (SELECT slug FROM programmes_region ORDER BY position LIMIT 1)")
        result = cursor.fetchone()
    connection.close()
    return result


def cookie_script(session_key):
    script = ROOT / "benchmarks" / f".insights-cookie-{os.getpid()}.lua"
    script.write_text(f'wrk.headers["Cookie"] = "sessionid={session_key}"\n')
    return script


def timed_get(url, session_key=None):
    """One GET; its wall-clock time in milliseconds."""
    import urllib.request

    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session_key}"} if session_key else {})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
    return (time.perf_counter() - started) * 1000


def cold_ms(url, session_key=None, repeat=3):
    """Median time of one request with the cache emptied first (the figures are computed afresh)."""
    import statistics

    import redis

    cache = redis.Redis.from_url(f"{REDIS_URL.rstrip('/')}/{int(BROKER_DB) + 1}")
    times = []
    for _ in range(repeat):
        cache.flushdb()
        times.append(timed_get(url, session_key))
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--offers", type=int, default=50_000)
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the database first")
    args = parser.parse_args()

    create_database(ADMIN_URL, DB_NAME, drop=args.fresh)
    run_manage(["migrate", "--no-input", "-v0"], env=env())
    have_signals, have_offers, _ = counts()
    # (The catalogue search in the run below records a signal per request, so a
    # few more than --signals is the loaded data plus that.)
    if args.fresh or not args.signals <= have_signals < args.signals * 1.01 or have_offers != args.offers:
        print(f"Loading: the database holds {have_signals:,} signals and {have_offers:,} published offers")
        loaded, analysed = load(args.signals, args.offers)
        print(f"Bulk load: {args.offers:,} offers and {args.signals:,} signals in {loaded:.1f} s "
              f"(VACUUM ANALYZE {analysed:.1f} s)")
    signals, offers, region = counts()
    print(f"Database {DB_NAME}: {signals:,} signals, {offers:,} published offers")
    session_key = json.loads(run_manage(["shell", "-c", SESSION_SETUP], env=env()).stdout.strip().splitlines()[-1])[
        "session"
    ]
    script = cookie_script(session_key)
    today = time.strftime("%Y-%m-%d")
    year_ago = time.strftime("%Y-%m-%d", time.localtime(time.time() - 364 * 86400))
    pages = [
        ("trivial view (baseline)", "/bench/trivial", None),
        ("/offers/ (catalogue, unfiltered)", "/offers/", None),
        ("/offers/?q=fractions (catalogue search)", "/offers/?q=fractions", None),
        ("/offers/ signed in as the coordinator", "/offers/", script),
        ("/insights/ all regions, 90 days", "/insights/", script),
        (f"/insights/ one region, 90 days", f"/insights/?region={region}", script),
        ("/insights/ all regions, 12 months", f"/insights/?start={year_ago}&end={today}", script),
        ("/insights/ one region, 12 months", f"/insights/?region={region}&start={year_ago}&end={today}", script),
    ]
    rows = []
    try:
        with BenchServer(env=env()) as server:
            for label, path, lua in pages:
                if lua is None:
                    status, _ = fetch(server.url(path))
                else:
                    status = 200
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
                result = wrk(server.url(path), seconds=args.seconds, connections=args.connections,
                             script=str(lua) if lua else None)
                if result.non_2xx or result.errors:
                    raise RuntimeError(f"{path}: {result.non_2xx} non-2xx answers, {result.errors} socket errors")
                cold = cold_ms(server.url(path), session_key if lua else None) if path != "/bench/trivial" else None
                rows.append((label, result, cold))
    finally:
        script.unlink(missing_ok=True)
    baseline, catalogue, catalogue_cold = rows[0][1], rows[1][1], rows[1][2]
    print(table(
        [[label, f"{r.rps:.1f}", f"{r.latency_avg_ms:.1f}", f"{r.ratio(baseline):.3f}",
          f"{r.latency_avg_ms / catalogue.latency_avg_ms:.2f}",
          "" if cold is None else f"{cold:.0f}", "" if cold is None else f"{cold / catalogue_cold:.2f}"]
         for label, r, cold in rows],
        ["page", "requests/s", "mean latency ms", "rate / trivial", "time / catalogue page",
         "cold ms (cache emptied)", "cold / catalogue cold"],
    ))


if __name__ == "__main__":
    main()
