from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vault import keyring
from vault.models import ClientKey


class Command(BaseCommand):
    help = "Create the encryption keyring on first run (does nothing when it exists)."

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        if settings.TANDEM_KEYRING:
            keyring.load()
            self.stdout.write("Keyring comes from TANDEM_KEYRING.")
            return
        path = keyring.keyring_path()
        if path.exists():
            keyring.load()
            self.stdout.write(f"Keyring present: {path}")
            return
        try:
            has_keys = ClientKey.objects.exists()
        except Exception:  # the database may not be migrated yet
            has_keys = False
        if has_keys:
            raise CommandError(
                f"The database holds encrypted client data but there is no keyring at {path}. "
                "Restore the keyring from its backup (see README); a new one could not open the data."
            )
        keyring.save(keyring.generate())
        self.stdout.write(self.style.WARNING(f"Created a new keyring at {path}. Back it up apart from the database."))
