from __future__ import annotations

from django.core.management.base import BaseCommand

from accounts.services import staff_sessions_end

from ._provisioning import user_by_username


class Command(BaseCommand):
    help = "End every session and revoke every API token of a staff member at once (e.g. a lost laptop)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)

    def handle(self, *args, username: str, **options):
        user = user_by_username(username)
        sessions, tokens = staff_sessions_end(actor=None, user=user)
        self.stdout.write(
            f"Ended {sessions} session{'s' if sessions != 1 else ''} and revoked {tokens} "
            f"token{'s' if tokens != 1 else ''} of {user.username}; they must sign in again."
        )
