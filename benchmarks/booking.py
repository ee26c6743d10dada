"""Bookings per second: the booking page on one gunicorn server with PostgreSQL.

    .venv/bin/python -m benchmarks.booking [--seconds 5] [--connections 8]

Sets up its own database (brokerage_bench_events): a published fair with
SLOTS single-place slots and as many provider contacts, each signed in (a
session row) and each assigned one slot, so every request is a real booking
through the real view (login, CSRF, row locks, constraints, the outbox row,
the Celery enqueue to Redis on commit). wrk cycles through the pairs; the
confirmed bookings counted in the database afterwards give the rate.
A second run sends every client at the same ten slots (contention: nearly
all answers are "just taken"), and the trivial POST view is the baseline.
Bounded: each wrk run lasts --seconds; the server stops at the end.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.common import PYTHON, ROOT, BenchServer, bench_env, create_database, run_manage, table, wrk, wrk_post

DB_NAME = "brokerage_bench_events"
ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
BROKER_DB = os.environ.get("BENCH_REDIS_BROKER_DB", "10")
CSRF_SECRET = "benchcsrfsecret0123456789abcdefg"  # 32 characters: Django accepts the unmasked secret
SLOTS = 4000
CONTENDED = 10


def env():
    return {"DATABASE_URL": DB_URL, "REDIS_URL": REDIS_URL, "REDIS_BROKER_DB": BROKER_DB,
            "REDIS_CACHE_DB": str(int(BROKER_DB) + 1), "CELERY_TASK_ALWAYS_EAGER": "false"}


SETUP = r'''
import datetime as dt, json
from django.conf import settings
from django.contrib.auth import get_user_model, HASH_SESSION_KEY, SESSION_KEY, BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from events.models import Booking, JointEvent, Slot, Surgery
from programmes.models import OutboxEmail
from programmes.models import Region
from providers.models import ProviderContact, ProviderOrganisation

SLOTS, CONTENDED = {slots}, {contended}
User = get_user_model()
Booking.objects.all().delete(); OutboxEmail.objects.all().delete()
JointEvent.objects.filter(slug="bench-fair").delete()
User.objects.filter(username__startswith="bench").delete()
region, _ = Region.objects.get_or_create(slug="bench", defaults={{"name": "Bench region"}})
start = (timezone.now() + dt.timedelta(days=30)).replace(hour=0, minute=0, second=0, microsecond=0)
event = JointEvent.objects.create(title="Bench fair", slug="bench-fair", status="published", summary="x",
    venue="x", starts_at=start, ends_at=start + dt.timedelta(hours=23), max_surgeries_per_person=3,
    booking_opens_at=timezone.now() - dt.timedelta(days=1))
per_surgery = 60
surgeries = Surgery.objects.bulk_create([Surgery(event=event, title=f"S{{n}}") for n in range((SLOTS + CONTENDED) // per_surgery + 1)])
slots = []
for index in range(SLOTS + CONTENDED):
    surgery, position = surgeries[index // per_surgery], index % per_surgery
    s = start + dt.timedelta(minutes=20 * position)
    slots.append(Slot(surgery=surgery, starts_at=s, ends_at=s + dt.timedelta(minutes=20), capacity=1))
slots = Slot.objects.bulk_create(slots)
org, _ = ProviderOrganisation.objects.get_or_create(slug="bench-college", defaults=dict(name="Bench college", kind="fe_college", region=region))
users = User.objects.bulk_create([User(username=f"bench{{n}}@x.example", email=f"bench{{n}}@x.example", password="!") for n in range(SLOTS)])
ProviderContact.objects.bulk_create([ProviderContact(user=u, organisation=org) for u in users])
pairs = []
for index, user in enumerate(users):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    pairs.append([session.session_key, slots[index].pk])
contended = [s.pk for s in slots[SLOTS:]]
print(json.dumps({{"pairs": pairs, "contended": contended}}))
'''

LUA = r'''
local pairs_ = {pairs}
local contended = {contended}
local mode = "{mode}"
local counter = 0
local threads_total = {threads}
local thread_id = 0
local n = 0
function setup(thread)
  thread:set("id", n)
  n = n + 1
end
function init(args)
  thread_id = id
end
request = function()
  local index = thread_id + counter * threads_total + 1
  counter = counter + 1
  local pair = pairs_[((index - 1) % #pairs_) + 1]
  local slot = pair[2]
  if mode == "contended" then slot = contended[((index - 1) % #contended) + 1] end
  local headers = {{}}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Cookie"] = "sessionid=" .. pair[1] .. "; csrftoken={csrf}"
  headers["Referer"] = "http://127.0.0.1/"
  return wrk.format("POST", "/events/bench-fair/book/" .. slot .. "/", headers,
                    "csrfmiddlewaretoken={csrf}&questions=benchmark")
end
'''


def lua_table(rows):
    return "{" + ",".join("{" + f'"{key}",{slot}' + "}" for key, slot in rows) + "}"


def count_confirmed():
    code = "from events.models import Booking; print(Booking.objects.filter(status='confirmed').count())"
    done = subprocess.run([PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=bench_env(env()),
                          capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()

    create_database(ADMIN_URL, DB_NAME)
    run_manage(["migrate", "--no-input"], env=env())
    done = subprocess.run([PYTHON, "manage.py", "shell", "-c", SETUP.format(slots=SLOTS, contended=CONTENDED)],
                          cwd=ROOT, env=bench_env(env()), capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"setting up the benchmark data failed:\n{done.stderr[-3000:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    threads = 2
    scripts = {}
    for mode in ["fresh", "contended"]:
        path = ROOT / "benchmarks" / f".booking-{mode}-{os.getpid()}.lua"
        path.write_text(LUA.format(pairs=lua_table(data["pairs"]), contended="{" + ",".join(map(str, data["contended"])) + "}",
                                   mode=mode, threads=threads, csrf=CSRF_SECRET))
        scripts[mode] = path
    try:
        with BenchServer(env=env()) as server:
            trivial = wrk_post(server.url("/bench/trivial-post"), body="a=1", seconds=args.seconds,
                               connections=args.connections)
            before = count_confirmed()
            fresh = wrk(server.url("/"), seconds=args.seconds, connections=args.connections, threads=threads,
                        script=str(scripts["fresh"]), warmup=0)
            booked = count_confirmed() - before
            contended = wrk(server.url("/"), seconds=args.seconds, connections=args.connections, threads=threads,
                            script=str(scripts["contended"]), warmup=0)
            contended_booked = count_confirmed() - before - booked
    finally:
        for path in scripts.values():
            path.unlink(missing_ok=True)
        # Our own broker database only: the enqueued email tasks have no worker here.
        subprocess.run(["redis-cli", "-n", BROKER_DB, "FLUSHDB"], capture_output=True)
    if fresh.requests > SLOTS:
        print(f"warning: {fresh.requests} requests for {SLOTS} pairs; later ones were refusals", file=sys.stderr)
    bookings_per_s = booked / args.seconds
    rows = [
        ["trivial POST (baseline)", f"{trivial.rps:.0f}", f"{trivial.latency_avg_ms:.1f}", trivial.non_2xx + trivial.errors, "1.00", "-"],
        ["booking, every request a free slot", f"{fresh.rps:.0f}", f"{fresh.latency_avg_ms:.1f}", fresh.non_2xx + fresh.errors,
         f"{fresh.ratio(trivial):.2f}", f"{booked} confirmed = {bookings_per_s:.0f}/s"],
        [f"booking, all clients on {CONTENDED} slots", f"{contended.rps:.0f}", f"{contended.latency_avg_ms:.1f}",
         f"{contended.non_2xx + contended.errors} (409 'just taken')", f"{contended.ratio(trivial):.2f}",
         f"{contended_booked} confirmed"],
    ]
    print(f"gunicorn 2 workers, PostgreSQL, Redis broker; wrk {threads} threads, {args.connections} connections, "
          f"{args.seconds} s per run")
    print(table(rows, ["scenario", "requests/s", "avg latency ms", "non-2xx/3xx", "ratio to trivial", "bookings"]))


if __name__ == "__main__":
    main()
