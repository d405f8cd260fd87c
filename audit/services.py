"""Appending to and verifying the hash-chained audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
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


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    position: int | None = None
    problem: str = ""


def audit_verify(batch_size: int = 5000) -> VerifyResult:
    """Walk the chain; report the position (seq) of the first edited, deleted, reordered or truncated entry."""
    prev_hash, expected_seq, checked, last_id = GENESIS, 1, 0, 0
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.seq != expected_seq:
                kind = "deleted" if entry.seq > expected_seq else "reordered"
                return VerifyResult(
                    False,
                    checked,
                    expected_seq,
                    f"entry {expected_seq} is missing or out of order ({kind}); found {entry.seq} in its place",
                )
            if entry.prev_hash != prev_hash:
                return VerifyResult(
                    False,
                    checked,
                    entry.seq,
                    f"entry {entry.seq} does not follow the entry before it (deleted or reordered)",
                )
            recomputed = entry_hash(
                seq=entry.seq,
                at=entry.at,
                actor_id=entry.actor_id,
                action=entry.action,
                object_type=entry.object_type,
                object_id=entry.object_id,
                channel=entry.channel,
                ip=entry.ip,
                outcome=entry.outcome,
                detail=entry.detail,
                prev_hash=entry.prev_hash,
            )
            if recomputed != entry.hash:
                return VerifyResult(False, checked, entry.seq, f"entry {entry.seq} was edited")
            prev_hash, expected_seq, checked, last_id = entry.hash, expected_seq + 1, checked + 1, entry.id
    head = AuditHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != checked or head_hash != prev_hash:
        return VerifyResult(
            False, checked, checked + 1, f"the log ends at entry {checked} but was {head_seq} entries long (truncated)"
        )
    return VerifyResult(True, checked)
