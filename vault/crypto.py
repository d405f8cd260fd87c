"""Envelope encryption: a data key per client, wrapped by the master key; AES-256-GCM throughout.

Every sealed value is bound (as associated data) to its model, record, field and client, so a
ciphertext copied into another row or field fails to open.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
import unicodedata
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import keyring

FORMAT_V1 = b"\x01"
NONCE_BYTES = 12


class VaultError(Exception):
    """A value cannot be opened: wrong key, tampered or moved ciphertext, or an erased client."""


class KeyDestroyed(VaultError):
    """The client's data key was destroyed by an erasure."""


_key_cache: ContextVar[dict[uuid.UUID, bytes] | None] = ContextVar("tandem_key_cache", default=None)


@contextlib.contextmanager
def key_scope() -> Iterator[None]:
    """Cache unwrapped data keys for the duration of one request, job or command, and no longer."""
    token = _key_cache.set({})
    try:
        yield
    finally:
        cache = _key_cache.get()
        if cache:
            cache.clear()
        _key_cache.reset(token)


def forget_key(client_id: uuid.UUID) -> None:
    cache = _key_cache.get()
    if cache is not None:
        cache.pop(client_id, None)


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return FORMAT_V1 + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _open(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != FORMAT_V1:
        raise VaultError("not a sealed value")
    nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, aad)
    except InvalidTag as exc:
        raise VaultError("the value does not open under this key and binding") from exc


def wrap_data_key(data_key: bytes, client_id: uuid.UUID, ring: keyring.Keyring | None = None) -> tuple[str, bytes]:
    ring = ring or keyring.load()
    return ring.active, _seal(ring.active_key, data_key, b"client-key|" + str(client_id).encode())


def unwrap_data_key(
    wrapped: bytes, master_key_id: str, client_id: uuid.UUID, ring: keyring.Keyring | None = None
) -> bytes:
    ring = ring or keyring.load()
    try:
        master = ring.master_keys[master_key_id]
    except KeyError as exc:
        raise VaultError(f"master key {master_key_id} is not in the keyring") from exc
    return _open(master, wrapped, b"client-key|" + str(client_id).encode())


def data_key(client_id: uuid.UUID) -> bytes:
    cache = _key_cache.get()
    if cache is not None and client_id in cache:
        return cache[client_id]
    from .models import ClientKey

    row = ClientKey.objects.filter(client_id=client_id).values_list("wrapped", "master_key_id").first()
    if row is None:
        raise VaultError(f"no data key for client {client_id}")
    wrapped, master_key_id = row
    if wrapped is None:
        raise KeyDestroyed(f"the data key of client {client_id} was destroyed")
    key = unwrap_data_key(bytes(wrapped), master_key_id, client_id)
    if cache is not None:
        cache[client_id] = key
    return key


def binding(label: str, pk: object, field: str, client_id: uuid.UUID) -> bytes:
    return f"{label}|{pk}|{field}|{client_id}".encode()


def seal_text(client_id: uuid.UUID, label: str, pk: object, field: str, text: str) -> bytes:
    return _seal(data_key(client_id), text.encode("utf-8"), binding(label, pk, field, client_id))


def seal_text_with_key(key: bytes, client_id: uuid.UUID, label: str, pk: object, field: str, text: str) -> bytes:
    """seal_text for bulk loads that hold the client's fresh data key and have no database to fetch it from."""
    return _seal(key, text.encode("utf-8"), binding(label, pk, field, client_id))


def open_text(client_id: uuid.UUID, label: str, pk: object, field: str, blob: bytes) -> str:
    return _open(data_key(client_id), blob, binding(label, pk, field, client_id)).decode("utf-8")


def normalise_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def blind_index(scope: object, name: str) -> str:
    """HMAC of a normalised name under the blind-index key: equal names match, nothing is revealed."""
    key = keyring.load().blind_index_key
    message = f"{scope}|{normalise_name(name)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
