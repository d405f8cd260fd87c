"""`make bench-concurrency`: several app processes at once against one database, and the audit log's share.

    python -m bench.concurrency --size small --processes 4 --seconds 20 [--db postgres]

Every read is audited, so every request appends to the hash-chained log under a row lock on its head.
Each process signs in and issues the everyday requests round-robin (caseload, case page, filtered list,
API case detail, add a contact) for the given time. Inside these benchmark processes only, the audit
append (audit.services.audit_record) is wrapped with a timer, and the statement that takes the chain's
head lock is timed on its own, so the report shows how much of the request time is spent appending to
the log and how much of that is waiting for the lock. Afterwards the whole chain is verified.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

from . import run as cli

REQUESTS = ("caseload", "case_detail", "case_list", "api_case_detail", "contact_add")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench-concurrency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=cli.SIZES, default=os.environ.get("SIZE") or "small")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default=os.environ.get("DB") or "postgres")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0, help="How long each process sends requests.")
    parser.add_argument("--max-requests", type=int, default=5000, help="Upper bound of requests per process.")
    parser.add_argument(
        "--data-dir", type=Path, default=Path(os.environ.get("BENCH_DATA_DIR") or cli.BASE_DIR / "var" / "bench-data")
    )
    parser.add_argument("--var-dir", type=Path, help="As for `make bench`: a var directory used as it is.")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    if args.processes < 1 or args.seconds <= 0 or args.max_requests < 1:
        parser.error("--processes, --seconds and --max-requests must be positive")
    return args


class AuditTimer:
    """Wraps audit_record wherever it was imported, and times the statement that locks the chain's head."""

    def __init__(self) -> None:
        self.audit_seconds = 0.0
        self.lock_seconds = 0.0
        self.appends = 0

    def install(self) -> None:
        from audit import services

        original = services.audit_record

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.audit_seconds += time.perf_counter() - start
                self.appends += 1

        for module in list(sys.modules.values()):
            if getattr(module, "audit_record", None) is original:
                module.__dict__["audit_record"] = timed

    def lock_wrapper(self, execute, sql, params, many, context):
        if "audit_audithead" in sql and "FOR UPDATE" in sql.upper():
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                self.lock_seconds += time.perf_counter() - start
        return execute(sql, params, many, context)


