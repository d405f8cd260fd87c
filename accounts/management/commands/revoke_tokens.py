from __future__ import annotations

from django.core.management.base import BaseCommand

from accounts.services import api_tokens_revoke

from ._provisioning import user_by_username


class Command(BaseCommand):
    help = "Revoke every API token of a staff member at once."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)

    def handle(self, *args, username: str, **options):
        user = user_by_username(username)
        count = api_tokens_revoke(user=user)
        self.stdout.write(f"Revoked {count} token{'s' if count != 1 else ''} of {user.username}.")
