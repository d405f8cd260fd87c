"""Test helpers for the two-step sign-in: a test client whose force_login is a complete sign-in."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from .otp import hex_key, totp_code  # noqa: F401 (re-exported for tests)
from .reauth import REAUTH_SESSION_KEY

if TYPE_CHECKING:
    from .models import User

# A fixed base32 secret for tests (the demo has its own, see demo/content.py).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # nosec B105 # test users only, never in the product


def enrol_totp(user: User, secret: str = TEST_TOTP_SECRET) -> TOTPDevice:
    """Give ``user`` a confirmed authenticator with a known secret (no-op if they have one)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", key=hex_key(secret), confirmed=True)
    return device


class TandemClient(Client):
    """``force_login`` signs in completely: password, second factor, and a fresh re-authentication.

    Use ``force_login(user, second_factor=False)`` for a session that has only passed the password step,
    and ``force_login(user, reauth=False)`` for one whose re-authentication is not fresh.
    """

    def force_login(self, user: User, backend=None, *, second_factor: bool = True, reauth: bool = True):
        from .services import session_register

        super().force_login(user, backend)
        session = self.session
        if second_factor:
            device = enrol_totp(user)
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            if reauth:
                session[REAUTH_SESSION_KEY] = time.time()
        session.save()
        session_register(user=user, session_key=session.session_key)
