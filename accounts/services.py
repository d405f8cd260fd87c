"""Provisioning staff accounts and API tokens (used by the management commands and the tests)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from programmes.models import Organisation, Team

from .models import TEAM_ROLES, ApiToken, Role, RoleGrant, User


@transaction.atomic
def staff_create(*, username: str, password: str | None, organisation: Organisation,
                 roles: Iterable[tuple[str, Team | None]], first_name: str = "", last_name: str = "",
                 email: str = "", check_password: bool = False) -> User:
    """A staff member with their roles. Team roles need a team of the same organisation."""
    roles = list(roles)
    if not roles:
        raise ValidationError({"roles": "Give the staff member at least one role."})
    for role, team in roles:
        if role not in Role.values:
            raise ValidationError({"roles": f"Unknown role {role!r}; choose from {', '.join(Role.values)}."})
        if role in TEAM_ROLES and team is None:
            raise ValidationError({"roles": f"The role {role} needs a team."})
        if team is not None and team.programme.organisation_id != organisation.pk:
            raise ValidationError({"roles": f"Team {team} belongs to another organisation."})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"The username {username!r} is taken."})
    user = User(username=username, organisation=organisation, first_name=first_name, last_name=last_name,
                email=email, is_staff=any(role == Role.ADMINISTRATOR for role, _t in roles))
    if password:
        if check_password:
            validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role, team=team) for role, team in roles)
    audit_record("staff.create", object_type="user", object_id=str(user.pk))
    return user


@transaction.atomic
def api_token_issue(*, user: User, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    if not user.is_active:
        raise ValidationError("An inactive account cannot receive an API token.")
    token, raw = ApiToken.issue(user=user, name=name, days=days)
    audit_record("token.issue", object_type="token", object_id=str(token.pk), detail=f"user:{user.pk}")
    return token, raw


@transaction.atomic
def api_tokens_revoke(*, user: User) -> int:
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record("token.revoke", object_type="user", object_id=str(user.pk), detail=f"{count} tokens")
    return count
