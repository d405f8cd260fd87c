from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

import access
from cases.models import Case
from cases.services import client_erase
from tandem.ids import parse_uuid
from vault.crypto import key_scope

from ._provisioning import user_by_username


class Command(BaseCommand):
    help = (
        "Erase a client for good (crypto-shredding: their data key is destroyed, nothing sealed for them opens "
        "again). The acting staff member must supervise the case's team."
    )

    def add_arguments(self, parser):
        parser.add_argument("--case", required=True, metavar="CASE_UUID", help="Any case of the client.")
        parser.add_argument(
            "--actor", required=True, metavar="USERNAME", help="The supervisor who decided the erasure."
        )
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, case: str, actor: str, yes: bool, **options):
        user = user_by_username(actor)
        case_id = parse_uuid(case)
        if case_id is None:
            raise CommandError(f"{case!r} is not a case id (a UUID).")
        found = Case.objects.select_related("client", "team").filter(pk=case_id).first()
        # Unknown, other organisation or not supervised: one answer, so the command reveals nothing.
        if (
            found is None
            or found.client.organisation_id != user.organisation_id
            or not user.is_active
            or not access.supervises(user, found)
        ):
            raise CommandError(
                f"{user.username} does not supervise a case {case_id}: only a supervisor of the "
                "case's team can erase its client."
            )
        client = found.client
        if client.erased_at is not None:
            raise CommandError(
                f"The client of case {case_id} ({client.pseudonym}) was erased on {client.erased_at:%Y-%m-%d}."
            )
        cases = client.cases.count()
        if not yes:
            answer = input(
                f"Erase client {client.pseudonym} ({cases} case{'s' if cases != 1 else ''}, team "
                f"{found.team.name})? Names, notes and every sealed text become unreadable for good. "
                "Type 'erase' to confirm: "
            )
            if answer.strip() != "erase":
                raise CommandError("Not confirmed; nothing was erased.")
        with key_scope():
            try:
                client_erase(actor=user, client=client)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Erased client {client.pseudonym}: their data key is destroyed."))
