"""Backup and restore between two real instances that share only the keyring."""

from __future__ import annotations

import json
import shutil

import pytest

from vault.tests.test_at_rest import Instance, _json_line


@pytest.mark.django_db(databases=[])
def test_backup_restores_into_an_empty_instance_and_everything_decrypts(tmp_path):
    source = Instance(tmp_path / "source")
    (tmp_path / "source").mkdir(exist_ok=True)
    target_dir = tmp_path / "target"
    target_dir.mkdir()
    try:
        source.manage("init_keys")
        source.manage("migrate", "--no-input", "-v", "0")
        info = _json_line(source.script("populate('BACKUPMARK')"), "AT_REST")
        before = _json_line(source.script(f"try_open({info['client']!r})"), "OPEN")
        backup = tmp_path / "backup.tbk"
        source.manage("backup", "--output", str(backup))
        assert b"BACKUPMARK" not in backup.read_bytes()

        target = Instance(target_dir)
        try:
            shutil.copy(tmp_path / "source" / "keyring.json", target_dir / "keyring.json")
            target.manage("migrate", "--no-input", "-v", "0")
            out = target.manage("restore", str(backup))
            assert "Audit log verified" in out
            after = _json_line(target.script(f"try_open({info['client']!r})"), "OPEN")
            assert after == before and after["refused"] == 0
            target.manage("verify_audit")
            # The restored instance keeps working: new audit entries chain on.
            target.script("populate('AFTERRESTORE')")
            target.manage("verify_audit")
            # A second restore into the now non-empty instance is refused.
            with pytest.raises(AssertionError, match="not empty"):
                target.manage("restore", str(backup))
        finally:
            target.close()
    finally:
        source.close()


@pytest.mark.django_db(databases=[])
def test_backup_does_not_open_without_its_keyring(tmp_path):
    source = Instance(tmp_path / "a")
    (tmp_path / "a").mkdir(exist_ok=True)
    (tmp_path / "b").mkdir()
    try:
        source.manage("init_keys")
        source.manage("migrate", "--no-input", "-v", "0")
        source.script("populate('NOKEY')")
        backup = tmp_path / "backup.tbk"
        source.manage("backup", "--output", str(backup))
        other = Instance(tmp_path / "b")
        try:
            other.manage("init_keys")  # a different keyring
            other.manage("migrate", "--no-input", "-v", "0")
            with pytest.raises(AssertionError, match="keyring"):
                other.manage("restore", str(backup))
        finally:
            other.close()
    finally:
        source.close()
    assert json  # the module's helpers parse the scripts' JSON lines
