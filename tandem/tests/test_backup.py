"""Backup and restore between two real instances that share only the keyring."""

from __future__ import annotations

import json
import shutil

import pytest

from tandem.tests.live import Installation, ManageError
from vault.tests.test_at_rest import json_line, script


@pytest.mark.django_db(databases=[])
def test_backup_restores_into_an_empty_instance_and_everything_decrypts(tmp_path):
    source = Installation.migrated(tmp_path / "source")
    try:
        source.manage("init_keys")
        info = json_line(script(source, "populate('BACKUPMARK')"), "AT_REST")
        before = json_line(script(source, f"try_open({info['client']!r})"), "OPEN")
        backup = tmp_path / "backup.tbk"
        source.manage("backup", "--output", str(backup))
        assert b"BACKUPMARK" not in backup.read_bytes()

        # A newly migrated, empty instance that shares only the keyring.
        target = Installation.migrated(tmp_path / "target")
        try:
            shutil.copy(source.tmp / "keyring.json", target.tmp / "keyring.json")
            out = target.manage("restore", str(backup))
            assert "Audit log verified" in out
            after = json_line(script(target, f"try_open({info['client']!r})"), "OPEN")
            assert after == before and after["refused"] == 0
            target.manage("verify_audit")
            # The restored instance keeps working: new audit entries chain on.
            script(target, "populate('AFTERRESTORE')")
            target.manage("verify_audit")
            # A second restore into the now non-empty instance is refused.
            with pytest.raises(ManageError, match="not empty"):
                target.manage("restore", str(backup))
        finally:
            target.close()
    finally:
        source.close()


@pytest.mark.django_db(databases=[])
def test_backup_does_not_open_without_its_keyring(tmp_path):
    source = Installation.migrated(tmp_path / "a")
    try:
        source.manage("init_keys")
        script(source, "populate('NOKEY')")
        backup = tmp_path / "backup.tbk"
        source.manage("backup", "--output", str(backup))
        other = Installation.migrated(tmp_path / "b")
        try:
            # A different keyring: init_keys makes one, as the migrated database holds nothing sealed yet.
            assert "Created a new keyring" in other.manage("init_keys")
            assert (other.tmp / "keyring.json").read_text() != (source.tmp / "keyring.json").read_text()
            with pytest.raises(ManageError, match="keyring"):
                other.manage("restore", str(backup))
        finally:
            other.close()
    finally:
        source.close()


# The encrypted frame stream itself: large backups are written and read record by record.


def _framed(monkeypatch, lines: list[str], frame_bytes: int = 64) -> tuple[bytes, bytes, dict]:
    import io
    import secrets

    from tandem import backup

    monkeypatch.setattr(backup, "FRAME_BYTES", frame_bytes)
    key, header = secrets.token_bytes(32), {"created": "now", "format": 2}
    out = io.BytesIO()
    writer = backup._EncryptedWriter(out, key, header)
    for line in lines:
        writer.write(line + "\n")
    writer.close()
    return out.getvalue(), key, header


def _read_lines(blob: bytes, key: bytes, header: dict) -> list[str]:
    import io

    from tandem import backup

    return list(backup._lines(io.BytesIO(blob), key, header))


def test_frames_round_trip_across_many_frames(monkeypatch):
    import secrets

    lines = [json.dumps({"n": i, "pad": secrets.token_hex(40)}) for i in range(200)]
    blob, key, header = _framed(monkeypatch, lines)
    assert blob.count(b"pad") == 0
    assert _read_lines(blob, key, header) == lines


def test_a_backup_cut_short_or_reordered_is_refused(monkeypatch):
    import secrets
    import struct

    from tandem.backup import BackupError

    lines = [json.dumps({"n": i, "pad": secrets.token_hex(40)}) for i in range(200)]
    blob, key, header = _framed(monkeypatch, lines)
    frames, at = [], 0
    while at < len(blob):
        (length,) = struct.unpack(">I", blob[at : at + 4])
        frames.append(blob[at : at + 4 + 12 + length])
        at += 4 + 12 + length
    assert len(frames) > 3
    with pytest.raises(BackupError, match="cut short"):
        _read_lines(b"".join(frames[:-1]), key, header)
    with pytest.raises(BackupError, match="part 1"):
        _read_lines(b"".join([frames[1], frames[0], *frames[2:]]), key, header)
    damaged = bytearray(blob)
    damaged[len(frames[0]) + 30] ^= 1
    with pytest.raises(BackupError, match="part 2"):
        _read_lines(bytes(damaged), key, header)
    with pytest.raises(BackupError, match="after its last part"):
        _read_lines(blob + frames[0], key, header)
