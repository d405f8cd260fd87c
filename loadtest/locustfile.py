"""Simulated staff for the load test: each signs in with password and TOTP, then works on their own cases,
80% reads and 20% writes. Started by loadtest/run.py (`make load`, `make load-ramp`).

TANDEM_LOAD_ACCOUNTS names the JSON file of loadtest/provision.py (accounts with their cases and clients'
names); TANDEM_LOAD_RAMP=1 adds the step shape, which raises the load until p95 passes the limit.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import threading
from base64 import b32decode
from pathlib import Path

from django_otp.oath import totp
from locust import LoadTestShape, between, events, task
from locust.contrib.fasthttp import FastHttpUser

ACCOUNTS = json.loads(Path(os.environ["TANDEM_LOAD_ACCOUNTS"]).read_text())
_next_account = itertools.count()
_lock = threading.Lock()
FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def form_token(page: str) -> str:
    found = FORM_TOKEN.search(page)
    if found is None:
        raise RuntimeError("the page has no form token")
    return found.group(1)


HEADER_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')
WAIT = [float(x) for x in os.environ.get("TANDEM_LOAD_WAIT", "1,3").split(",")]


def code(secret: str) -> str:
    key = b32decode(secret.upper() + "=" * (-len(secret) % 8))
    return f"{totp(key, step=30, digits=6):06d}"


class Staff(FastHttpUser):
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        with _lock:  # every simulated person is a distinct account: a TOTP code works once per account
            self.account = ACCOUNTS["staff"][next(_next_account) % len(ACCOUNTS["staff"])]
        self.cases = self.account["cases"]
        page = self.client.get("/accounts/login/", name="sign-in").text
        self.client.post(
            "/accounts/login/",
            name="sign-in",
            allow_redirects=False,
            data={
                "username": self.account["username"],
                "password": ACCOUNTS["password"],
                "csrfmiddlewaretoken": form_token(page),
            },
        )
        page = self.client.get("/accounts/second-factor/", name="second factor").text
        with self.client.post(
            "/accounts/second-factor/",
            name="second factor",
            allow_redirects=False,
            catch_response=True,
            data={"code": code(ACCOUNTS["totp_secret"]), "csrfmiddlewaretoken": form_token(page)},
        ) as r:
            if r.status_code != 302:
                r.failure(f"sign-in of {self.account['username']} did not complete ({r.status_code})")
        self.caseload()

    def _token(self, text: str) -> None:
        match = HEADER_TOKEN.search(text)
        if match:
            self.csrf = match.group(1)

    # Reads: 80 of 100 -------------------------------------------------------------------------------------

    @task(20)
    def caseload(self) -> None:
        with self.client.get("/", name="caseload", catch_response=True) as r:
            self._token(r.text)

    @task(15)
    def case_list(self) -> None:
        self.client.get("/cases/", name="case list")

    @task(25)
    def case_page(self) -> None:
        self.client.get(f"/cases/{random.choice(self.cases)}/", name="case page")  # nosec B311 # load generation: which case to visit, not a secret

    @task(10)
    def api_case_detail(self) -> None:
        self.client.get(f"/api/v1/cases/{random.choice(self.cases)}/", name="API case detail")  # nosec B311 # load generation: which case to visit, not a secret

    @task(10)
    def name_lookup(self) -> None:
        with self.client.post(
            "/api/v1/clients/lookup/",
            name="API name lookup",
            catch_response=True,
            json={"name": random.choice(self.account["names"])},  # nosec B311 # load generation: which case to visit, not a secret
            headers={"X-CSRFToken": self.csrf},
        ) as r:
            if r.status_code == 200 and not r.json()["results"]:
                r.failure("the lookup found none of the user's own clients")

    # Writes: 20 of 100 ------------------------------------------------------------------------------------

    @task(15)
    def contact_add(self) -> None:
        case = random.choice(self.cases)  # nosec B311 # load generation: which case to visit, not a secret
        when = (dt.datetime.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
        with self.client.post(
            f"/cases/{case}/contacts/new/",
            name="contact add",
            allow_redirects=False,
            catch_response=True,
            data={
                "csrfmiddlewaretoken": self.csrf,
                "occurred_at": when,
                "duration_minutes": "45",
                "kind": "face_to_face",
                "participants": "client",
                "note": "Talked about the week ahead; next meeting agreed.",
            },
        ) as r:
            if r.status_code != 302:
                r.failure(f"contact not recorded ({r.status_code})")

    @task(5)
    def api_contact_add(self) -> None:
        case = random.choice(self.cases)  # nosec B311 # load generation: which case to visit, not a secret
        self.client.post(
            f"/api/v1/cases/{case}/contacts/",
            name="API contact add",
            headers={"X-CSRFToken": self.csrf},
            json={
                "occurred_at": (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat(),
                "duration_minutes": 20,
                "kind": "phone",
                "participants": ["client"],
                "note": "Short call.",
            },
        )


if os.environ.get("TANDEM_LOAD_RAMP"):

    class StepUntilSlow(LoadTestShape):
        """Adds users step by step; each step's throughput counts if its p95 stays within the limit and it had
        no error. Stops at the first step whose p95 passes the limit (or at the most users)."""

        step_users = int(os.environ.get("TANDEM_RAMP_STEP_USERS", 20))
        step_seconds = int(os.environ.get("TANDEM_RAMP_STEP_SECONDS", 45))
        max_users = int(os.environ.get("TANDEM_RAMP_MAX_USERS", 400))
        limit_ms = float(os.environ.get("TANDEM_RAMP_P95_MS", 200))
        results: list[dict] = []

        def __init__(self) -> None:
            super().__init__()
            self.step = 0
            self.mark = (0, 0, 0.0)
            self.done = False

        def tick(self):
            run_time = self.get_run_time()
            step = int(run_time // self.step_seconds)
            if step != self.step:
                if self._close_step(run_time):
                    return None
                self.step = step
            users = (self.step + 1) * self.step_users
            if self.done or users > self.max_users:
                return None
            return users, self.step_users

        def _close_step(self, run_time: float) -> bool:
            total = self.runner.stats.total
            requests, failures, started = self.mark
            seconds = run_time - started
            p95 = total.get_current_response_time_percentile(0.95) or 0
            result = {
                "users": (self.step + 1) * self.step_users,
                "rps": (total.num_requests - requests) / seconds,
                "errors": total.num_failures - failures,
                "p95_ms": p95,
            }
            self.results.append(result)
            print(
                f"ramp step: {result['users']} users, {result['rps']:.1f} req/s, p95 {p95:.0f} ms, "
                f"{result['errors']} errors",
                flush=True,
            )
            self.mark = (total.num_requests, total.num_failures, run_time)
            self.done = p95 > self.limit_ms
            return self.done

    @events.quitting.add_listener
    def _write_ramp(environment, **_kwargs) -> None:
        out = os.environ.get("TANDEM_RAMP_OUT")
        if out:
            with open(out, "w") as handle:
                json.dump(StepUntilSlow.results, handle, indent=1)
