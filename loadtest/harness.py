"""The production set-up on this machine, for the load and fault tests: gunicorn with the production settings
on 127.0.0.1, against its own PostgreSQL database (on the machine's server or on a private cluster).

Plain HTTP on loopback needs two documented relaxations, set only here: TANDEM_SSL_REDIRECT=false and
TANDEM_INSECURE_LOOPBACK_COOKIES=true (refused by the settings unless every allowed host is a loopback name).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess  # nosec B404 # runs the product's own manage.py, gunicorn and PostgreSQL tools, never user input
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path(os.environ.get("TANDEM_PG_BIN", "/usr/lib/postgresql/15/bin"))
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_url() -> str:
    """The PostgreSQL server to create databases on: DATABASE_URL's server when it is PostgreSQL."""
    base = os.environ.get("DATABASE_URL", "")
    return base.rsplit("/", 1)[0] if base.startswith("postgres") else DEFAULT_SERVER_URL


def postgres_reachable(url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(url + "/postgres", connect_timeout=3).close()
        return True
    except psycopg.Error:
        return False


def create_database(url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(url + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{url}/{name}"


def drop_database(url: str, name: str) -> None:
    import psycopg

    try:
        with psycopg.connect(url + "/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error:
        pass


class PrivateCluster:
    """A PostgreSQL cluster of its own (initdb + pg_ctl on a free port), which a test may stop and start."""

    def __init__(self) -> None:
        if not (PG_BIN / "initdb").exists():
            raise FileNotFoundError(f"PostgreSQL's server binaries are not in {PG_BIN} (set TANDEM_PG_BIN)")
        self.dir = Path(tempfile.mkdtemp(prefix="tandem-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}"
        # PostgreSQL refuses to run as root: the cluster belongs to the postgres account then.
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.prefix:
            shutil.chown(self.dir, "postgres", "postgres")

    def _run(self, *args: str, timeout: float = 60) -> None:
        result = subprocess.run([*self.prefix, *args], capture_output=True, text=True, timeout=timeout)  # nosec B603 # fixed PostgreSQL tool paths and arguments built here
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")

    def init(self) -> PrivateCluster:
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-instructions",
        )
        return self

    def start(self) -> None:
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.dir / "postgres.log"),
            "-w",
            "start",
            "-o",
            f"-p {self.port} -h 127.0.0.1 -k {self.dir} -c fsync=off -c max_connections=50",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "stop", "-m", mode)

    def destroy(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class ProductionServer:
    """gunicorn -c tandem/gunicorn.conf.py with tandem.settings_production, its own var directory and keyring."""

    def __init__(self, workdir: Path, database_url: str, *, workers: int = 2, port: int | None = None) -> None:
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TANDEM_", "DJANGO_", "PYTEST"))}
        self.env.update(
            DJANGO_SETTINGS_MODULE="tandem.settings_production",
            TANDEM_SECRET_KEY=secrets.token_urlsafe(50),
            TANDEM_ALLOWED_HOSTS="127.0.0.1",
            TANDEM_SSL_REDIRECT="false",
            TANDEM_INSECURE_LOOPBACK_COOKIES="true",
            TANDEM_VAR_DIR=str(self.workdir),
            TANDEM_KEYRING_FILE=str(self.workdir / "keyring.json"),
            TANDEM_STATIC_ROOT=str(self.workdir / "static"),
            TANDEM_BIND=f"127.0.0.1:{self.port}",
            TANDEM_WORKERS=str(workers),
            TANDEM_ACCESS_LOG=str(self.workdir / "access.log"),
            DATABASE_URL=database_url,
        )
        self.process: subprocess.Popen | None = None
        self.log = self.workdir / "gunicorn.log"

    def manage(self, *args: str, timeout: float = 900) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,  # nosec B603 # the product's own manage.py
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
        return result.stdout

    def prepare(self, *, staff: int, cases_per_staff: int, tokens: bool = False) -> dict:
        """Keyring, schema, static files and the load accounts, as docs/production.md does them."""
        self.manage("init_keys")
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")
        accounts = self.workdir / "accounts.json"
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "loadtest.provision",
                "--staff",
                str(staff),  # nosec B603 # the product's own provisioning module
                "--cases-per-staff",
                str(cases_per_staff),
                "--out",
                str(accounts),
                *(["--tokens"] if tokens else []),
            ],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if result.returncode != 0:
            raise RuntimeError(f"provisioning failed:\n{result.stderr[-3000:]}")
        return json.loads(accounts.read_text())

    def start(self, timeout: float = 60) -> ProductionServer:
        self.process = subprocess.Popen(  # nosec B603 # gunicorn with the product's configuration
            [sys.executable, "-m", "gunicorn", "-c", "tandem/gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/accounts/login/", timeout=5)  # nosec B310 # a loopback http:// URL built by the harness
                return self
            except (OSError, urllib.error.HTTPError):
                if self.process.poll() is not None:
                    raise RuntimeError("gunicorn stopped:\n" + self.log.read_text()[-3000:]) from None
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n" + self.log.read_text()[-3000:])

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    @staticmethod
    def rss_mib(pid: int) -> float | None:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def kill_worker(self) -> int:
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_master(self) -> None:
        """kill -9 the master; its workers notice that their parent is gone, and what is left is killed too."""
        if self.process is None:
            raise RuntimeError("The server was not started.")
        workers = self.worker_pids()
        self.process.kill()
        self.process.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
            time.sleep(0.2)
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None
