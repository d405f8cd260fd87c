"""Reading the hash-chained audit log: verifying the chain."""

from __future__ import annotations

from dataclasses import dataclass

from .models import AuditEntry, AuditHead
from .services import GENESIS, entry_hash


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
