"""A real Tandem server in its own process, on its own database and keyring, for browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"


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


class LiveServer:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TANDEM_", "DJANGO_", "PYTEST"))}
        self.env.update(
            DJANGO_SETTINGS_MODULE="tandem.settings",
            TANDEM_VAR_DIR=str(tmp),
            TANDEM_KEYRING_FILE=str(tmp / "keyring.json"),
        )
        self.pg_name = None
        base = os.environ.get("DATABASE_URL", "")
        if base.startswith("postgres"):
            self.pg_name = f"tandem_live_{uuid.uuid4().hex[:8]}"
            self.admin_url = base.rsplit("/", 1)[0] + "/postgres"
            self.env["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + self.pg_name
            subprocess.run(
                ["psql", self.admin_url, "-q", "-c", f'CREATE DATABASE "{self.pg_name}"'],
                check=True,
                capture_output=True,
            )
        else:
            self.env.pop("DATABASE_URL", None)
        self.process: subprocess.Popen | None = None
        self.log = tmp / "server.log"

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=600
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def start(self) -> LiveServer:
        self.manage("init_keys")
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("seed_demo", "--if-empty")
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
                    raise RuntimeError("the server stopped:\n" + self.log.read_text()[-3000:]) from None
                time.sleep(0.3)
        raise RuntimeError("the server did not answer within 60 s:\n" + self.log.read_text()[-3000:])

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.pg_name:
            subprocess.run(
                ["psql", self.admin_url, "-q", "-c", f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)'],
                capture_output=True,
            )


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
