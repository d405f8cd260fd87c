"""Sentinel and erasure tests against a real database file (or PostgreSQL database), in real processes."""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid

import pytest

from tandem.tests.live import Installation


def script(installation: Installation, call: str, env: dict[str, str] | None = None) -> str:
    """Runs a function of vault.tests.at_rest_script inside the installation (manage.py shell)."""
    return installation.manage("shell", "-c", f"from vault.tests import at_rest_script as s; s.{call}", env=env)


@pytest.fixture
def instance(tmp_path):
    inst = Installation.migrated(tmp_path, log_level="DEBUG")
    inst.manage("init_keys")
    yield inst
    inst.close()


def json_line(output: str, prefix: str) -> dict:
    line = next(text for text in output.splitlines() if text.startswith(prefix + " "))
    return json.loads(line[len(prefix) + 1 :])


@pytest.mark.django_db(databases=[])
def test_sentinel_appears_nowhere_in_storage_logs_or_dump(instance):
    marker = "SENTINEL" + uuid.uuid4().hex.upper()
    info = json_line(script(instance, f"populate({marker!r})"), "AT_REST")
    assert info["missing"] == [], f"sealed fields the sentinel did not reach: {info['missing']}"
    dump = instance.manage("dumpdata", "--indent", "1")
    storage = instance.raw_storage()
    assert marker.encode() not in storage
    from vault.tests.at_rest_script import SENTINEL_DATE

    assert SENTINEL_DATE.encode() not in storage and SENTINEL_DATE not in dump
    assert marker.lower().encode() not in storage.lower()
    assert marker not in dump
    assert not any(marker in log for log in instance.logs if log is not dump)
    # The dump holds the sealed values (as ciphertext), so it is a real dump of the data.
    assert '"note": "' in dump and '"model": "cases.contact"' in dump


@pytest.mark.django_db(databases=[])
def test_erased_client_cannot_be_decrypted_live_or_in_a_copy_taken_afterwards(instance, tmp_path):
    marker = "ERASE" + uuid.uuid4().hex.upper()
    info = json_line(script(instance, f"populate({marker!r})"), "AT_REST")
    client = info["client"]
    before = json_line(script(instance, f"try_open({client!r})"), "OPEN")
    assert before["opened"] >= 10 and before["refused"] == 0
    script(instance, f"erase({client!r})")
    live = json_line(script(instance, f"try_open({client!r})"), "OPEN")
    assert live == {"opened": 0, "refused": before["opened"]}
    # A copy taken after the erasure holds neither the data key nor anything that opens.
    storage = instance.raw_storage()
    assert bytes.fromhex(info["wrapped"]) not in storage
    assert info["wrapped"].encode() not in storage
    if not instance.pg_name:
        copy_dir = tmp_path / "copy"
        copy_dir.mkdir()
        src = sqlite3.connect(instance.tmp / "tandem.sqlite3")
        dst = sqlite3.connect(copy_dir / "tandem.sqlite3")
        src.backup(dst)
        src.close()
        dst.close()
        shutil.copy(instance.tmp / "keyring.json", copy_dir / "keyring.json")
        env = dict(instance.env, TANDEM_VAR_DIR=str(copy_dir), TANDEM_KEYRING_FILE=str(copy_dir / "keyring.json"))
        copied = json_line(script(instance, f"try_open({client!r})", env=env), "OPEN")
        assert copied == {"opened": 0, "refused": before["opened"]}
