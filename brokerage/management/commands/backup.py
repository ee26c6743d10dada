from django.core.management.base import BaseCommand, CommandError

from brokerage.backups import BackupError, archive_manifest, backup_create


class Command(BaseCommand):
    help = (
        "Write brokerage-<UTC time>.tar into --output: the database (pg_dump --format=custom, or a copy "
        "of the SQLite file) and MEDIA_ROOT when it exists. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="directory to write the archive into (created if missing)")
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, output, database, **options):
        try:
            path = backup_create(output_dir=output, database=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not archive_manifest(path)["media"]:
            self.stdout.write("No uploaded files included: MEDIA_ROOT is not set or does not exist.")
        self.stdout.write(self.style.SUCCESS(f"Backup written: {path}"))
