"""Joint bulletin: 20,000 subscribers through a real Celery worker (2 processes) into SMTP.

Compares the portal's send rate (fan-out task, per-batch tasks claiming rows,
personalised rendering, one SMTP connection per batch, a row marked sent per
message) with a plain loop that sends the same pre-rendered messages with
smtplib on one connection, both into the same local aiosmtpd server running
in its own process. Target: at least half the plain loop's rate.

    .venv/bin/python -m benchmarks.bulletin [--subscribers 20000]

Needs PostgreSQL and Redis on 127.0.0.1. Uses its own database
(brokerage_bench_bulletin, recreated) and Redis database 12 (flushed).
"""

import argparse
import os
import random
import signal
import smtplib
import subprocess
import sys
import time

from benchmarks.common import PYTHON, ROOT, bench_env, create_database, free_port, run_manage, table

PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = "brokerage_bench_bulletin"
DB_URL = PG_ADMIN.rsplit("/", 1)[0] + "/" + DB_NAME
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
BROKER_DB = os.environ.get("BENCH_BROKER_DB", "12")


def sink_main(port):
    """The SMTP server: accepts and counts, in its own process."""
    import asyncio

    from aiosmtpd.controller import Controller

    class Counting:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            Counting.count += 1
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    controller.stop()
    del asyncio


def start_sink():
    port = free_port()
    proc = subprocess.Popen([PYTHON, "-m", "benchmarks.bulletin", "--sink", str(port)], cwd=ROOT,
                            start_new_session=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            smtplib.SMTP("127.0.0.1", port, timeout=2).quit()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("SMTP sink did not start")


def stop(proc, sig=signal.SIGTERM):
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=20000)
    parser.add_argument("--sink", type=int)
    args = parser.parse_args()
    if args.sink:
        return sink_main(args.sink)

    env = {"DATABASE_URL": DB_URL, "REDIS_URL": REDIS, "REDIS_BROKER_DB": BROKER_DB, "CELERY_TASK_ALWAYS_EAGER": "false"}
    create_database(PG_ADMIN, DB_NAME, drop=True)
    t = time.monotonic()
    run_manage(["migrate", "--no-input"], env=env)
    run_manage(["load_demo"], env=env)
    print(f"database ready in {time.monotonic() - t:.0f}s")

    os.environ.update(bench_env(env))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brokerage.settings")
    import django

    django.setup()
    import redis
    from django.utils import timezone

    from brokerage.bulletins import services
    from brokerage.bulletins.content import BulletinRenderer
    from brokerage.bulletins.emails import bulletin_message
    from brokerage.celery import app
    from brokerage.models import Bulletin, Delivery, Subscriber
    from programmes.models import Region, Theme

    rng = random.Random(6)
    themes, regions = list(Theme.objects.all()), list(Region.objects.all())
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"reader{n:06d}@bench.example", name=f"Reader {n}", confirmed_at=now)
         for n in range(args.subscribers)], batch_size=2000,
    )
    through_t, through_r = Subscriber.themes.through, Subscriber.regions.through
    through_t.objects.bulk_create(
        [through_t(subscriber_id=s.pk, theme_id=t.pk) for s in subscribers
         for t in rng.sample(themes, rng.choice([0, 1, 2, 2, 3]))], batch_size=5000)
    through_r.objects.bulk_create(
        [through_r(subscriber_id=s.pk, region_id=rng.choice(regions).pk) for s in subscribers], batch_size=5000)
    today = timezone.localdate()
    bulletin = Bulletin.objects.create(title="Benchmark bulletin", slug="benchmark-bulletin",
                                       period_start=today - timezone.timedelta(days=365), period_end=today,
                                       introduction="Benchmark.", send_empty=True)
    found = services.bulletin_compose_draft(bulletin=bulletin)
    active = Subscriber.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True,
                                       paused_at__isnull=True).count()
    print(f"bulletin items: {found}; active subscribers: {active}")

    sink, port = start_sink()
    worker = None
    try:
        redis.Redis.from_url(app.conf.broker_url).flushdb()
        worker_env = bench_env({**env, "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "LOG_LEVEL": "WARNING"})
        worker = subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "brokerage", "worker", "--concurrency=2", "--pool=prefork",
             "-n", "bench-bulletin@%h", "--loglevel=WARNING", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=worker_env, start_new_session=True)
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if time.monotonic() > deadline or worker.poll() is not None:
                raise RuntimeError("the Celery worker did not start")

        remaining = Delivery.objects.filter(bulletin=bulletin, status__in=["pending", "sending"])
        started = time.monotonic()
        app.send_task("bulletins.send", args=[bulletin.pk])
        deadline = started + 900
        while not Delivery.objects.filter(bulletin=bulletin).exists() or remaining.exists():
            if time.monotonic() > deadline:
                raise RuntimeError("sending did not finish within 15 minutes")
            time.sleep(0.1)
        celery_seconds = time.monotonic() - started
        stop(worker)
        worker = None
        counts = dict((s, Delivery.objects.filter(bulletin=bulletin, status=s).count())
                      for s in ["sent", "skipped", "failed"])
        sent = counts["sent"]

        # The same messages, pre-rendered, through plain smtplib on one connection.
        renderer = BulletinRenderer(Bulletin.objects.get(pk=bulletin.pk))
        prepared = []
        for sub in Subscriber.objects.filter(deliveries__bulletin=bulletin, deliveries__status="sent") \
                .prefetch_related("themes", "regions"):
            subject, text, html = renderer.render_for(
                name=sub.name, token=sub.token, theme_ids=frozenset(t.pk for t in sub.themes.all()),
                region_ids=frozenset(r.pk for r in sub.regions.all()))
            message = bulletin_message(subject=subject, text=text, html=html, to=sub.email, token=sub.token)
            prepared.append((sub.email, message.message().as_bytes(linesep="\r\n")))
        smtp = smtplib.SMTP("127.0.0.1", port)
        started = time.monotonic()
        for to, data in prepared:
            smtp.sendmail("hello@cpd-brokerage.example", [to], data)
        plain_seconds = time.monotonic() - started
        smtp.quit()
    finally:
        if worker is not None:
            stop(worker)
        stop(sink)

    celery_rate, plain_rate = sent / celery_seconds, len(prepared) / plain_seconds
    print(table(
        [["portal: Celery, 2 worker processes", sent, f"{celery_seconds:.1f}", f"{celery_rate:.0f}", f"{celery_rate / plain_rate:.2f}"],
         ["plain smtplib loop, pre-rendered, 1 connection", len(prepared), f"{plain_seconds:.1f}", f"{plain_rate:.0f}", "1.00"]],
        ["sender", "messages", "seconds", "messages/s", "ratio to plain loop"]))
    print(f"delivery states: {counts}; average message size {sum(len(d) for _, d in prepared) // max(len(prepared), 1)} bytes")


if __name__ == "__main__":
    sys.exit(main())
