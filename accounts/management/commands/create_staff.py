from __future__ import annotations

import getpass
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import TEAM_ROLES, Role
from accounts.services import staff_create
from vault.crypto import key_scope

from ._provisioning import organisation_by_slug, team_by_name, validation_message


class Command(BaseCommand):
    help = (
        "Create a staff account with its roles, e.g. --role practitioner:'Team Nord' --role supervisor:'Team Nord' "
        "--role programme_manager. Team roles (practitioner, specialist, supervisor) need a team."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--organisation", required=True, metavar="SLUG")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            dest="roles",
            metavar="ROLE[:TEAM]",
            help=f"Repeat for several roles. Roles: {', '.join(Role.values)}.",
        )
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        password = parser.add_mutually_exclusive_group()
        password.add_argument("--password-file", metavar="FILE", help="Read the password from this file (first line).")
        password.add_argument(
            "--no-password", action="store_true", help="No password: the account can only use API tokens."
        )

    def handle(
        self,
        *args,
        username: str,
        organisation: str,
        roles: list[str],
        first_name: str,
        last_name: str,
        email: str,
        password_file: str | None,
        no_password: bool,
        **options,
    ):
        org = organisation_by_slug(organisation)
        grants = [self._grant(org, spec) for spec in roles]
        password = None if no_password else self._password(password_file)
        try:
            with key_scope():
                user = staff_create(
                    username=username,
                    password=password,
                    organisation=org,
                    roles=grants,
                    first_name=first_name,
                    last_name=last_name,
                    email=email,
                    check_password=True,
                )
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        described = ", ".join(f"{role} in {team.name}" if team else role for role, team in grants)
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({org.name}): {described}."))
        if password is None:
            self.stdout.write(
                f"No password set: issue an API token with `manage.py issue_token --username {user.username}`."
            )

    def _grant(self, org, spec: str):
        role, sep, team_name = spec.partition(":")
        role, team_name = role.strip(), team_name.strip()
        if role not in Role.values:
            raise CommandError(f"Unknown role {role!r} in --role {spec!r}. Roles: {', '.join(Role.values)}.")
        if role in TEAM_ROLES:
            if not team_name:
                raise CommandError(f"The role {role} works within a team: write --role {role}:TEAM_NAME.")
            return role, team_by_name(org, team_name)
        if sep:
            raise CommandError(f"The role {role} covers the whole organisation; give it without a team: --role {role}.")
        return role, None

    def _password(self, password_file: str | None) -> str:
        if password_file:
            try:
                lines = Path(password_file).read_text().splitlines()
            except OSError as exc:
                raise CommandError(f"Cannot read the password file {password_file!r}: {exc.strerror}.") from exc
            if not lines or not lines[0]:
                raise CommandError(f"The password file {password_file!r} is empty.")
            return lines[0]
        if not sys.stdin.isatty():
            raise CommandError("No terminal to ask for a password: use --password-file FILE or --no-password.")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was created.")
        if not first:
            raise CommandError("The password is empty; use --no-password for a token-only account.")
        return first
