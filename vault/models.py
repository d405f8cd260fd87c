from __future__ import annotations

from django.db import models

from .classification import DataClass


class ClientKey(models.Model):
    """A client's data key, wrapped by a master key. Erasure sets `wrapped` to NULL for good."""

    client_id = models.UUIDField(primary_key=True)
    wrapped = models.BinaryField(null=True)
    master_key_id = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    data_classification = {
        "client_id": DataClass.TECHNICAL,
        "wrapped": DataClass.TECHNICAL,
        "master_key_id": DataClass.TECHNICAL,
        "created_at": DataClass.TECHNICAL,
        "destroyed_at": DataClass.TECHNICAL,
    }

    class Meta:
        indexes = [models.Index(fields=["master_key_id"])]

    def __str__(self) -> str:
        return f"data key of {self.client_id}"
