"""Who is acting, and from where: set per request (or job), read by every audit entry."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    channel: str = "cli"
    ip: str | None = None
    request: object | None = None
    actor_id: int | None = None

    def current_actor_id(self) -> int | None:
        if self.actor_id is not None:
            return self.actor_id
        user = getattr(self.request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            pk: int = user.pk
            return pk
        return None


# Outside a request or job: one shared context, which is safe to share because it is frozen.
_OUTSIDE = AuditContext()
_context: ContextVar[AuditContext] = ContextVar("tandem_audit_context")


def current() -> AuditContext:
    return _context.get(_OUTSIDE)


@contextlib.contextmanager
def acting(ctx: AuditContext) -> Iterator[AuditContext]:
    token = _context.set(ctx)
    try:
        yield ctx
    finally:
        _context.reset(token)
