"""Time the everyday requests in-process, through the full middleware stack, beside the framework floor.

Each request is made with Django's test client signed in like a member of staff (password, second factor,
fresh re-authentication) or with an API token; server time is the wall time of the call
(time.perf_counter), and the queries it ran are counted with a database execute wrapper. Requests run
round-robin, one of each kind per round, so that the floor and the pages see the same machine load.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponseBase
from django.utils import timezone

from accounts.models import User
from accounts.reauth import REAUTH_SESSION_KEY
from accounts.testing import TandemClient, enrol_totp
from cases.models import Case, Contact
from vault.crypto import key_scope

from .targets import Targets

NOTES_PER_ERASED_CLIENT = 500


class QueryCounter:
    """Counts the statements a request sends to the database (a cheap stand-in for CaptureQueriesContext)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@dataclass
class Spec:
    name: str
    label: str
    call: Callable[[int], HttpResponseBase]  # iteration -> response
    expect: int
    prepare: Callable[[int], None] | None = None
    times_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


def signed_in(user: User) -> TandemClient:
    client = TandemClient()
    client.force_login(user)
    return client


def refresh_reauth(client: TandemClient) -> None:
    session = client.session
    session[REAUTH_SESSION_KEY] = time.time()
    session.save()


def prepare_erasable_clients(targets: Targets, count: int, notes: int = NOTES_PER_ERASED_CLIENT) -> list[Case]:
    """Fresh clients, each with one case in the supervisor's team and `notes` sealed contact notes.

    Made up front, outside the timing, through the cases services (contacts in bulk)."""
    from cases import services

    long_case = Case.objects.select_related("programme", "team").get(pk=targets.long_case_id)
    actor = User.objects.get(username=targets.supervisor)
    when = timezone.now() - dt.timedelta(days=1)
    made = []
    with key_scope():
        for i in range(count):
            with transaction.atomic():
                case = services.enquiry_create(
                    actor=actor,
                    programme=long_case.programme,
                    team=long_case.team,
                    identity={"given_name": "Bench", "family_name": f"Erasure {i:04d}"},
                    referral_source="self",
                    setting="community",
                    participation="voluntary",
                    ideology="other",
                )
                Contact.objects.bulk_create(
                    [
                        Contact(
                            case=case,
                            occurred_at=when - dt.timedelta(hours=n),
                            duration_minutes=45,
                            kind="face_to_face",
                            participants=["client"],
                            recorded_by=actor,
                            note=f"Synthetic note {n} for the erasure benchmark. " * 4,
                        )
                        for n in range(notes)
                    ],
                    batch_size=250,
                )
            made.append(case)
    return made


