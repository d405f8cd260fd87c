from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from programmes.models import Team
from programmes.services import team_create

from ._provisioning import organisation_by_slug, programme_by_name


class Command(BaseCommand):
    help = "Create a team within a programme. Practitioners, specialists and supervisors work within teams."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, metavar="SLUG")
        parser.add_argument("--programme", required=True, metavar="NAME")
        parser.add_argument("--name", required=True)

    def handle(self, *args, organisation: str, programme: str, name: str, **options):
        org = organisation_by_slug(organisation)
        prog = programme_by_name(org, programme)
        if Team.objects.filter(programme=prog, name=name).exists():
            raise CommandError(f"Programme {prog.name!r} has a team named {name!r} already.")
        team = team_create(programme=prog, name=name)
        self.stdout.write(self.style.SUCCESS(f"Created team {team.name!r} in {prog.name!r}."))
