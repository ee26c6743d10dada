"""In production on PostgreSQL, demand signals are committed without waiting for the disk, on a connection
of their own; every other write still waits (settings.INSIGHTS_DATABASE)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from brokerage.insights.models import Signal

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]

RECORD_AND_SHOW = """
import contextlib
import json

import django

django.setup()
from django.conf import settings
from django.db import connections

from brokerage.insights.services import record_signal

written_on = []


def watch(alias):
    def wrapper(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "brokerage_signal"'):
            written_on.append(alias)
        return execute(sql, params, many, context)

    return connections[alias].execute_wrapper(wrapper)


with contextlib.ExitStack() as stack:
    for alias in settings.DATABASES:
        stack.enter_context(watch(alias))
    record_signal(kind="search", words="committed without waiting")
    record_signal(kind="filter", themes=[101, 102])  # two rows in one statement


def synchronous_commit(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


print(json.dumps({
    "database": settings.INSIGHTS_DATABASE,
    "aliases": sorted(settings.DATABASES),
    "written_on": written_on,
    "signals": synchronous_commit(settings.INSIGHTS_DATABASE),
    "default": synchronous_commit("default"),
}))
"""


def run_production_process(**extra):
    """A process with the production settings (DEBUG and testing off) on this test's database."""
    db = connection.settings_dict
    env = {
        "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "DJANGO_SETTINGS_MODULE": "brokerage.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}", **extra,
    }
    result = subprocess.run(
        [sys.executable, "-c", RECORD_AND_SHOW], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_signals_are_committed_on_their_own_connection_without_waiting_for_the_disk():
    shown = run_production_process()

    assert shown == {
        "database": "insights", "aliases": ["default", "insights"], "written_on": ["insights", "insights"],
        "signals": "off", "default": "on",
    }
    # Committed: this test's own connection reads them.
    assert Signal.objects.filter(words="committed without waiting").count() == 1
    assert sorted(Signal.objects.filter(kind="filter").values_list("theme_id", flat=True)) == [101, 102]


def test_an_operator_can_have_signals_wait_for_the_disk_like_everything_else():
    shown = run_production_process(INSIGHTS_ASYNC_COMMIT="false")

    assert shown == {
        "database": "default", "aliases": ["default"], "written_on": ["default", "default"], "signals": "on", "default": "on",
    }
    assert Signal.objects.filter(words="committed without waiting").count() == 1
