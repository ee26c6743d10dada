from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from brokerage.backups import BackupError, archive_manifest, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database's contents (and MEDIA_ROOT's files) with a backup archive written by "
        "`manage.py backup`. Stop gunicorn and the Celery worker and beat first. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, dest="archive", help="the brokerage-*.tar archive to restore")
        parser.add_argument("--database", default="default", help="database alias (default: default)")
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive", help="do not ask for confirmation"
        )

    def handle(self, *args, archive, database, interactive, **options):
        db = connections[database].settings_dict
        where = str(db["NAME"]) + (f" on {db['HOST']}" if db.get("HOST") else "")
        try:
            manifest = archive_manifest(archive)
            if interactive:
                answer = input(
                    f"This replaces everything in the database {where} with the backup of "
                    f"{manifest['database']} made at {manifest['created_at']}.\nType 'yes' to go on: "
                )
                if answer != "yes":
                    raise CommandError("Restore cancelled; nothing was changed.")
            backup_restore(archive_path=archive, database=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {archive} (made at {manifest['created_at']}) into {where}."))
