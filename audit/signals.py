"""Sign-in events enter the audit log (the auth framework announces them through signals)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from .services import audit_record

if TYPE_CHECKING:
    from accounts.models import User


@receiver(user_logged_in)
def _logged_in(sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_record("auth.login", object_type="user", object_id=str(user.pk), actor_id=user.pk)


@receiver(user_logged_out)
def _logged_out(sender: type[User], request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record("auth.logout", object_type="user", object_id=str(user.pk), actor_id=user.pk)


# Failed sign-ins are audited by accounts.services.signin_failure_record, with a keyed hash of the
# username (so that the lock-out and the audit log count the same thing) and never the password.
