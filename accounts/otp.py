"""The second factor: a TOTP authenticator app, and one-time recovery codes for when the phone is lost.

No SMS and no e-mail: both can be redirected by someone who controls the phone number or the mailbox.
"""

from __future__ import annotations

import time
from base64 import b32decode, b32encode
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.db import transaction
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Outcome
from audit.services import audit_record

if TYPE_CHECKING:
    from .models import User

AUTHENTICATOR = "authenticator"
RECOVERY = "recovery codes"


def hex_key(base32_secret: str) -> str:
    return b32decode(base32_secret.upper() + "=" * (-len(base32_secret) % 8)).hex()


def totp_code(base32_secret: str, *, at: float | None = None, step: int = 30) -> str:
    """The code an authenticator app shows now (or at the given unix time) for this secret."""
    totp = TOTP(b32decode(base32_secret.upper() + "=" * (-len(base32_secret) % 8)), step=step)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def totp_device(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def has_second_factor(user: User) -> bool:
    return totp_device(user) is not None


def base32_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode()


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as inline SVG markup (no script, no style attribute)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", omitsize=False, title="QR code", svgclass="qr-code"
    )


def verify_totp(user: User, code: str, *, purpose: str) -> bool:
    """A current code of the user's authenticator; a code that was accepted once is refused after."""
    device = totp_device(user)
    code = (code or "").replace(" ", "")
    ok = device is not None and code.isdigit() and verify_token(user, device.persistent_id, code) is not None
    if not ok:
        audit_record(
            "auth.otp_failed",
            object_type="user",
            object_id=str(user.pk),
            outcome=Outcome.DENIED,
            detail=purpose,
            actor=user,
        )
    return ok


def verify_second_factor(user: User, code: str):
    """The device that accepts ``code`` (an authenticator code or a recovery code, which is used up), or None."""
    code = (code or "").strip().replace(" ", "").lower()
    device = None
    if code.isdigit():
        totp = totp_device(user)
        if totp is not None:
            device = verify_token(user, totp.persistent_id, code)
    elif code:
        static = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if static is not None:
            device = verify_token(user, static.persistent_id, code)
    audit_record(
        "auth.otp_verified" if device else "auth.otp_failed",
        object_type="user",
        object_id=str(user.pk),
        outcome=Outcome.OK if device else Outcome.DENIED,
        detail=("recovery code" if isinstance(device, StaticDevice) else "authenticator") if device else "",
        actor=user,
    )
    return device


def enrolment_device(user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator (a new secret the first time)."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


@transaction.atomic
def enrolment_confirm(user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a code from it; returns the new recovery codes (shown once), or None."""
    code = (code or "").replace(" ", "")
    if device.user_id != user.pk or device.confirmed or not code.isdigit() or not device.verify_token(code):
        audit_record(
            "auth.otp_enrol_failed", object_type="user", object_id=str(user.pk), outcome=Outcome.DENIED, actor=user
        )
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(user)
    audit_record("auth.otp_enrolled", object_type="user", object_id=str(user.pk), actor=user)
    return codes


@transaction.atomic
def recovery_codes_issue(user: User) -> list[str]:
    """Fresh recovery codes; earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TANDEM_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record("auth.recovery_codes_issued", object_type="user", object_id=str(user.pk), actor=user)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
