from __future__ import annotations

import datetime as dt
import json as jsonlib

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from rights.breach import clients_opened_by


def _moment(value: str, name: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--{name} {value!r} is not an ISO date or date and time (e.g. 2025-03-01T08:00).") from exc
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = (
        "Which clients did one account open (read or change) between two moments? Answered from the audit "
        "log, by pseudonym only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument(
            "--from",
            dest="start",
            required=True,
            metavar="ISO",
            help="Start (inclusive), local time unless an offset is given.",
        )
        parser.add_argument("--to", dest="end", required=True, metavar="ISO", help="End (exclusive).")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args, username: str, start: str, end: str, json: bool = False, **options):
        account = User.objects.filter(username=username).first()
        if account is None:
            raise CommandError(f"There is no account {username!r}.")
        start_at, end_at = _moment(start, "from"), _moment(end, "to")
        if start_at >= end_at:
            raise CommandError("--to must be after --from.")
        report = clients_opened_by(actor_id=account.pk, start=start_at, end=end_at)
        audit_record(
            "breach.query",
            object_type="user",
            object_id=str(account.pk),
            detail=f"{len(report.clients)} clients (command)",
        )
        if json:
            self.stdout.write(_dumps(report.as_json() | {"username": username}))
            return
        self.stdout.write(
            f"{username} opened {len(report.clients)} clients between {start_at.isoformat()} and {end_at.isoformat()}:"
        )
        for row in report.clients:
            self.stdout.write(
                f"  {row.pseudonym}  {timezone.localtime(row.first_at):%Y-%m-%d %H:%M} – "
                f"{timezone.localtime(row.last_at):%Y-%m-%d %H:%M}  {row.entries} entries  "
                f"{', '.join(sorted(row.actions))}"
            )
        self.stdout.write(f"Case lists read: {report.list_views}; refused attempts: {report.denied}.")


def _dumps(data) -> str:
    return jsonlib.dumps(data, indent=2)
