"""`make run` runs everything: the web server, a Celery worker and beat, no Redis.

Starts scripts/run.sh as `make run` does, on a temporary SQLite file and a free
port, email written to files. A booking made from the web side (`manage.py
shell`) is confirmed by an email the worker sends; beat, its intervals
shortened by BEAT_INTERVAL_SECONDS, runs the day-before reminders, and the
reminder email arrives. SIGTERM to the script stops all three processes.

The processes share a clock moved to the suite's stated moment (Debian's
faketime, as `make test-clock` uses), so the slot "tomorrow" is built from that
moment, never from the real date.
"""

import email
import email.policy
import glob
import json
import os
import signal
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests_support.clock import TEST_NOW
from tests_support.waiting import free_port, wait_for

pytestmark = pytest.mark.embedded

BASE_DIR = Path(settings.BASE_DIR)
LIBFAKETIME = next(iter(sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))), None)
# The web side: a provider contact books the 10:30 slot of a surgery held tomorrow.
BOOK_A_SLOT_TOMORROW = textwrap.dedent(
    """
    import datetime as dt
    from django.utils import timezone
    from events.booking import booking_create
    from events.models import Slot
    from tests_support import factories

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    opens = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(9, 30)))
    event = factories.JointEventFactory(
        starts_at=opens, ends_at=opens + dt.timedelta(hours=6),
        booking_opens_at=timezone.now() - dt.timedelta(days=7), booking_closes_at=opens,
    )
    surgery = factories.SurgeryFactory(event=event, title="Leadership surgery")
    slot = factories.SlotFactory(surgery=surgery, starts_at=opens + dt.timedelta(hours=1))
    user = factories.UserFactory(
        username="rhian@college.example", email="rhian@college.example", email_language="en-gb"
    )
    factories.ProviderContactFactory(user=user)
    booking_create(user=user, slot_id=slot.pk)
    """
)




def healthz(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return json.loads(response.read())
    except OSError:
        return None


def sent_emails(folder):
    """(recipients, subject) of each message the file-based backend wrote (one file per connection)."""
    messages = []
    for path in sorted(Path(folder).glob("*.log")):
        for chunk in path.read_text(errors="replace").split("-" * 79 + "\n"):
            if chunk.strip():
                message = email.message_from_string(chunk, policy=email.policy.default)
                messages.append((message["To"], message["Subject"]))
    return messages


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def embedded_env(tmp_path):
    """`make run`'s environment on a temporary SQLite file, with the clock at the stated moment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BROKERAGE_", "CELERY_", "DJANGO_", "FAKETIME", "LD_PRELOAD"))
    }
    env.update(
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL="",
        EMBEDDED_BROKER="true",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        BEAT_INTERVAL_SECONDS="3",
        PYTHON=sys.executable,
        PORT=str(free_port()),
        # Each process starts at the stated moment and ticks on. TEST_NOW is in
        # November, when London keeps GMT, so the moment is the same read as
        # UTC or as London time (Django sets TZ to the latter).
        LD_PRELOAD=LIBFAKETIME or "",
        FAKETIME=TEST_NOW.strftime("@%Y-%m-%d %H:%M:%S"),
        TZ="UTC",
    )
    return env


@pytest.mark.skipif(LIBFAKETIME is None, reason="libfaketime is missing: apt-get install faketime")
def test_make_run_worker_sends_booking_email_and_beat_sends_reminder(embedded_env, tmp_path):
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=BASE_DIR, env=embedded_env, check=True, capture_output=True, timeout=180,
    )
    log_path = tmp_path / "run.log"
    port = int(embedded_env["PORT"])
    with open(log_path, "wb") as log:
        script = subprocess.Popen(
            ["scripts/run.sh"], cwd=BASE_DIR, env=embedded_env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def run_log():
        return log_path.read_text(errors="replace")[-6000:]

    groups = []
    try:
        wait_for(lambda: "(pids " in run_log(), 60, "run.sh to start its processes", every=0.2, diagnostics=run_log)
        groups = [int(pid) for pid in run_log().split("(pids ", 1)[1].split(")", 1)[0].split()]
        wait_for(lambda: healthz(port) is not None, 90, "the web server to answer", every=0.2, diagnostics=run_log)

        # Act (web side): book tomorrow's slot; the confirmation is enqueued when it commits.
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", BOOK_A_SLOT_TOMORROW],
            cwd=BASE_DIR, env=embedded_env, check=True, capture_output=True, timeout=120,
        )

        def subjects_to_rhian():
            return sorted(
                subject for to, subject in sent_emails(tmp_path / "mail") if to == "rhian@college.example"
            )

        wait_for(
            lambda: any(subject.startswith("Tomorrow:") for subject in subjects_to_rhian()),
            90, "beat's reminder run to send the reminder", every=0.2, diagnostics=run_log,
        )
        health = healthz(port)
        script.send_signal(signal.SIGTERM)
        returncode = script.wait(timeout=60)

        # Assert: the worker sent the confirmation, beat's reminder run sent the reminder.
        assert subjects_to_rhian() == [
            "Booked: Leadership surgery, 19 November at 10:30",
            "Tomorrow: Leadership surgery at 10:30",
        ]
        assert health["status"] == "ok"
        assert returncode == 143  # stopped by the signal, not by one of its processes failing
        assert [pgid for pgid in groups if group_alive(pgid)] == []
    finally:
        if script.poll() is None:
            script.send_signal(signal.SIGTERM)
            try:
                script.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(script.pid, signal.SIGKILL)
        for pgid in groups:
            if group_alive(pgid):
                os.killpg(pgid, signal.SIGKILL)
