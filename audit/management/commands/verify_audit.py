from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import audit_verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; report the first edited, deleted, reordered or truncated entry."

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"Audit log intact: {result.checked} entries verified."))
            return
        raise CommandError(
            f"Audit log broken at position {result.position}: {result.problem}. "
            f"{result.checked} entries before it verified."
        )
