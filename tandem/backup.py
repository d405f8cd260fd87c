"""Encrypted backups of the whole database, and their restore into an empty instance.

A backup is the serialised data (sealed fields stay sealed) compressed and encrypted with AES-256-GCM
under a fresh key, itself wrapped by the active master key. Restoring needs the keyring, which is
backed up separately (README, "The master key"), so a stolen backup file reveals nothing.
"""

from __future__ import annotations

import base64
import gzip
import json
import secrets
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import connection, transaction
from django.utils import timezone

from vault import keyring

MAGIC_V1 = b"TANDEM-BACKUP-1\n"
MAGIC = b"TANDEM-BACKUP-2\n"
EXCLUDED = ["contenttypes", "sessions", "admin.logentry", "auth.permission"]
FRAME_BYTES = 1 << 20  # compressed bytes per encrypted frame
_FRAME = struct.Struct(">I")


class BackupError(Exception):
    pass


def _aad(header: dict) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()


def _frame_aad(header_aad: bytes, index: int, final: bool) -> bytes:
    # Each frame is bound to the header, its position and whether it is the last: frames cannot be
    # reordered, dropped, or cut off at the end without the restore noticing.
    return header_aad + struct.pack(">QB", index, 1 if final else 0)


class _EncryptedWriter:
    """A text stream that compresses what it is given and writes it as encrypted frames.

    Memory stays at about one frame however large the database: the serialiser writes record by record."""

    def __init__(self, stream, key: bytes, header: dict) -> None:
        self.stream, self.aead, self.aad = stream, AESGCM(key), _aad(header)
        self.compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # gzip framing
        self.pending = bytearray()
        self.index = 0
        self.lines = 0

    def write(self, text: str) -> int:
        data = text.encode()
        self.lines += data.count(b"\n")
        self.pending += self.compressor.compress(data)
        while len(self.pending) >= FRAME_BYTES:
            self._emit(bytes(self.pending[:FRAME_BYTES]), final=False)
            del self.pending[:FRAME_BYTES]
        return len(text)

    def flush(self) -> None:  # the serialiser may ask; frames are written when full
        pass

    def close(self) -> None:
        self.pending += self.compressor.flush()
        while len(self.pending) > FRAME_BYTES:
            self._emit(bytes(self.pending[:FRAME_BYTES]), final=False)
            del self.pending[:FRAME_BYTES]
        self._emit(bytes(self.pending), final=True)

    def _emit(self, chunk: bytes, *, final: bool) -> None:
        nonce = secrets.token_bytes(12)
        sealed = self.aead.encrypt(nonce, chunk, _frame_aad(self.aad, self.index, final))
        self.stream.write(_FRAME.pack(len(sealed)) + nonce + sealed)
        self.index += 1


def backup_write(stream) -> dict:
    """Serialise every table (but framework bookkeeping) and write it encrypted to `stream`, record by record."""
    ring = keyring.load()
    key = secrets.token_bytes(32)
    header = {"created": timezone.now().isoformat(), "master_key_id": ring.active, "format": 2}
    wrap_nonce = secrets.token_bytes(12)
    header["wrapped_key"] = base64.b64encode(
        wrap_nonce + AESGCM(ring.active_key).encrypt(wrap_nonce, key, b"backup-key")
    ).decode()
    stream.write(MAGIC + json.dumps(header).encode() + b"\n")
    writer = _EncryptedWriter(stream, key, header)
    # One snapshot: on PostgreSQL the whole dump reads one consistent state of the database.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        call_command("dumpdata", format="jsonl", natural_foreign=True, exclude=EXCLUDED, stdout=writer, verbosity=0)
    writer.close()
    header["objects"] = writer.lines
    return header


def _header(stream) -> tuple[dict, bytes]:
    line = stream.readline()
    try:
        header = json.loads(line)
        wrapped = base64.b64decode(header["wrapped_key"])
        master = keyring.load().master_keys[header["master_key_id"]]
    except KeyError as exc:
        raise BackupError(
            f"The keyring does not hold master key {exc}; restore with the keyring the backup was made under."
        ) from exc
    except ValueError as exc:
        raise BackupError("The backup header is damaged.") from exc
    try:
        key = AESGCM(master).decrypt(wrapped[:12], wrapped[12:], b"backup-key")
    except InvalidTag as exc:  # wrong key or a damaged header
        raise BackupError(
            "The backup does not decrypt: the file is damaged or was made under another keyring."
        ) from exc
    return header, key


def _frames(stream, key: bytes, header: dict) -> Iterator[bytes]:
    aead, aad = AESGCM(key), _aad(header)
    index = 0
    while True:
        size = stream.read(_FRAME.size)
        if len(size) < _FRAME.size:
            raise BackupError("The backup is cut short: its last part is missing.")
        (length,) = _FRAME.unpack(size)
        nonce, sealed = stream.read(12), stream.read(length)
        if len(sealed) < length:
            raise BackupError("The backup is cut short: its last part is missing.")
        for final in (False, True):
            try:
                plain = aead.decrypt(nonce, sealed, _frame_aad(aad, index, final))
                break
            except InvalidTag:
                continue
        else:
            raise BackupError(f"The backup does not decrypt at part {index + 1}: the file is damaged.")
        yield plain
        if final:
            if stream.read(1):
                raise BackupError("The backup has data after its last part: the file is damaged.")
            return
        index += 1


def _lines(stream, key: bytes, header: dict) -> Iterator[str]:
    decompressor = zlib.decompressobj(31)
    rest = b""
    for chunk in _frames(stream, key, header):
        rest += decompressor.decompress(chunk)
        *complete, rest = rest.split(b"\n")
        for line in complete:
            yield line.decode()
    rest += decompressor.flush()
    if rest.strip():
        yield rest.decode()


def _records(stream) -> tuple[dict, Iterator]:
    """The header and the serialised records of a backup (either format)."""
    magic = stream.read(len(MAGIC))
    if magic == MAGIC:
        header, key = _header(stream)
        return header, serializers.deserialize("jsonl", _lines(stream, key, header))
    if magic == MAGIC_V1:  # whole-file format of earlier versions
        header, key = _header(stream)
        body = stream.read()
        try:
            data = gzip.decompress(AESGCM(key).decrypt(body[:12], body[12:], _aad(header)))
        except (InvalidTag, ValueError, OSError, zlib.error) as exc:
            raise BackupError(
                "The backup does not decrypt: the file is damaged or was made under another keyring."
            ) from exc
        return header, serializers.deserialize("json", data)
    raise BackupError("This is not a Tandem backup file.")


@dataclass
class RestoreResult:
    objects: int
    created: str


def restore_read(stream) -> RestoreResult:
    """Load a backup into an empty, migrated database, in one transaction: all of it or nothing."""
    organisation = apps.get_model("programmes", "Organisation")
    if organisation.objects.exists():
        raise BackupError("The database is not empty; restore only into a newly migrated instance.")
    header, records = _records(stream)
    count, models = 0, set()
    with transaction.atomic():
        # As loaddata does: rows arrive in dependency order but cycles exist; check keys at the end.
        with connection.constraint_checks_disabled():
            try:
                for obj in records:
                    obj.save()
                    models.add(type(obj.object))
                    count += 1
            except DeserializationError as exc:
                raise BackupError(f"The backup holds a record that cannot be read: {exc}") from exc
        connection.check_constraints(table_names=[m._meta.db_table for m in models])
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
                cursor.execute(sql)
    return RestoreResult(objects=count, created=header["created"])
