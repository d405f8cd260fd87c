from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import audit_verify
from tandem.backup import BackupError, restore_read
from vault.crypto import VaultError, key_scope


class Command(BaseCommand):
    help = "Restore an encrypted backup into an empty, migrated instance, then verify it."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup file written by `backup`.")

    def handle(self, *args, backup: str, **options):
        try:
            with Path(backup).open("rb") as stream:
                result = restore_read(stream)
        except (OSError, BackupError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {result.objects} records from the backup of {result.created}.")
        chain = audit_verify()
        if not chain.ok:
            raise CommandError(f"The restored audit log does not verify: {chain.problem}")
        opened, erased = verify_sealed()
        self.stdout.write(
            f"Audit log verified ({chain.checked} entries); {opened} sealed values open, "
            f"{erased} belong to erased clients."
        )


def verify_sealed() -> tuple[int, int]:
    """Open every sealed value; values of erased clients are expected not to open."""
    from django.apps import apps

    from vault.crypto import KeyDestroyed
    from vault.fields import SealedField

    opened = erased = 0
    with key_scope():
        for model in apps.get_models():
            fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, SealedField)]
            for obj in model._default_manager.all().iterator() if fields else []:
                for name in fields:
                    if obj.__dict__.get(name) is None:
                        continue
                    try:
                        getattr(obj, name)
                        opened += 1
                    except KeyDestroyed:
                        erased += 1
                    except VaultError as exc:
                        raise CommandError(f"{model._meta.label} {obj.pk}.{name} does not open: {exc}") from exc
    return opened, erased
