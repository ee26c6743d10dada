"""The embedded broker's settings (`make run`), read in a fresh process per environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "broker_url": settings.CELERY_BROKER_URL,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "transport": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    "beat_file": getattr(settings, "CELERY_BEAT_SCHEDULE_FILENAME", None),
    "db_options": settings.DATABASES["default"].get("OPTIONS", {}),
    "schedules": {name: str(entry["schedule"]) for name, entry in settings.CELERY_BEAT_SCHEDULE.items()},
}))
"""


def read_settings(**extra):
    env = {
        "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "brokerage.settings", "BROKERAGE_TESTING": "true", **extra,
    }
    return subprocess.run(
        [sys.executable, "-c", READ_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_settings_no_environment_runs_tasks_in_process():
    result = read_settings()

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["broker_url"] == ""
    assert values["eager"] is True
    assert values["beat_file"] is None


def test_settings_embedded_broker_keeps_its_files_beside_the_sqlite_file(tmp_path):
    result = read_settings(EMBEDDED_BROKER="true", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    broker = tmp_path / ".run" / "broker"
    assert values["broker_url"] == "filesystem://"
    assert values["eager"] is False
    assert values["transport"] == {
        "data_folder_in": str(broker / "queue"),
        "data_folder_out": str(broker / "queue"),
        "store_processed": True,
        "processed_folder": str(broker / "processed"),
        "control_folder": str(broker / "control"),
    }
    assert sorted(path.name for path in broker.iterdir()) == ["control", "processed", "queue"]
    assert values["beat_file"] == str(tmp_path / ".run" / "celerybeat-schedule")
    assert values["db_options"]["transaction_mode"] == "IMMEDIATE"


def test_settings_filesystem_broker_url_turns_the_embedded_broker_on(tmp_path):
    result = read_settings(CELERY_BROKER_URL="filesystem://", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["transport"]["data_folder_in"] == str(tmp_path / ".run" / "broker" / "queue")
    assert values["eager"] is False


def test_settings_embedded_broker_with_redis_refuses_to_start(tmp_path):
    result = read_settings(
        EMBEDDED_BROKER="true", REDIS_URL="redis://127.0.0.1:6379", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )

    assert result.returncode != 0
    assert "EMBEDDED_BROKER runs without Redis: unset REDIS_URL or EMBEDDED_BROKER." in result.stderr
    assert not (tmp_path / ".run").exists()


def test_settings_beat_interval_seconds_shortens_interval_entries_only():
    default = json.loads(read_settings().stdout)["schedules"]
    result = read_settings(BEAT_INTERVAL_SECONDS="3")

    assert result.returncode == 0, result.stderr
    shortened = json.loads(result.stdout)["schedules"]
    assert default["events-booking-reminders"] == "900.0"
    assert shortened["events-booking-reminders"] == "3.0"
    assert shortened["bulletins-send-due"] == "3.0"
    # The weekly and daily crontab entries keep their times.
    assert shortened["offer-review-reminders"] == default["offer-review-reminders"]
    assert shortened["insights-weekly-digest"] == default["insights-weekly-digest"]
