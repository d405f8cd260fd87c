from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from programmes.models import Organisation
from programmes.services import organisation_create


class Command(BaseCommand):
    help = "Create an organisation. Organisations never see each other's cases."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True, help="Short name used by the other commands, e.g. exit-nord.")

    def handle(self, *args, name: str, slug: str, **options):
        if slugify(slug) != slug:
            raise CommandError(
                f"The slug {slug!r} may hold only lower-case letters, digits and hyphens, e.g. {slugify(slug)!r}."
            )
        if Organisation.objects.filter(slug=slug).exists():
            raise CommandError(f"An organisation with the slug {slug!r} exists already.")
        if Organisation.objects.filter(name=name).exists():
            raise CommandError(f"An organisation named {name!r} exists already.")
        organisation = organisation_create(name=name, slug=slug)
        self.stdout.write(self.style.SUCCESS(f"Created organisation {organisation.name} ({organisation.slug})."))
