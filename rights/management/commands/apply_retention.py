from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from rights.services import retention_apply


class Command(BaseCommand):
    help = (
        "Erase the clients whose cases have all been closed for longer than their programme keeps them "
        "(clients under a legal hold or a restriction are kept). Safe to run again: it erases nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="Apply the periods as of this day (default: today).")

    def handle(self, *args, date: str | None = None, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date {date!r} is not a date (YYYY-MM-DD).") from exc
        report = retention_apply(today=today)
        for run in report.runs:
            self.stdout.write(
                f"{run.organisation.name}: {run.examined} clients with every case closed, {run.erased} erased, "
                f"{run.skipped_held} kept under a legal hold, {run.skipped_restricted} kept as restricted."
            )
            if run.pseudonyms:
                self.stdout.write("  erased: " + ", ".join(run.pseudonyms))
        as_of = report.runs[0].as_of if report.runs else today
        self.stdout.write(self.style.SUCCESS(f"Retention applied as of {as_of}; {report.erased} clients erased."))
