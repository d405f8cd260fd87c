"""Sentinel and erasure tests against a real database file (or PostgreSQL database), in real processes."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Instance:
    """A separate Tandem installation: own keyring, own database, own processes."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TANDEM_", "DJANGO_", "PYTEST"))}
        self.env.update(
            DJANGO_SETTINGS_MODULE="tandem.settings",
            TANDEM_VAR_DIR=str(tmp),
            TANDEM_KEYRING_FILE=str(tmp / "keyring.json"),
            TANDEM_LOG_LEVEL="DEBUG",
        )
        self.pg_name = None
        base = os.environ.get("DATABASE_URL", "")
        if base.startswith("postgres"):
            self.pg_name = f"tandem_at_rest_{uuid.uuid4().hex[:8]}"
            self.admin_url = base.rsplit("/", 1)[0] + "/postgres"
            self.env["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + self.pg_name
            self.psql(f'CREATE DATABASE "{self.pg_name}"')
        else:
            self.env.pop("DATABASE_URL", None)
        self.logs: list[str] = []

    def psql(self, sql: str) -> None:
        subprocess.run(["psql", self.admin_url, "-q", "-c", sql], check=True, capture_output=True)

    def manage(self, *args: str, env: dict | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        self.logs += [result.stdout, result.stderr]
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def script(self, call: str, env: dict | None = None) -> str:
        return self.manage("shell", "-c", f"from vault.tests import at_rest_script as s; s.{call}", env=env)

    def raw_storage(self) -> bytes:
        if self.pg_name:
            dump = subprocess.run(["pg_dump", self.env["DATABASE_URL"]], capture_output=True, check=True)
            return dump.stdout
        db = self.tmp / "tandem.sqlite3"
        con = sqlite3.connect(db)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        return b"".join(p.read_bytes() for p in self.tmp.glob("tandem.sqlite3*"))

    def close(self) -> None:
        if self.pg_name:
            self.psql(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


@pytest.fixture
def instance(tmp_path):
    inst = Instance(tmp_path)
    inst.manage("init_keys")
    inst.manage("migrate", "--no-input", "-v", "0")
    yield inst
    inst.close()


def _json_line(output: str, prefix: str) -> dict:
    line = next(each for each in output.splitlines() if each.startswith(prefix + " "))
    return json.loads(line[len(prefix) + 1 :])


@pytest.mark.django_db(databases=[])
def test_sentinel_appears_nowhere_in_storage_logs_or_dump(instance):
    marker = "SENTINEL" + uuid.uuid4().hex.upper()
    info = _json_line(instance.script(f"populate({marker!r})"), "AT_REST")
    assert info["missing"] == [], f"sealed fields the sentinel did not reach: {info['missing']}"
    dump = instance.manage("dumpdata", "--indent", "1")
    storage = instance.raw_storage()
    assert marker.encode() not in storage
    from vault.tests.at_rest_script import SENTINEL_DATE

    assert SENTINEL_DATE.encode() not in storage and SENTINEL_DATE not in dump
    assert marker.lower().encode() not in storage.lower()
    assert marker not in dump
    assert not any(marker in log for log in instance.logs[2:] if log is not dump)
    # The dump holds the sealed values (as ciphertext), so it is a real dump of the data.
    assert '"note": "' in dump and '"model": "cases.contact"' in dump


@pytest.mark.django_db(databases=[])
def test_erased_client_cannot_be_decrypted_live_or_in_a_copy_taken_afterwards(instance, tmp_path):
    marker = "ERASE" + uuid.uuid4().hex.upper()
    info = _json_line(instance.script(f"populate({marker!r})"), "AT_REST")
    client = info["client"]
    before = _json_line(instance.script(f"try_open({client!r})"), "OPEN")
    assert before["opened"] >= 10 and before["refused"] == 0
    instance.script(f"erase({client!r})")
    live = _json_line(instance.script(f"try_open({client!r})"), "OPEN")
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
        copied = _json_line(instance.script(f"try_open({client!r})", env=env), "OPEN")
        assert copied == {"opened": 0, "refused": before["opened"]}
