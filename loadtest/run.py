"""The load test in one command: the production set-up on 127.0.0.1 with PostgreSQL, locust headless against it.

    python -m loadtest.run                    # make load: 100 staff, 5 minutes, 80% reads / 20% writes
    python -m loadtest.run --ramp             # make load-ramp: more users step by step until p95 > 200 ms

Reports throughput, p95 and errors (locust), and the memory (RSS) of each gunicorn worker sampled over time.
Its own database (dropped and created again) on the PostgreSQL server of DATABASE_URL, or 127.0.0.1:5432.
locust runs on the same machine and takes CPU from the app: the figures are a floor, not a ceiling.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess  # nosec B404 # runs locust and gunicorn for the load test
import sys
import threading
import time
from pathlib import Path
from typing import Any

from loadtest import harness

ROOT = harness.ROOT


def sample_memory(
    server: harness.ProductionServer, samples: dict[int, list[tuple[float, float]]], stop: threading.Event, every: float
) -> None:
    started = time.monotonic()
    while not stop.wait(every):
        for pid in server.worker_pids():
            rss = server.rss_mib(pid)
            if rss is not None:
                samples.setdefault(pid, []).append((time.monotonic() - started, rss))


def memory_report(samples: dict[int, list[tuple[float, float]]]) -> list[dict]:
    rows = []
    for pid, points in sorted(samples.items()):
        if len(points) < 2:
            continue
        # Growth over the worker's life after its first minute of warm-up (templates, keys and caches fill then).
        warm = [rss for t, rss in points if t - points[0][0] >= 60] or [points[-1][1]]
        rows.append(
            {
                "pid": pid,
                "samples": len(points),
                "first_mib": round(points[0][1], 1),
                "after_warmup_mib": round(warm[0], 1),
                "last_mib": round(points[-1][1], 1),
                "max_mib": round(max(rss for _t, rss in points), 1),
                "growth_after_warmup_mib": round(points[-1][1] - warm[0], 1),
            }
        )
    return rows


def aggregated(csv_prefix: Path) -> dict:
    with open(f"{csv_prefix}_stats.csv") as handle:
        rows = list(csv.DictReader(handle))
    by_name = {row["Name"]: row for row in rows}
    total = by_name["Aggregated"]
    return {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "per_request": {
            row["Name"]: {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "p95_ms": float(row["95%"]),
            }
            for row in rows
            if row["Name"] != "Aggregated"
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ramp", action="store_true", help="step load until p95 passes --p95-ms")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--run-time", default="5m")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--staff", type=int, help="accounts to create (default: users, 400 for --ramp)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's, 2 x cores + 1)")
    parser.add_argument("--p95-ms", type=float, default=200)
    parser.add_argument("--errors-only", action="store_true", help="fail on errors only, not on p95 (small CI runs)")
    parser.add_argument("--database", default="tandem_load")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "loadtest")
    args = parser.parse_args()

    url = harness.server_url()
    if not harness.postgres_reachable(url):
        print(f"No PostgreSQL server answers at {url}; set DATABASE_URL to one.", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    database = harness.create_database(url, args.database)
    server = harness.ProductionServer(args.out / "app", database)
    if args.workers:
        server.env["TANDEM_WORKERS"] = str(args.workers)
    else:
        server.env.pop("TANDEM_WORKERS")
    # Workers are not recycled during the measurement, so that a leak would show as growth.
    server.env["TANDEM_MAX_REQUESTS"] = "0"
    staff = args.staff or (400 if args.ramp else args.users)
    print(f"Preparing: migrate, collectstatic, {staff} staff with 3 cases each …", flush=True)
    began = time.monotonic()
    server.prepare(staff=staff, cases_per_staff=3)
    print(f"  prepared in {time.monotonic() - began:.0f} s", flush=True)
    server.start()
    print(f"gunicorn on {server.url} with {len(server.worker_pids())} workers", flush=True)

    samples: dict[int, list[tuple[float, float]]] = {}
    stop = threading.Event()
    sampler = threading.Thread(target=sample_memory, args=(server, samples, stop, 5), daemon=True)
    sampler.start()
    prefix = args.out / ("ramp" if args.ramp else "steady")
    env = dict(os.environ, TANDEM_LOAD_ACCOUNTS=str(args.out / "app" / "accounts.json"))
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "loadtest" / "locustfile.py"),
        "--headless",
        "--host",
        server.url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
    ]
    if args.ramp:
        env.update(
            TANDEM_LOAD_RAMP="1",
            TANDEM_RAMP_OUT=f"{prefix}_steps.json",
            TANDEM_RAMP_P95_MS=str(args.p95_ms),
            TANDEM_LOAD_WAIT=os.environ.get("TANDEM_LOAD_WAIT", "0.5,1.5"),
        )
    else:
        command += ["--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", args.run_time]
    load_before = os.getloadavg()
    try:
        subprocess.run(command, cwd=ROOT, env=env, check=False)  # nosec B603 # a command line built here from fixed parts
    finally:
        stop.set()
        sampler.join()
        server.stop()
    load_after = os.getloadavg()

    report: dict[str, Any] = {
        "mode": "ramp" if args.ramp else "steady",
        "cores": os.cpu_count(),
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "result": aggregated(prefix),
        "memory": memory_report(samples),
    }
    ok = report["result"]["errors"] == 0
    if args.ramp:
        steps = json.loads(Path(f"{prefix}_steps.json").read_text())
        good = [s for s in steps if s["errors"] == 0 and s["p95_ms"] <= args.p95_ms]
        report["steps"] = steps
        report["highest_sustained_rps"] = round(max((s["rps"] for s in good), default=0), 1)
        ok = bool(good)
    else:
        ok = ok and (args.errors_only or report["result"]["p95_ms"] <= args.p95_ms)
    (Path(f"{prefix}_report.json")).write_text(json.dumps(report, indent=1))

    r = report["result"]
    print(f"\n== Tandem load test ({report['mode']}) on {report['cores']} cores, locust on the same machine ==")
    print(
        f"requests {r['requests']}, errors {r['errors']}, throughput {r['rps']} req/s, "
        f"p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms"
    )
    for name, row in sorted(r["per_request"].items()):
        print(f"  {name:<20} {row['requests']:>7} requests  {row['errors']:>4} errors  p95 {row['p95_ms']:.0f} ms")
    if args.ramp:
        print(
            f"highest sustained throughput with p95 <= {args.p95_ms:.0f} ms and no error: "
            f"{report['highest_sustained_rps']} req/s"
        )
    print("memory per worker (RSS, MiB): pid first -> after 1 min -> last (max)")
    for row in report["memory"]:
        print(
            f"  {row['pid']:>7} {row['first_mib']:>7} -> {row['after_warmup_mib']:>7} -> {row['last_mib']:>7} "
            f"({row['max_mib']}), growth after warm-up {row['growth_after_warmup_mib']:+}"
        )
    print(f"machine load average before {load_before[0]:.1f}, after {load_after[0]:.1f}")
    print(f"report: {prefix}_report.json; target {'met' if ok else 'missed'}")
    harness.drop_database(url, args.database)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
