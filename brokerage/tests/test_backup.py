"""`manage.py backup` and `manage.py restore`: one archive of the database and MEDIA_ROOT."""

import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from brokerage.backups import archive_manifest, backup_create
from events.models import Booking
from programmes.models import Offer
from tests_support import factories
from tests_support.clock import TEST_NOW

ROOT = Path(__file__).resolve().parents[2]


def _database_url(name):
    db = connection.settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{name}"


def _connect(dbname):
    """A psycopg2 connection to dbname on the test database's server."""
    db = connection.settings_dict
    return psycopg2.connect(dbname=dbname, user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"])


def _manage(*args, database_url):
    """Run manage.py in its own process, as an operator would, against database_url."""
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": "", "BROKERAGE_TESTING": "true"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _archive_with_manifest(path, manifest):
    data = json.dumps(manifest).encode()
    with tarfile.open(path, "w") as archive:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return path


def _make_booked_offer():
    offer = factories.OfferFactory(title="Fractions coaching for FE lecturers", slug="fractions-coaching")
    person = factories.UserFactory(username="backup.person@college.example")
    booking = factories.BookingFactory(user=person, questions="Can we bring two colleagues?")
    return offer, person, booking


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_restore_into_an_empty_database_brings_back_the_data(tmp_path):
    offer, person, booking = _make_booked_offer()
    call_command("backup", "--output", str(tmp_path), stdout=io.StringIO())
    (archive,) = tmp_path.glob("brokerage-*.tar")
    applied = list(MigrationRecorder.Migration.objects.order_by("app", "name").values_list("app", "name"))
    target = f"brokerage_restore_{secrets.token_hex(6)}"
    server = _connect("postgres")  # the maintenance database, in autocommit for CREATE/DROP DATABASE
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{target}"')

        result = _manage("restore", "--input", str(archive), "--no-input", database_url=_database_url(target))

        assert result.returncode == 0, result.stderr
        restored = _connect(target)
        try:
            with restored.cursor() as cursor:
                cursor.execute("SELECT title FROM programmes_offer WHERE id = %s", [offer.pk])
                assert cursor.fetchall() == [("Fractions coaching for FE lecturers",)]
                cursor.execute("SELECT username FROM auth_user WHERE id = %s", [person.pk])
                assert cursor.fetchall() == [("backup.person@college.example",)]
                cursor.execute(
                    "SELECT user_id, slot_id, status, questions FROM events_booking WHERE id = %s", [booking.pk]
                )
                assert cursor.fetchall() == [(person.pk, booking.slot_id, "confirmed", "Can we bring two colleagues?")]
                # The migrations' record came too: the restored database is ready to serve.
                cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
                assert cursor.fetchall() == applied
        finally:
            restored.close()
    finally:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        server.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_restore_over_changed_data_puts_back_the_backed_up_rows(tmp_path):
    offer, _, _ = _make_booked_offer()
    call_command("backup", "--output", str(tmp_path), stdout=io.StringIO())
    (archive,) = tmp_path.glob("brokerage-*.tar")
    Offer.objects.filter(pk=offer.pk).update(title="Changed after the backup")
    factories.OfferFactory(title="Made after the backup")

    call_command("restore", "--input", str(archive), "--no-input", stdout=io.StringIO())

    assert list(Offer.objects.values_list("title", flat=True)) == ["Fractions coaching for FE lecturers"]


@pytest.mark.skipif(settings.IS_POSTGRES, reason="the SQLite round trip (PostgreSQL has its own tests above)")
@pytest.mark.django_db(transaction=True)
def test_backup_restore_on_sqlite_puts_back_the_backed_up_rows(tmp_path):
    offer, person, booking = _make_booked_offer()
    call_command("backup", "--output", str(tmp_path), stdout=io.StringIO())
    (archive,) = tmp_path.glob("brokerage-*.tar")
    Offer.objects.filter(pk=offer.pk).update(title="Changed after the backup")
    Booking.objects.filter(pk=booking.pk).delete()

    call_command("restore", "--input", str(archive), "--no-input", stdout=io.StringIO())

    assert list(Offer.objects.values_list("title", flat=True)) == ["Fractions coaching for FE lecturers"]
    assert list(person.bookings.values_list("pk", flat=True)) == [booking.pk]


@pytest.mark.django_db
def test_backup_archive_is_named_by_its_utc_time_and_readable_by_its_owner_only(tmp_path):
    path = backup_create(output_dir=tmp_path / "nightly", now=TEST_NOW)

    assert path == tmp_path / "nightly" / "brokerage-20261118T100000Z.tar"
    assert path.stat().st_mode & 0o777 == 0o600
    assert archive_manifest(path) == {
        "format": 1,
        "engine": connection.vendor,
        "database": str(connection.settings_dict["NAME"]),
        "created_at": "2026-11-18T10:00:00+00:00",
        "media": False,
    }
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no partial file left behind


@pytest.mark.django_db
def test_backup_includes_media_root_and_restore_writes_it_back(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "plans").mkdir(parents=True)
    (tmp_path / "media" / "plans" / "exeter.pdf").write_bytes(b"%PDF-1.4 plan")
    path = backup_create(output_dir=tmp_path / "backups", now=TEST_NOW)
    with tarfile.open(path) as archive:
        names = sorted(archive.getnames())
    (tmp_path / "media" / "plans" / "exeter.pdf").unlink()
    settings.MEDIA_ROOT = str(tmp_path / "restored-media")

    call_command("restore", "--input", str(path), "--no-input", stdout=io.StringIO())

    assert "media/plans/exeter.pdf" in names
    assert (tmp_path / "restored-media" / "plans" / "exeter.pdf").read_bytes() == b"%PDF-1.4 plan"


@pytest.mark.django_db
def test_restore_refuses_an_archive_of_the_other_database_engine(tmp_path):
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    path = _archive_with_manifest(
        tmp_path / "brokerage-20261118T100000Z.tar",
        {"format": 1, "engine": other, "database": "brokerage", "created_at": TEST_NOW.isoformat(), "media": False},
    )

    with pytest.raises(CommandError, match=f"holds a {other} database"):
        call_command("restore", "--input", str(path), "--no-input")


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not an archive")

    with pytest.raises(CommandError, match="is not a brokerage backup archive"):
        call_command("restore", "--input", str(path), "--no-input")


@pytest.mark.django_db(transaction=True)  # committed, so SQLite's backup API can read it
def test_restore_without_yes_changes_nothing(tmp_path, monkeypatch):
    factories.OfferFactory(title="Kept")
    path = backup_create(output_dir=tmp_path, now=TEST_NOW)
    Offer.objects.update(title="Changed after the backup")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="Restore cancelled"):
        call_command("restore", "--input", str(path))

    assert list(Offer.objects.values_list("title", flat=True)) == ["Changed after the backup"]
