"""Faults, nothing lost: the production set-up (gunicorn, production settings, PostgreSQL) under a write load.

- kill -9 of a worker and then of the master: every write the app acknowledged is in the database after the
  restart, and the audit chain verifies;
- PostgreSQL stopped during the load: 503 with a clear message (never a 500, never a hang), and the app answers
  again by itself once the database is back.

`make faults` runs them; CI runs them at this small size. They use PostgreSQL themselves, also when the suite
runs on SQLite.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest

from loadtest import harness

pytestmark = [pytest.mark.fault]

REQUEST_TIMEOUT = 15  # seconds; a request that takes longer during an outage counts as a hang


def call(url: str, *, token: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, bytes, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url,
        data=data,
        method="POST" if body is not None else "GET",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def contact_body(marker: str) -> dict:
    return {
        "occurred_at": (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat(),
        "duration_minutes": 30,
        "kind": "phone",
        "participants": ["client"],
        "note": marker,
    }


class WriteLoad:
    """Threads that record contacts through the API as fast as they can and keep every acknowledged id."""

    def __init__(self, base_url: str, writers: list[tuple[str, str]]) -> None:
        self.base_url = base_url
        self.writers = writers
        self.acknowledged: list[str] = []
        self.statuses: list[int] = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._loop, args=(token, case), daemon=True) for token, case in writers]

    def _loop(self, token: str, case_id: str) -> None:
        n = 0
        while not self.stopping.is_set():
            n += 1
            try:
                status, body, _headers = call(
                    f"{self.base_url}/api/v1/cases/{case_id}/contacts/",
                    token=token,
                    body=contact_body(f"fault-test write {n}"),
                )
            # Refused, reset, or cut off mid-answer by the kill (IncompleteRead): not acknowledged.
            except (OSError, http.client.HTTPException):
                status, body = 0, b""
                time.sleep(0.05)
            with self.lock:
                self.statuses.append(status)
                if status == 201:
                    self.acknowledged.append(json.loads(body)["id"])

    def count(self) -> int:
        with self.lock:
            return len(self.acknowledged)

    def wait_for_more(self, n: int, timeout: float = 60) -> None:
        target = self.count() + n
        deadline = time.monotonic() + timeout
        while self.count() < target:
            assert time.monotonic() < deadline, f"fewer than {n} writes acknowledged within {timeout} s"
            time.sleep(0.1)

    def __enter__(self) -> WriteLoad:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)


@pytest.fixture
def machine_postgres():
    url = harness.server_url()
    if not harness.postgres_reachable(url):
        pytest.skip(f"no PostgreSQL server answers at {url}")
    name = f"tandem_fault_{uuid.uuid4().hex[:8]}"
    yield harness.create_database(url, name)
    harness.drop_database(url, name)


@pytest.fixture
def private_cluster():
    try:
        cluster = harness.PrivateCluster().init()
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    cluster.start()
    yield cluster
    cluster.destroy()


def start_server(tmp_path, database_url: str, staff: int = 4) -> tuple[harness.ProductionServer, list[tuple[str, str]]]:
    server = harness.ProductionServer(tmp_path / "app", database_url, workers=2)
    accounts = server.prepare(staff=staff, cases_per_staff=1, tokens=True)
    writers = [(entry["token"], entry["cases"][0]) for entry in accounts["staff"]]
    return server.start(), writers


def test_kill_9_loses_no_acknowledged_write_and_the_audit_chain_verifies(tmp_path, machine_postgres):
    import psycopg

    server, writers = start_server(tmp_path, machine_postgres)
    try:
        with WriteLoad(server.url, writers) as load:
            load.wait_for_more(20)
            server.kill_worker()  # the master replaces it
            load.wait_for_more(20)
            server.kill_master()  # the whole app is gone, mid-write
            down_at = load.count()
            server.start()
            load.wait_for_more(20)
        assert load.count() > down_at
    finally:
        server.stop()
    with psycopg.connect(machine_postgres) as conn:
        stored = {str(row[0]) for row in conn.execute("SELECT id FROM cases_contact")}
    missing = set(load.acknowledged) - stored
    assert not missing, f"{len(missing)} of {len(load.acknowledged)} acknowledged writes are missing"
    assert 500 not in load.statuses
    verified = server.manage("verify_audit")
    assert "verified" in verified.lower(), verified


def test_database_outage_answers_503_and_the_app_recovers_by_itself(tmp_path, private_cluster):
    database_url = harness.create_database(private_cluster.url, "tandem_outage")
    server, writers = start_server(tmp_path, database_url, staff=2)
    token, case_id = writers[0]
    detail = f"{server.url}/api/v1/cases/{case_id}/"
    try:
        assert call(detail, token=token)[0] == 200
        with WriteLoad(server.url, writers) as load:
            load.wait_for_more(10)
            private_cluster.stop("fast")
            outage = load.statuses.__len__()
            for _ in range(10):
                started = time.monotonic()
                status, body, headers = call(detail, token=token)
                assert time.monotonic() - started < REQUEST_TIMEOUT
                assert status == 503, (status, body[:500])
                assert "cannot reach its database" in json.loads(body)["detail"]
                assert headers.get("Retry-After") == "30"
            # A page (the session is read from the database) in German.
            request = urllib.request.Request(
                server.url + "/",
                headers={"Cookie": "tandem-session=abcdefghijklmnopqrstuvwxyz012345", "Accept-Language": "de"},
            )
            with pytest.raises(urllib.error.HTTPError) as page:
                urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT)
            assert page.value.code == 503
            assert "Datenbank" in page.value.read().decode()
            during = load.statuses[outage:]
            private_cluster.start()
            deadline = time.monotonic() + 60
            while call(detail, token=token)[0] != 200:
                assert time.monotonic() < deadline, "the app did not recover within 60 s of the database's return"
                time.sleep(0.5)
            load.wait_for_more(10)
        assert during and set(during) <= {201, 503}, sorted(set(during))
        assert 500 not in load.statuses
        for _ in range(5):
            assert call(detail, token=token)[0] == 200
    finally:
        server.stop()
