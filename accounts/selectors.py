"""Reads for sign-in."""

from __future__ import annotations

from django.utils import timezone

from .models import SignInThrottle
from .services import username_digest


def signin_locked(*, username: str) -> bool:
    row = SignInThrottle.objects.filter(username_digest=username_digest(username)).first()
    return bool(row and row.locked_until and row.locked_until > timezone.now())
