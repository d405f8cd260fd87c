"""Appending to the hash-chained audit log (`audit.selectors.audit_verify` walks it)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from .context import current
from .models import AuditEntry, AuditHead, Outcome

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

GENESIS = "0" * 64


def entry_hash(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    channel: str,
    ip: str | None,
    outcome: str,
    detail: str,
    prev_hash: str,
) -> str:
    canonical = json.dumps(
        [
            seq,
            at.astimezone(dt.UTC).isoformat(timespec="milliseconds"),
            actor_id,
            action,
            object_type,
            object_id,
            channel,
            ip,
            outcome,
            detail,
            prev_hash,
        ],
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def audit_record(
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: str = "",
    outcome: str = Outcome.OK,
    detail: str = "",
    actor_id: int | None = None,
    actor: User | AnonymousUser | None = None,
) -> AuditEntry:
    """Append one entry. Inside a caller's transaction it commits or rolls back with the write it records."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name or ""
        object_id = object_id or str(obj.pk)
    ctx = current()
    if actor_id is None and actor is not None and actor.is_authenticated:
        actor_id = actor.pk
    acting_id = actor_id if actor_id is not None else ctx.current_actor_id()
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        now = timezone.now()
        # Millisecond precision: what every serialisation (backups, exports) keeps of a timestamp.
        at = now.replace(microsecond=now.microsecond // 1000 * 1000)
        seq = head.seq + 1
        fields: dict[str, Any] = dict(
            seq=seq,
            at=at,
            actor_id=acting_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            channel=ctx.channel,
            ip=ctx.ip,
            outcome=str(outcome),
            detail=detail[:200],
            prev_hash=head.hash,
        )
        digest = entry_hash(**fields)
        entry = AuditEntry.objects.create(hash=digest, **fields)
        head.seq, head.hash = seq, digest
        head.save(update_fields=["seq", "hash"])
    return entry
