"""Shared lookups for the provisioning commands: clear errors instead of tracebacks."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from programmes.models import Organisation, Programme, Team


def validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(message for messages in exc.message_dict.values() for message in messages)
    return "; ".join(exc.messages)


def organisation_by_slug(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        known = ", ".join(Organisation.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
        raise CommandError(
            f"Unknown organisation {slug!r}. Known organisations: {known}. "
            "Create one with `manage.py create_organisation`."
        )
    return organisation


def programme_by_name(organisation: Organisation, name: str) -> Programme:
    programme = Programme.objects.filter(organisation=organisation, name=name).first()
    if programme is None:
        known = (
            ", ".join(repr(n) for n in organisation.programmes.order_by("name").values_list("name", flat=True))
            or "none yet"
        )
        raise CommandError(f"Organisation {organisation.slug!r} has no programme {name!r}. Its programmes: {known}.")
    return programme


def team_by_name(organisation: Organisation, name: str) -> Team:
    """A team of the organisation by name, or "Programme name/Team name" when two programmes share a team name."""
    teams = Team.objects.filter(programme__organisation=organisation).select_related("programme")
    matches = list(teams.filter(name=name))
    if not matches and "/" in name:
        programme_name, _sep, team_name = name.rpartition("/")
        matches = list(teams.filter(programme__name=programme_name, name=team_name))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        options = ", ".join(f"'{t.programme.name}/{t.name}'" for t in matches)
        raise CommandError(
            f"More than one programme of {organisation.slug!r} has a team {name!r}; write one of {options}."
        )
    known = ", ".join(repr(n) for n in teams.order_by("name").values_list("name", flat=True)) or "none yet"
    raise CommandError(f"Organisation {organisation.slug!r} has no team {name!r}. Its teams: {known}.")


def user_by_username(username: str):
    from accounts.models import User

    user = User.objects.filter(username=username).select_related("organisation").first()
    if user is None:
        raise CommandError(f"No staff member with the username {username!r}.")
    return user
