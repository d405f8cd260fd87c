from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from demo import content
from demo.seed import build_demo, demo_loaded
from programmes.models import Organisation


class Command(BaseCommand):
    help = "Load the synthetic demo programme (two organisations, staff, about 50 cases with two years of history)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any organisation exists (safe to run on every start).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed; the same seed gives the same story.")

    def handle(self, *args, if_empty: bool, seed: int, **options):
        if if_empty and Organisation.objects.exists():
            self.stdout.write("Organisations exist already; the demo programme was not loaded.")
            return
        if demo_loaded():
            raise CommandError("The demo programme is loaded already.")
        usernames = [s[0] for s in content.STAFF + content.OTHER_STAFF]
        taken = sorted(User.objects.filter(username__in=usernames).values_list("username", flat=True))
        if taken:
            raise CommandError(f"Demo usernames are taken already: {', '.join(taken)}.")
        started = time.monotonic()
        stats = build_demo(seed)
        states = ", ".join(f"{state} {count}" for state, count in sorted(stats.states.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo programme loaded in {time.monotonic() - started:.1f} s: {stats.cases} cases ({states}), "
                f"{stats.contacts} contacts, {stats.revisions} agreement revisions, {stats.needs} needs, "
                f"{stats.goals} goals, {stats.services} services."
            )
        )
