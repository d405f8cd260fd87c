from __future__ import annotations

from django.db import transaction

from .models import DEFAULT_TOPICS, Organisation, Programme, Team, Topic


@transaction.atomic
def organisation_create(*, name: str, slug: str) -> Organisation:
    return Organisation.objects.create(name=name, slug=slug)


@transaction.atomic
def programme_create(*, organisation: Organisation, name: str, with_default_topics: bool = True, **fields) -> Programme:
    programme = Programme.objects.create(organisation=organisation, name=name, **fields)
    if with_default_topics:
        Topic.objects.bulk_create(
            Topic(programme=programme, code=code, group=group, name_en=en, name_de=de)
            for code, group, en, de in DEFAULT_TOPICS
        )
    return programme


@transaction.atomic
def team_create(*, programme: Programme, name: str) -> Team:
    return Team.objects.create(programme=programme, name=name)
