"""Provisioning staff accounts and API tokens (used by the management commands and the tests)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from audit.models import Outcome
from audit.services import audit_record
from programmes.models import Organisation, Team

from .models import TEAM_ROLES, ApiToken, Role, RoleGrant, SignInThrottle, User, UserSession


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str | None,
    organisation: Organisation,
    roles: Iterable[tuple[str, Team | None]],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    check_password: bool = False,
) -> User:
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
    user = User(
        username=username,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=any(role == Role.ADMINISTRATOR for role, _t in roles),
    )
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
    """A token for someone who has a confirmed second factor (the page asks for it in the same session)."""
    from .otp import has_second_factor

    if not user.is_active:
        raise ValidationError("An inactive account cannot receive an API token.")
    if not has_second_factor(user):
        raise ValidationError(
            "API tokens are only issued to staff who have set up their authenticator app: "
            "sign in once and follow the set-up steps first."
        )
    if days is not None and days < 1:
        raise ValidationError({"days": "A token must be valid for at least one day."})
    token, raw = ApiToken.issue(user=user, name=name, days=days)
    audit_record("token.issue", object_type="token", object_id=str(token.pk), detail=f"user:{user.pk}")
    return token, raw


@transaction.atomic
def api_tokens_revoke(*, user: User) -> int:
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record("token.revoke", object_type="user", object_id=str(user.pk), detail=f"{count} tokens")
    return count


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise ValidationError({"token": "There is no such token of yours."})  # nosec B105 # a message, not a secret
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record("token.revoke", object_type="token", object_id=str(token.pk), detail=f"user:{user.pk}")
    return token


# Sessions ---------------------------------------------------------------------------------------------


def _session_store(session_key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


@transaction.atomic
def session_register(*, user: User, session_key: str | None, ip: str | None = None) -> UserSession:
    """Remember a signed-in session of ``user`` so it can be ended on the server."""
    if session_key is None:
        raise ValueError("a session is registered once it is saved and has its key")
    now = timezone.now()
    UserSession.objects.filter(user=user, last_seen__lt=now - timedelta(seconds=settings.SESSION_COOKIE_AGE)).delete()
    row, _created = UserSession.objects.update_or_create(
        session_key=session_key, defaults={"user": user, "last_seen": now, "ip": ip}
    )
    return row


def session_forget(*, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def sessions_end(*, user: User, keep: str | None = None) -> int:
    """Delete the user's sessions from the session store (all but ``keep``); they must sign in again."""
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        _session_store(key).delete()
    rows.delete()
    return len(keys)


@transaction.atomic
def staff_sessions_end(*, actor: User | None, user: User) -> tuple[int, int]:
    """End every session and revoke every API token of ``user`` at once (an administrator's emergency stop)."""
    ended = sessions_end(user=user)
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(
        "staff.sessions_end",
        object_type="user",
        object_id=str(user.pk),
        detail=f"{ended} sessions, {revoked} tokens",
        actor=actor,
    )
    return ended, revoked


@transaction.atomic
def staff_deactivate(*, actor: User | None, user: User) -> User:
    """Deactivate an account: it can no longer sign in, and its sessions and tokens end now."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    ended, revoked = (
        sessions_end(user=user),
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now()),
    )
    audit_record(
        "staff.deactivate",
        object_type="user",
        object_id=str(user.pk),
        detail=f"{ended} sessions, {revoked} tokens",
        actor=actor,
    )
    return user


@transaction.atomic
def staff_password_change(
    *, actor: User | None, user: User, password: str, keep_session: str | None = None, check_password: bool = True
) -> User:
    """Set a new password; every other session of the user ends on the server."""
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    ended = sessions_end(user=user, keep=keep_session)
    audit_record(
        "staff.password_change", object_type="user", object_id=str(user.pk), detail=f"{ended} sessions", actor=actor
    )
    return user


# Failed sign-ins --------------------------------------------------------------------------------------


def username_digest(username: str) -> str:
    """The username as a keyed hash: failed sign-ins are counted and audited without storing what was typed."""
    return salted_hmac("tandem.accounts.signin", (username or "").strip().casefold(), algorithm="sha256").hexdigest()


@transaction.atomic
def signin_failure_record(*, username: str, locked: bool = False) -> None:
    """Count a failed sign-in for a username (known or unknown alike) and audit it without the name."""
    digest = username_digest(username)
    now = timezone.now()
    if not locked:
        row, _created = SignInThrottle.objects.select_for_update().get_or_create(username_digest=digest)
        if row.window_started < now - timedelta(seconds=settings.TANDEM_SIGNIN_WINDOW_SECONDS):
            row.failures, row.window_started = 0, now
        row.failures += 1
        if row.failures >= settings.TANDEM_SIGNIN_MAX_FAILURES:
            row.locked_until = now + timedelta(seconds=settings.TANDEM_SIGNIN_LOCK_SECONDS)
            row.failures, row.window_started = 0, now
        row.save()
    audit_record(
        "auth.login_failed",
        object_type="signin",
        object_id=digest[:32],
        outcome=Outcome.DENIED,
        detail="locked" if locked else "",
    )


def signin_success(*, username: str) -> None:
    SignInThrottle.objects.filter(username_digest=username_digest(username)).delete()
