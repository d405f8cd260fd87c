"""Separate Tandem installations in their own processes, each on its own database, keyring and var directory:
for the tests of backup, encryption at rest, API fuzzing and the browser.

Migrating (and seeding the demo) takes seconds of CPU per installation, so each test process does it once into
a template and every installation clones it: a copy of the SQLite file, or ``CREATE DATABASE … TEMPLATE`` on
PostgreSQL."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Literal, Self

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# The demo data is sealed under the demo template's keyring: the files travel with its database.
KEY_FILES = ("keyring.json", "secret_key")


def require_chromium() -> None:
    """Browser tests need Debian's chromium: skipped without it, except in CI where they must run."""
    import pytest

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI runs the browser tests: install Debian's chromium (make test does it as root).")
        pytest.skip("Debian's chromium is not installed (make test installs it when run as root)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ManageError(RuntimeError):
    """A manage.py command of an installation failed; the message ends with what it wrote to stderr."""


class Installation:
    """A separate Tandem installation: own var directory (keyring, secret key, SQLite file), own database (on
    DATABASE_URL's server when that is PostgreSQL), own processes. Made with ``migrated`` or ``demo``."""

    def __init__(self, tmp: Path, *, log_level: str | None = None) -> None:
        tmp.mkdir(parents=True, exist_ok=True)
        self.tmp = tmp
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TANDEM_", "DJANGO_", "PYTEST"))}
        self.env.update(
            DJANGO_SETTINGS_MODULE="tandem.settings",
            TANDEM_VAR_DIR=str(tmp),
            TANDEM_KEYRING_FILE=str(tmp / "keyring.json"),
        )
        if log_level:
            self.env["TANDEM_LOG_LEVEL"] = log_level
        self.pg_name: str | None = None
        base = os.environ.get("DATABASE_URL", "")
        if base.startswith("postgres"):
            server = base.rsplit("/", 1)[0]
            self.pg_name = f"tandem_inst_{uuid.uuid4().hex[:8]}"
            self.admin_url = server + "/postgres"
            self.env["DATABASE_URL"] = f"{server}/{self.pg_name}"
        else:
            self.env.pop("DATABASE_URL", None)
        self.logs: list[str] = []  # stdout and stderr of every manage.py command, in order

    @classmethod
    def migrated(cls, tmp: Path, **options) -> Self:
        """A newly migrated, empty installation with no keyring yet: run ``init_keys`` or copy a keyring in
        (the empty database holds nothing sealed, so any keyring is accepted)."""
        return cls(tmp, **options)._clone(_template("migrated"))

    @classmethod
    def demo(cls, tmp: Path, **options) -> Self:
        """An installation with the demo programme, with its own copy of the keyring the demo is sealed under."""
        return cls(tmp, **options)._clone(_template("demo"), KEY_FILES)

    @property
    def sqlite_file(self) -> Path:
        return self.tmp / "tandem.sqlite3"

    def psql(self, sql: str) -> None:
        subprocess.run(["psql", self.admin_url, "-q", "-c", sql], check=True, capture_output=True)

    def manage(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        self.logs += [result.stdout, result.stderr]
        if result.returncode != 0:
            raise ManageError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def raw_storage(self) -> bytes:
        """Everything the database keeps: a dump on PostgreSQL, the files (checkpointed) on SQLite."""
        if self.pg_name:
            return subprocess.run(["pg_dump", self.env["DATABASE_URL"]], capture_output=True, check=True).stdout
        self._checkpoint()
        return b"".join(p.read_bytes() for p in self.tmp.glob("tandem.sqlite3*"))

    def close(self) -> None:
        if self.pg_name:
            subprocess.run(
                ["psql", self.admin_url, "-q", "-c", f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)'],
                capture_output=True,
            )

    def _checkpoint(self) -> None:
        """Moves the write-ahead log into the SQLite file, so that the file alone holds the database."""
        connection = sqlite3.connect(self.sqlite_file)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()

    def _clone(self, template: Installation, files: tuple[str, ...] = ()) -> Self:
        if self.pg_name:
            self.psql(f'CREATE DATABASE "{self.pg_name}" TEMPLATE "{template.pg_name}"')
        else:
            shutil.copyfile(template.sqlite_file, self.sqlite_file)
        for name in files:
            shutil.copy2(template.tmp / name, self.tmp / name)  # with its owner-only mode
        return self


_TEMPLATES: dict[str, Installation] = {}


def _template(kind: Literal["migrated", "demo"]) -> Installation:
    """This process's template installation of ``kind``, built on first use and removed when the process exits."""
    if kind in _TEMPLATES:
        return _TEMPLATES[kind]
    template = Installation(Path(tempfile.mkdtemp(prefix=f"tandem-{kind}-template-")))
    atexit.register(shutil.rmtree, template.tmp, ignore_errors=True)
    atexit.register(template.close)
    if kind == "migrated":
        if template.pg_name:
            template.psql(f'CREATE DATABASE "{template.pg_name}"')
        template.manage("migrate", "--no-input", "-v", "0")
    else:
        template._clone(_template("migrated"))
        template.manage("init_keys")
        template.manage("seed_demo", "--if-empty")
    if not template.pg_name:
        template._checkpoint()
    _TEMPLATES[kind] = template
    return template


class LiveServer(Installation):
    """An installation serving HTTP on a free port (Django's runserver) until ``stop``."""

    def __init__(self, tmp: Path, **options) -> None:
        super().__init__(tmp, **options)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = tmp / "server.log"

    def start(self) -> Self:
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/accounts/login/", timeout=2)
                return self
            except OSError:
                if self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("the server stopped:\n" + self.log.read_text()[-3000:]) from None
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the server did not answer within 60 s:\n" + self.log.read_text()[-3000:])

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.close()


_LAST_CODE: dict[str, str] = {}


def fresh_code(secret: str, key: str) -> str:
    """The current code for ``secret``; if it was just used for ``key`` (a code works once), the next one."""
    import time

    from accounts.otp import totp_code

    code = totp_code(secret)
    while code == _LAST_CODE.get(key):
        time.sleep(1)
        code = totp_code(secret)
    _LAST_CODE[key] = code
    return code


def sign_in(page, server: LiveServer, username: str) -> None:
    """Sign in through the real sign-in pages as a demo user, with the password and the demo second factor
    (every demo user's authenticator has the documented demo secret); every browser test uses this."""
    from demo.content import DEMO_PASSWORD, DEMO_TOTP_SECRET

    page.goto(server.url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/accounts/second-factor/**")
    page.fill("input[name=code]", fresh_code(DEMO_TOTP_SECRET, username))
    page.press("input[name=code]", "Enter")
    page.wait_for_url(server.url + "/")
