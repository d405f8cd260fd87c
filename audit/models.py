from __future__ import annotations

from django.db import models

from vault.classification import DataClass


class Outcome(models.TextChoices):
    OK = "ok", "ok"
    DENIED = "denied", "denied"
    FAILED = "failed", "failed"


class AuditEntry(models.Model):
    """One append-only, hash-chained entry: who did what to which object (by opaque id), from where.

    The database refuses UPDATE and DELETE on this table (triggers in migration 0002).
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=10)
    ip = models.GenericIPAddressField(null=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OK)
    detail = models.CharField(max_length=200, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "seq": DataClass.TECHNICAL,
        "at": DataClass.TECHNICAL,
        "actor_id": DataClass.STAFF,
        "action": DataClass.TECHNICAL,
        "object_type": DataClass.TECHNICAL,
        "object_id": DataClass.TECHNICAL,
        "channel": DataClass.TECHNICAL,
        "ip": DataClass.STAFF,
        "outcome": DataClass.TECHNICAL,
        "detail": DataClass.TECHNICAL,
        "prev_hash": DataClass.TECHNICAL,
        "hash": DataClass.TECHNICAL,
    }

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["actor_id", "at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """The chain's last position; locked on append so that concurrent writers stay in order,
    and compared on verification so that a truncated tail is detected."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    data_classification = {"id": DataClass.TECHNICAL, "seq": DataClass.TECHNICAL, "hash": DataClass.TECHNICAL}
