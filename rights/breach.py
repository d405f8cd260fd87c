"""Breach support: which clients did one account open in a time window, answered from the audit log.

Every read and write of case data is audited with the object's type and id. Mapping those ids back to
their client (through the same foreign-key paths the access report uses) gives the pseudonyms; names
never leave the vault. Denied attempts are listed separately: they opened nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models

from audit.models import AuditEntry, Outcome

from .report import client_paths


@dataclass
class OpenedClient:
    pseudonym: str
    first_at: dt.datetime
    last_at: dt.datetime
    entries: int = 0
    actions: set[str] = field(default_factory=set)

    def as_json(self) -> dict:
        return {
            "pseudonym": self.pseudonym,
            "first_at": self.first_at.isoformat(),
            "last_at": self.last_at.isoformat(),
            "entries": self.entries,
            "actions": sorted(self.actions),
        }


@dataclass
class BreachReport:
    actor_id: int
    start: dt.datetime
    end: dt.datetime
    clients: list[OpenedClient]
    list_views: int  # lists read in the window (pseudonyms and states only; no single case opened)
    denied: int

    def as_json(self) -> dict:
        return {
            "actor_id": self.actor_id,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "clients": [c.as_json() for c in self.clients],
            "list_views": self.list_views,
            "denied_attempts": self.denied,
        }


def _object_types() -> dict[str, tuple[type[models.Model], str]]:
    """model_name (as the audit log records it) -> (model, lookup to the client)."""
    return {model._meta.model_name or "": (model, path) for model, path in client_paths().items()}


def clients_opened_by(
    *, actor_id: int, start: dt.datetime, end: dt.datetime, organisation_id: int | None = None
) -> BreachReport:
    """The clients whose records the account read or changed between `start` (inclusive) and `end` (exclusive)."""
    if start >= end:
        raise ValidationError({"end": "The end of the window must be after its start."})
    entries = AuditEntry.objects.filter(actor_id=actor_id, at__gte=start, at__lt=end)
    types = _object_types()
    by_type: dict[str, dict[str, list[AuditEntry]]] = {}
    list_views = denied = 0
    for entry in entries.order_by("seq").iterator():
        if entry.outcome != Outcome.OK:
            denied += 1
            continue
        if entry.object_type not in types:
            continue
        if not entry.object_id:
            list_views += 1
            continue
        by_type.setdefault(entry.object_type, {}).setdefault(entry.object_id, []).append(entry)
    opened: dict[object, OpenedClient] = {}
    for object_type, ids in by_type.items():
        model, path = types[object_type]
        pk_field = model._meta.pk
        valid = {}
        for raw in ids:
            try:
                valid[str(pk_field.to_python(raw))] = raw
            except (ValidationError, ValueError, TypeError):
                continue
        client_lookup = f"{path}__" if path else ""
        rows = model._default_manager.filter(pk__in=list(valid))
        if organisation_id is not None:
            rows = rows.filter(**{f"{client_lookup}organisation_id": organisation_id})
        for pk, client_id, pseudonym in rows.values_list(
            "pk", f"{client_lookup}id" if path else "id", f"{client_lookup}pseudonym" if path else "pseudonym"
        ):
            for entry in ids[valid[str(pk)]]:
                row = opened.get(client_id)
                if row is None:
                    row = opened[client_id] = OpenedClient(pseudonym, entry.at, entry.at)
                row.first_at, row.last_at = min(row.first_at, entry.at), max(row.last_at, entry.at)
                row.entries += 1
                row.actions.add(entry.action)
    clients = sorted(opened.values(), key=lambda c: (c.first_at, c.pseudonym))
    return BreachReport(actor_id, start, end, clients, list_views, denied)
