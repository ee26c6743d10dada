"""Back up and restore the database and the uploaded files, as one archive.

An archive is a plain tar file (the PostgreSQL dump is compressed already):

    manifest.json       format, engine, database name, when, whether media is in
    database.dump       `pg_dump --format=custom` (PostgreSQL), or
    database.sqlite3    a copy made with SQLite's online backup API
    media/...           MEDIA_ROOT, when it is set and exists

PostgreSQL is dumped and restored by the client tools (`pg_dump`,
`pg_restore`), given the connection's parts through the environment (PGHOST,
PGPASSWORD...) so the password never shows in the process list. The restore
runs in one transaction: a restore that fails changes nothing.
"""

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"

# libpq's environment variables for the OPTIONS dj-database-url passes on from the URL's query.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def _engine(alias):
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _libpq_environment(alias):
    """The connection's parts as libpq environment variables, added to ours."""
    db = connections[alias].settings_dict
    parts = {
        "PGDATABASE": db["NAME"],
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
    }
    for option, variable in LIBPQ_OPTIONS.items():
        if option in db.get("OPTIONS", {}):
            parts[variable] = str(db["OPTIONS"][option])
    env = {**os.environ, **{name: value for name, value in parts.items() if value}}
    for name, value in parts.items():
        if not value:  # an empty part means libpq's default, not one left over in our environment
            env.pop(name, None)
    return env


def _client(program):
    path = shutil.which(program)
    if path is None:
        raise BackupError(f"{program} was not found: install the PostgreSQL client (Debian: postgresql-client).")
    return path


def _run(command, *, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed (exit {result.returncode}): {result.stderr.strip()}")


def _media_root():
    root = settings.MEDIA_ROOT
    return Path(root) if root else None


def backup_create(*, output_dir, database="default", now=None):
    """Write an archive of the database (and MEDIA_ROOT if it exists) into output_dir; return its path.

    The archive is written under a temporary name and renamed when complete,
    so a file named brokerage-*.tar is always a whole backup. It holds
    personal data: it is readable by its owner only.
    """
    engine = _engine(database)
    now = now or timezone.now()
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    name = connections[database].settings_dict["NAME"]
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    final = output_dir / f"brokerage-{stamp}.tar"
    media = _media_root()
    media = media if media is not None and media.is_dir() else None
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "database": str(name),
        "created_at": now.astimezone(dt.UTC).isoformat(),
        "media": media is not None,
    }
    with tempfile.TemporaryDirectory(prefix="brokerage-backup-") as work:
        if engine == "postgresql":
            dump = Path(work) / POSTGRES_DUMP
            _run(
                [_client("pg_dump"), "--format=custom", f"--file={dump}"],
                env=_libpq_environment(database),
            )
        else:
            dump = Path(work) / SQLITE_COPY
            _sqlite_copy(database, dump)
        partial = output_dir / f".{final.name}.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as archive:
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(now.timestamp())
                archive.addfile(info, io.BytesIO(data))
                archive.add(dump, arcname=dump.name)
                if media is not None:
                    archive.add(media, arcname=MEDIA)
            os.replace(partial, final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return final


def _sqlite_copy(alias, target):
    """Copy the live SQLite database with the online backup API (consistent while others write)."""
    connection = connections[alias]
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()


def archive_manifest(archive_path):
    """The archive's manifest; BackupError when the file is not one of our archives."""
    try:
        with tarfile.open(archive_path, mode="r:") as archive:
            member = archive.extractfile(MANIFEST)
            manifest = json.load(member)
    except (OSError, KeyError, tarfile.TarError, ValueError) as error:
        raise BackupError(f"{archive_path} is not a brokerage backup archive ({error}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path} has archive format {manifest.get('format')!r}; this version reads {FORMAT}.")
    return manifest


def backup_restore(*, archive_path, database="default"):
    """Replace the database's contents (and MEDIA_ROOT's files) with the archive's; return its manifest.

    PostgreSQL: `pg_restore --clean --if-exists --no-owner --single-transaction`
    drops and recreates every object the dump holds, in one transaction.
    SQLite: the archived copy is written over the live database with the
    online backup API. Files in the archive's media/ are written into
    MEDIA_ROOT (files not in the archive are left alone).
    """
    engine = _engine(database)
    manifest = archive_manifest(archive_path)
    if manifest["engine"] != engine:
        raise BackupError(
            f"This archive holds a {manifest['engine']} database; DATABASE_URL points to {engine}. "
            "Restore it into the same kind of database."
        )
    media = _media_root()
    if manifest["media"] and media is None:
        raise BackupError("This archive holds uploaded files but MEDIA_ROOT is not set: set it, then restore again.")
    with tempfile.TemporaryDirectory(prefix="brokerage-restore-") as work, tarfile.open(archive_path, "r:") as archive:
        # The "data" filter refuses absolute paths, links out of the directory and device files.
        members = [m for m in archive.getmembers() if m.name in (POSTGRES_DUMP, SQLITE_COPY)]
        archive.extractall(work, members=members, filter="data")
        if engine == "postgresql":
            connections[database].close()  # our own session would hold locks the restore waits for
            _run(
                [
                    _client("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                    f"--dbname={connections[database].settings_dict['NAME']}", str(Path(work) / POSTGRES_DUMP),
                ],
                env=_libpq_environment(database),
            )
        else:
            connection = connections[database]
            connection.ensure_connection()
            with sqlite3.connect(Path(work) / SQLITE_COPY) as copy:
                copy.backup(connection.connection)
            copy.close()
        if manifest["media"]:
            media.mkdir(parents=True, exist_ok=True)
            media_members = [m for m in archive.getmembers() if m.name.startswith(f"{MEDIA}/")]
            for member in media_members:
                member.name = member.name[len(MEDIA) + 1 :]
            archive.extractall(media, members=media_members, filter="data")
    return manifest
