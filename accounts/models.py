from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vault.classification import DataClass


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    SPECIALIST = "specialist", _("Specialist")
    SUPERVISOR = "supervisor", _("Supervisor")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    ADMINISTRATOR = "administrator", _("Administrator")
    EVALUATOR = "evaluator", _("Evaluator")


TEAM_ROLES = {Role.PRACTITIONER, Role.SPECIALIST, Role.SUPERVISOR}


class User(AbstractUser):
    """A staff member. Case access comes from assignments and supervised teams, never from this row alone."""

    organisation = models.ForeignKey(
        "programmes.Organisation", on_delete=models.PROTECT, null=True, related_name="staff"
    )

    is_verified: Callable[[], bool]  # set on the request's user by django_otp's OTPMiddleware

    data_classification = {
        "id": DataClass.TECHNICAL,
        "password": DataClass.TECHNICAL,
        "last_login": DataClass.STAFF,
        "is_superuser": DataClass.STAFF,
        "username": DataClass.STAFF,
        "first_name": DataClass.STAFF,
        "last_name": DataClass.STAFF,
        "email": DataClass.STAFF,
        "is_staff": DataClass.STAFF,
        "is_active": DataClass.STAFF,
        "date_joined": DataClass.STAFF,
        "organisation": DataClass.STAFF,
        "groups": DataClass.STAFF,
        "user_permissions": DataClass.STAFF,
    }

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def _grants(self) -> list[tuple[str, int | None]]:
        """(role, team id) of every grant, read once per user object (that is, once per request)."""
        cached = getattr(self, "_grant_rows", None)
        if cached is None:
            cached = list(self.role_grants.values_list("role", "team_id"))
            self._grant_rows = cached
        return cached

    def role_codes(self) -> set[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = {role for role, _team in self._grants()}
            self._role_codes = cached
        return cached

    def has_role(self, role: str) -> bool:
        return role in self.role_codes()

    def supervised_team_ids(self) -> list[int]:
        return [team for role, team in self._grants() if role == Role.SUPERVISOR and team is not None]


class RoleGrant(models.Model):
    """A role a staff member holds, within a team for team roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    team = models.ForeignKey(
        "programmes.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="role_grants"
    )

    data_classification = {
        "id": DataClass.TECHNICAL,
        "user": DataClass.STAFF,
        "role": DataClass.STAFF,
        "team": DataClass.STAFF,
    }

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "team"], name="rolegrant_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.team or ''}".strip()


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)


class ApiToken(models.Model):
    """An API token; only its SHA-256 is stored, and it expires."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    usable: bool  # set by the tokens page

    data_classification = {
        "id": DataClass.TECHNICAL,
        "user": DataClass.STAFF,
        "name": DataClass.STAFF,
        "prefix": DataClass.TECHNICAL,
        "digest": DataClass.TECHNICAL,
        "created_at": DataClass.TECHNICAL,
        "expires_at": DataClass.TECHNICAL,
        "revoked_at": DataClass.TECHNICAL,
    }

    def __str__(self) -> str:
        return f"token {self.prefix}… of {self.user}"

    @classmethod
    def issue(cls, *, user: User, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
        raw = "tdm_" + secrets.token_urlsafe(32)
        days = days if days is not None else settings.TANDEM_API_TOKEN_DAYS
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=raw[4:12],
            digest=_token_digest(raw),
            expires_at=timezone.now() + timedelta(days=days),
        )
        return token, raw

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        return cls.objects.usable().select_related("user").filter(digest=_token_digest(raw)).first()


class UserSession(models.Model):
    """A signed-in session of a staff member, so that it can be ended on the server (logout everywhere,
    deactivation, password change, an administrator's order)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "user": DataClass.STAFF,
        "session_key": DataClass.TECHNICAL,
        "created": DataClass.STAFF,
        "last_seen": DataClass.STAFF,
        "ip": DataClass.STAFF,
    }

    def __str__(self) -> str:
        return f"session of {self.user} since {self.created:%Y-%m-%d %H:%M}"


class SignInThrottle(models.Model):
    """Failed sign-ins for one username, which is stored only as an HMAC (known and unknown names alike)."""

    username_digest = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "username_digest": DataClass.TECHNICAL,
        "failures": DataClass.TECHNICAL,
        "window_started": DataClass.TECHNICAL,
        "locked_until": DataClass.TECHNICAL,
    }
