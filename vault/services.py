"""Key lifecycle: create, destroy (crypto-shredding) and rewrap under a new master key."""

from __future__ import annotations

import secrets
import uuid

from django.db import transaction
from django.utils import timezone

from . import crypto, keyring
from .models import ClientKey


def client_key_create(*, client_id: uuid.UUID) -> ClientKey:
    master_key_id, wrapped = crypto.wrap_data_key(secrets.token_bytes(32), client_id)
    return ClientKey.objects.create(client_id=client_id, wrapped=wrapped, master_key_id=master_key_id)


def client_key_destroy(*, client_id: uuid.UUID) -> None:
    """Destroy the data key: from now on nothing sealed for this client can be opened."""
    ClientKey.objects.filter(client_id=client_id).update(wrapped=None, destroyed_at=timezone.now())
    crypto.forget_key(client_id)


def master_key_rotate(*, retire_old: bool = False, batch_size: int = 500) -> tuple[str, int, list[str]]:
    """Add a new active master key, rewrap every data key under it, optionally drop the old keys.

    The keyring is saved with both keys before any data key is rewrapped, so an interrupted
    rotation loses nothing and can simply be run again.
    """
    old = keyring.load()
    new_id = keyring.new_key_id()
    ring = keyring.Keyring(
        active=new_id,
        master_keys={**old.master_keys, new_id: secrets.token_bytes(32)},
        blind_index_key=old.blind_index_key,
    )
    keyring.save(ring)
    rewrapped = 0
    while True:
        batch = list(
            ClientKey.objects.exclude(master_key_id=new_id)
            .filter(wrapped__isnull=False)
            .order_by("client_id")[:batch_size]
        )
        if not batch:
            break
        with transaction.atomic():
            for row in batch:
                if row.wrapped is None:  # erased since the batch was read
                    continue
                key = crypto.unwrap_data_key(bytes(row.wrapped), row.master_key_id, row.client_id, ring)
                row.master_key_id, row.wrapped = crypto.wrap_data_key(key, row.client_id, ring)
                row.save(update_fields=["master_key_id", "wrapped"])
                rewrapped += 1
    ClientKey.objects.filter(wrapped__isnull=True).exclude(master_key_id=new_id).update(master_key_id=new_id)
    retired: list[str] = []
    if retire_old:
        retired = [k for k in ring.master_keys if k != new_id]
        keyring.save(
            keyring.Keyring(
                active=new_id, master_keys={new_id: ring.master_keys[new_id]}, blind_index_key=ring.blind_index_key
            )
        )
    return new_id, rewrapped, retired