def build_specs(targets: Targets, rounds: int) -> list[Spec]:
    manager = User.objects.get(username=targets.case_manager)
    supervisor = User.objects.get(username=targets.supervisor)
    for user in (manager, supervisor):
        enrol_totp(user)
    from accounts.services import api_token_issue

    _token, raw_token = api_token_issue(user=manager, name="benchmark", days=1)
    api: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"}
    web_manager, web_supervisor = signed_in(manager), signed_in(supervisor)
    api_client = TandemClient()
    case_id = targets.long_case_id
    erasable = prepare_erasable_clients(targets, rounds)
    contact_time = (timezone.localtime() - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")

    def add_contact(i):
        return web_manager.post(
            f"/cases/{case_id}/contacts/new/",
            {
                "occurred_at": contact_time,
                "duration_minutes": "30",
                "kind": "phone",
                "participants": ["client"],
                "note": f"Benchmark contact {i}: spoke about the week ahead.",
            },
        )

    def erase(i):
        case = erasable[i]
        return web_supervisor.post(f"/cases/{case.pk}/erase/", {"pseudonym": case.client.pseudonym})

    return [
        Spec("floor", "framework floor", lambda i: web_manager.get("/__bench/floor/"), 200),
        Spec("caseload", "caseload page", lambda i: web_manager.get("/"), 200),
        Spec(
            "case_list",
            "filtered case list (page of 50)",
            lambda i: web_supervisor.get("/cases/", {"state": targets.list_state}),
            200,
        ),
        Spec("case_detail", "case page, long timeline", lambda i: web_manager.get(f"/cases/{case_id}/"), 200),
        Spec("contact_add", "add a contact", add_contact, 302),
        Spec(
            "name_lookup",
            "exact-name lookup (case list search)",
            lambda i: web_manager.get("/cases/", {"q": targets.exact_name}),
            200,
        ),
        Spec(
            "api_name_lookup",
            "exact-name lookup (API)",
            lambda i: api_client.post(
                "/api/v1/clients/lookup/", {"name": targets.exact_name}, content_type="application/json", **api
            ),
            200,
        ),
        Spec("api_case_detail", "API case detail", lambda i: api_client.get(f"/api/v1/cases/{case_id}/", **api), 200),
        Spec(
            "erase",
            f"erasure, client with {NOTES_PER_ERASED_CLIENT} notes",
            erase,
            302,
            prepare=lambda i: refresh_reauth(web_supervisor),
        ),
    ]


def run(
    targets: Targets,
    *,
    iterations: int = 30,
    warmup: int = 5,
    only: list[str] | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    rounds = warmup + iterations
    log(f"Preparing {rounds} clients with {NOTES_PER_ERASED_CLIENT} notes each for the erasure benchmark …")
    specs = build_specs(targets, rounds)
    if only:
        specs = [s for s in specs if s.name == "floor" or s.name in only]
    log(f"Timing {len(specs)} requests × {iterations} iterations (+{warmup} warm-up) …")
    for i in range(rounds):
        for spec in specs:
            if spec.prepare:
                spec.prepare(i)
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                start = time.perf_counter()
                response = spec.call(i)
                elapsed = time.perf_counter() - start
            if response.status_code != spec.expect:
                raise RuntimeError(
                    f"{spec.name}: expected HTTP {spec.expect}, got {response.status_code} "
                    f"({response.get('Location', '')})"
                )
            if i >= warmup:
                spec.times_ms.append(elapsed * 1000)
                spec.queries.append(counter.count)
    return summarise(targets, specs, iterations=iterations, warmup=warmup)


def summarise(targets: Targets, specs: list[Spec], *, iterations: int, warmup: int) -> dict:
    floor = next(s for s in specs if s.name == "floor")
    floor_p50, floor_p95 = percentile(floor.times_ms, 50), percentile(floor.times_ms, 95)
    rows = []
    for spec in specs:
        p50, p95 = percentile(spec.times_ms, 50), percentile(spec.times_ms, 95)
        rows.append(
            {
                "name": spec.name,
                "label": spec.label,
                "p50_ms": round(p50, 2),
                "p95_ms": round(p95, 2),
                "mean_ms": round(statistics.fmean(spec.times_ms), 2),
                "max_ms": round(max(spec.times_ms), 2),
                "queries": max(spec.queries),
                "queries_min": min(spec.queries),
                "ratio_p50": round(p50 / floor_p50, 2),
                "ratio_p95": round(p95 / floor_p95, 2),
            }
        )
    return {
        "when": timezone.now().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "iterations": iterations,
        "warmup": warmup,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "settings": settings.SETTINGS_MODULE,
        "targets": targets.as_dict(),
        "data": data_size(),
        "requests": rows,
    }


def data_size() -> dict:
    from audit.models import AuditEntry
    from cases.models import Client

    return {
        "clients": Client.objects.count(),
        "cases": Case.objects.count(),
        "contacts": Contact.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
    }


TARGET_P95_MS = 50.0
TARGET_RATIO = 4.0


def table(result: dict) -> str:
    floor = next(r for r in result["requests"] if r["name"] == "floor")
    lines = [
        f"Tandem benchmark — {result['database']}, {result['data']['cases']} cases, "
        f"{result['data']['contacts']} contacts, {result['iterations']} iterations",
        f"{'request':42} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'×floor p50':>10} {'×floor p95':>10}  target",
    ]
    for r in result["requests"]:
        if r["name"] == "floor":
            verdict = ""
        else:
            ok = r["p95_ms"] <= TARGET_P95_MS and (r["name"] == "erase" or r["ratio_p95"] <= TARGET_RATIO)
            verdict = "ok" if ok else "MISSED"
        queries = str(r["queries"]) if r["queries"] == r["queries_min"] else f"{r['queries_min']}-{r['queries']}"
        lines.append(
            f"{r['label']:42} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {queries:>8} "
            f"{r['ratio_p50']:10.1f} {r['ratio_p95']:10.1f}  {verdict}"
        )
    lines.append(
        f"Targets: p95 ≤ {TARGET_P95_MS:.0f} ms and ≤ {TARGET_RATIO:.0f}× the floor's p95 "
        f"({floor['p95_ms']:.1f} ms); erasure ≤ {TARGET_P95_MS:.0f} ms."
    )
    return "\n".join(lines)


def write(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