def worker(number: int, targets_dict: dict, seconds: float, max_requests: int, barrier, results) -> None:
    from django.db import connection

    from accounts.models import User
    from accounts.services import api_token_issue

    from .runner import percentile, signed_in
    from .targets import Targets

    connection.close()  # a fresh connection of this process
    targets = Targets(**targets_dict)
    timer = AuditTimer()
    timer.install()
    manager = User.objects.get(username=targets.case_manager)
    supervisor = User.objects.get(username=targets.supervisor)
    web, web_sup = signed_in(manager), signed_in(supervisor)
    _token, raw = api_token_issue(user=manager, name=f"concurrency {number}", days=1)
    api: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    case_id = targets.long_case_id
    import datetime as dt

    from django.utils import timezone

    when = (timezone.localtime() - dt.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M")
    calls = {
        "caseload": lambda: web.get("/"),
        "case_detail": lambda: web.get(f"/cases/{case_id}/"),
        "case_list": lambda: web_sup.get("/cases/", {"state": targets.list_state}),
        "api_case_detail": lambda: web.get(f"/api/v1/cases/{case_id}/", **api),
        "contact_add": lambda: web.post(
            f"/cases/{case_id}/contacts/new/",
            {
                "occurred_at": when,
                "duration_minutes": "20",
                "kind": "phone",
                "participants": ["client"],
                "note": f"Concurrency benchmark, process {number}.",
            },
        ),
    }
    for name in REQUESTS:  # warm up: templates, translations and connections are ready before the clock starts
        calls[name]()
    timer.audit_seconds = timer.lock_seconds = 0.0
    timer.appends = 0
    if barrier is not None:
        barrier.wait(timeout=600)  # every process starts together
    request_seconds, latencies, errors, done = 0.0, [], 0, 0
    deadline = time.perf_counter() + seconds
    with connection.execute_wrapper(timer.lock_wrapper):
        while time.perf_counter() < deadline and done < max_requests:
            name = REQUESTS[done % len(REQUESTS)]
            start = time.perf_counter()
            response = calls[name]()
            elapsed = time.perf_counter() - start
            if response.status_code >= 400:
                errors += 1
            request_seconds += elapsed
            latencies.append(elapsed * 1000)
            done += 1
    results.put(
        {
            "process": number,
            "requests": done,
            "errors": errors,
            "request_seconds": request_seconds,
            "audit_seconds": timer.audit_seconds,
            "lock_seconds": timer.lock_seconds,
            "appends": timer.appends,
            "p50_ms": percentile(latencies, 50),
            "p95_ms": percentile(latencies, 95),
            "wall_seconds": seconds,
        }
    )


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    var_dir = cli.configure(
        argparse.Namespace(data_dir=args.data_dir, var_dir=args.var_dir, size=args.size, db=args.db)
    )
    sys.path.insert(0, str(cli.BASE_DIR))
    import django

    django.setup()
    cli.ensure_data(args.size, args.db)
    from django.db import connection, connections

    from audit.models import AuditEntry
    from audit.selectors import audit_verify

    from . import targets as targets_mod

    targets = targets_mod.load(cli.find_targets_file(var_dir, None, args.size))
    entries_before = AuditEntry.objects.count()
    vendor = connection.vendor
    from django.urls import get_resolver

    _ = get_resolver().url_patterns  # import every view once, before the processes fork
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    barrier = ctx.Barrier(args.processes)
    procs = [
        ctx.Process(target=worker, args=(n, targets.as_dict(), args.seconds, args.max_requests, barrier, results))
        for n in range(args.processes)
    ]
    for proc in procs:
        proc.start()
    rows = [results.get(timeout=args.seconds + 900) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    print("Verifying the audit chain …", file=sys.stderr)
    verified = audit_verify()
    total_requests = sum(r["requests"] for r in rows)
    request_seconds = sum(r["request_seconds"] for r in rows)
    audit_seconds = sum(r["audit_seconds"] for r in rows)
    lock_seconds = sum(r["lock_seconds"] for r in rows)
    result = {
        "size": args.size,
        "database": vendor,
        "processes": args.processes,
        "seconds": args.seconds,
        "requests": total_requests,
        "errors": sum(r["errors"] for r in rows),
        "throughput_per_second": round(total_requests / args.seconds, 1),
        "audit_appends": sum(r["appends"] for r in rows),
        "audit_share_of_request_time": round(audit_seconds / request_seconds, 4) if request_seconds else None,
        "lock_wait_share_of_request_time": round(lock_seconds / request_seconds, 4) if request_seconds else None,
        "mean_request_ms": round(request_seconds / total_requests * 1000, 2) if total_requests else None,
        "mean_audit_ms_per_request": round(audit_seconds / total_requests * 1000, 2) if total_requests else None,
        "entries_added": AuditEntry.objects.count() - entries_before,
        "chain_verified": verified.ok,
        "chain_entries": verified.checked,
        "chain_problem": verified.problem,
        "per_process": rows,
    }
    output = args.output or cli.BASE_DIR / "var" / "bench" / f"concurrency-{args.size}-{args.db}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"{args.processes} processes × {args.seconds:.0f} s on {vendor} ({args.size}): {total_requests} requests "
        f"({result['throughput_per_second']}/s), {result['errors']} errors, mean {result['mean_request_ms']} ms"
    )
    print(
        f"Audit append: {result['audit_share_of_request_time']:.1%} of request time "
        f"({result['mean_audit_ms_per_request']} ms per request, {result['audit_appends']} appends); "
        f"waiting for the head lock: {result['lock_wait_share_of_request_time']:.1%}"
    )
    print(
        f"Audit chain: {'verified' if verified.ok else 'BROKEN'}, {verified.checked} entries"
        + (f" ({verified.problem})" if verified.problem else "")
    )
    print(f"Results written to {output}")
    return 0 if verified.ok and not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
