from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand, CommandError

from programmes.models import Ideology, Programme, Setting
from programmes.services import programme_create

from ._provisioning import organisation_by_slug

SHARING_POLICIES = ("independent-ngo", "statutory")


class Command(BaseCommand):
    help = "Create a programme of an organisation, with the default topic list."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, metavar="SLUG")
        parser.add_argument("--name", required=True)
        parser.add_argument("--sharing-policy", choices=SHARING_POLICIES, default="independent-ngo")
        parser.add_argument("--target-group", default="")
        parser.add_argument(
            "--setting",
            action="append",
            dest="settings_served",
            choices=Setting.values,
            help="A setting served; repeat for several (default: all).",
        )
        parser.add_argument(
            "--ideology",
            action="append",
            dest="ideologies",
            choices=Ideology.values,
            help="An ideology context served; repeat for several (default: all).",
        )
        parser.add_argument(
            "--voluntary",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="Accepts voluntary participants (default: yes).",
        )
        parser.add_argument(
            "--mandated",
            action=argparse.BooleanOptionalAction,
            default=False,
            help="Accepts mandated participants (default: no).",
        )
        parser.add_argument(
            "--contact-interval-days",
            type=int,
            default=14,
            help="Expected days between contacts on an active case (default: 14).",
        )

    def handle(
        self,
        *args,
        organisation: str,
        name: str,
        sharing_policy: str,
        target_group: str,
        settings_served: list[str] | None,
        ideologies: list[str] | None,
        voluntary: bool,
        mandated: bool,
        contact_interval_days: int,
        **options,
    ):
        org = organisation_by_slug(organisation)
        if Programme.objects.filter(organisation=org, name=name).exists():
            raise CommandError(f"Organisation {org.slug!r} has a programme named {name!r} already.")
        if not voluntary and not mandated:
            raise CommandError("A programme accepts voluntary or mandated participants, or both.")
        if not 1 <= contact_interval_days <= 365:
            raise CommandError("--contact-interval-days must be between 1 and 365.")
        programme = programme_create(
            organisation=org,
            name=name,
            sharing_policy=sharing_policy,
            target_group=target_group,
            settings_served=list(dict.fromkeys(settings_served or Setting.values)),
            ideologies=list(dict.fromkeys(ideologies or Ideology.values)),
            voluntary=voluntary,
            mandated=mandated,
            contact_interval_days=contact_interval_days,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created programme {programme.name!r} of {org.name} (sharing policy {programme.sharing_policy}, "
                f"settings: {', '.join(programme.settings_served)}; {programme.topics.count()} default topics)."
            )
        )
