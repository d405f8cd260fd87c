from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.services import api_token_issue

from ._provisioning import user_by_username, validation_message


class Command(BaseCommand):
    help = "Issue an API token for a staff member. The token is shown once; only its hash is stored."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument(
            "--days", type=int, default=None, help="Days until it expires (default: TANDEM_API_TOKEN_DAYS)."
        )
        parser.add_argument("--name", default="", help="What the token is for, e.g. 'probation import'.")

    def handle(self, *args, username: str, days: int | None, name: str, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        user = user_by_username(username)
        try:
            token, raw = api_token_issue(user=user, name=name, days=days)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        self.stderr.write(
            f"Token for {user.username}, expires {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M %Z}. "
            "It is shown only this once; store it in a secret store."
        )
        self.stdout.write(raw)
