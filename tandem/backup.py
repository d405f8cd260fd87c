"""Encrypted backups of the whole database, and their restore into an empty instance.

A backup is the serialised data (sealed fields stay sealed) compressed and encrypted with AES-256-GCM
under a fresh key, itself wrapped by the active master key. Restoring needs the keyring, which is
backed up separately (README, "The master key"), so a stolen backup file reveals nothing.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from vault import keyring

MAGIC = b"TANDEM-BACKUP-1\n"
EXCLUDED = ["contenttypes", "sessions", "admin.logentry", "auth.permission"]


class BackupError(Exception):
    pass


def _aad(header: dict) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()


def backup_write(stream) -> dict:
    """Serialise every table (but framework bookkeeping) and write it encrypted to `stream`."""
    data = io.StringIO()
    call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED, stdout=data, verbosity=0)
    ring = keyring.load()
    key = secrets.token_bytes(32)
    header = {"created": timezone.now().isoformat(), "master_key_id": ring.active, "format": 1}
    wrap_nonce, nonce = secrets.token_bytes(12), secrets.token_bytes(12)
    header["wrapped_key"] = base64.b64encode(wrap_nonce + AESGCM(ring.active_key).encrypt(wrap_nonce, key, b"backup-key")).decode()
    body = AESGCM(key).encrypt(nonce, gzip.compress(data.getvalue().encode()), _aad(header))
    stream.write(MAGIC + json.dumps(header).encode() + b"\n" + nonce + body)
    header["objects"] = data.getvalue().count('"model":')
    return header


def _read(blob: bytes) -> tuple[dict, bytes]:
    if not blob.startswith(MAGIC):
        raise BackupError("This is not a Tandem backup file.")
    head, _, rest = blob[len(MAGIC):].partition(b"\n")
    try:
        header = json.loads(head)
        wrapped = base64.b64decode(header["wrapped_key"])
        master = keyring.load().master_keys[header["master_key_id"]]
    except KeyError as exc:
        raise BackupError(f"The keyring does not hold master key {exc}; restore with the keyring the backup was made under.") from exc
    except ValueError as exc:
        raise BackupError("The backup header is damaged.") from exc
    try:
        key = AESGCM(master).decrypt(wrapped[:12], wrapped[12:], b"backup-key")
        plain = AESGCM(key).decrypt(rest[:12], rest[12:], _aad(header))
    except Exception as exc:  # InvalidTag: wrong key or a damaged file
        raise BackupError("The backup does not decrypt: the file is damaged or was made under another keyring.") from exc
    return header, gzip.decompress(plain)


@dataclass
class RestoreResult:
    objects: int
    created: str


def restore_read(blob: bytes) -> RestoreResult:
    """Load a backup into an empty, migrated database, in one transaction."""
    header, data = _read(blob)
    organisation = apps.get_model("programmes", "Organisation")
    if organisation.objects.exists():
        raise BackupError("The database is not empty; restore only into a newly migrated instance.")
    count, models = 0, set()
    with transaction.atomic():
        # As loaddata does: rows arrive in dependency order but cycles exist; check keys at the end.
        with connection.constraint_checks_disabled():
            for obj in serializers.deserialize("json", data):
                obj.save()
                models.add(type(obj.object))
                count += 1
        connection.check_constraints(table_names=[m._meta.db_table for m in models])
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
                cursor.execute(sql)
    return RestoreResult(objects=count, created=header["created"])
