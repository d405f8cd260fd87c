"""The master keyring: read from a file or an environment variable, never from the database.

Format (JSON): {"active": "<id>", "master_keys": {"<id>": "<base64 32 bytes>", ...},
"blind_index_key": "<base64 32 bytes>"}. Old master keys stay until every data key is rewrapped.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class KeyringError(ImproperlyConfigured):
    pass


@dataclass(frozen=True)
class Keyring:
    active: str
    master_keys: dict[str, bytes]
    blind_index_key: bytes

    @property
    def active_key(self) -> bytes:
        return self.master_keys[self.active]

    def to_json(self) -> str:
        return json.dumps(
            {
                "active": self.active,
                "master_keys": {k: base64.b64encode(v).decode() for k, v in self.master_keys.items()},
                "blind_index_key": base64.b64encode(self.blind_index_key).decode(),
            },
            indent=2,
        )


def new_key_id() -> str:
    return "mk-" + dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(3)


def generate() -> Keyring:
    key_id = new_key_id()
    return Keyring(
        active=key_id, master_keys={key_id: secrets.token_bytes(32)}, blind_index_key=secrets.token_bytes(32)
    )


def parse(text: str, source: str) -> Keyring:
    try:
        data = json.loads(text)
        keys = {str(k): base64.b64decode(v, validate=True) for k, v in data["master_keys"].items()}
        blind = base64.b64decode(data["blind_index_key"], validate=True)
        active = str(data["active"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise KeyringError(f"The keyring in {source} is not valid: {exc!r}") from exc
    if active not in keys:
        raise KeyringError(f"The keyring in {source} names active key {active!r}, which it does not hold.")
    if any(len(k) != 32 for k in keys.values()) or len(blind) != 32:
        raise KeyringError(f"The keyring in {source} holds a key that is not 32 bytes long.")
    return Keyring(active=active, master_keys=keys, blind_index_key=blind)


def keyring_path() -> Path:
    return Path(settings.TANDEM_KEYRING_FILE)


@lru_cache(maxsize=1)
def load() -> Keyring:
    if settings.TANDEM_KEYRING:
        return parse(settings.TANDEM_KEYRING, "TANDEM_KEYRING")
    path = keyring_path()
    if not path.exists():
        raise KeyringError(
            f"No keyring at {path}. Run `python manage.py init_keys` once to create it, "
            "or set TANDEM_KEYRING_FILE to the backed-up keyring."
        )
    return parse(path.read_text(), str(path))


def save(keyring: Keyring) -> Path:
    """Write the keyring file atomically, readable by its owner only."""
    if settings.TANDEM_KEYRING:
        raise KeyringError("The keyring comes from TANDEM_KEYRING; change it where that variable is set.")
    path = keyring_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(keyring.to_json())
    os.replace(tmp, path)
    load.cache_clear()
    return path
