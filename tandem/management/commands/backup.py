from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from tandem.backup import backup_write


class Command(BaseCommand):
    help = "Write an encrypted backup of the whole database (restore it with `restore`)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write (default var/backups/tandem-<time>.tbk).")

    def handle(self, *args, output=None, **options):
        from django.conf import settings

        path = Path(output) if output else settings.VAR_DIR / "backups" / f"tandem-{timezone.now():%Y%m%dT%H%M%S}.tbk"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as stream:
            header = backup_write(stream)
        path.chmod(0o600)
        self.stdout.write(
            f"Backup written to {path}: {header['objects']} records, under master key {header['master_key_id']}."
        )
