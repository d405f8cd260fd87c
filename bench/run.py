"""`make bench`: benchmark the everyday requests on generated data of a chosen size and database.

    python -m bench.run --size small|medium|large --db sqlite|postgres [--iterations 30] [--warmup 5]

The data of each size and database lives in its own directory (default var/bench-data/<size>-<db>/, or
BENCH_DATA_DIR/<size>-<db>/):
the keyring, the secret key, the SQLite database, and the generator's description of what to use.
On PostgreSQL the database is DATABASE_URL, by default postgres://postgres@127.0.0.1:5432/tandem_bench_<size>.
A missing database is created and filled by the generator (`manage.py synthesize --size <size>`) first.
The run adds contacts, erases the clients it prepared for the erasure benchmark and appends to the audit
log: benchmark data is for benchmarking only.

Results: a table on standard output and JSON in var/bench/results-<size>-<db>.json (or --output).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
SIZES = ("tiny", "small", "medium", "large")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default=os.environ.get("SIZE") or "small")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default=os.environ.get("DB") or "sqlite")
    parser.add_argument("--iterations", type=int, default=30, help="Timed iterations of each request (default 30).")
    parser.add_argument("--warmup", type=int, default=5, help="Untimed iterations first (default 5).")
    parser.add_argument("--only", nargs="*", help="Time only these requests (and the floor).")
    parser.add_argument(
        "--data-dir", type=Path, default=Path(os.environ.get("BENCH_DATA_DIR") or BASE_DIR / "var" / "bench-data")
    )
    parser.add_argument(
        "--var-dir",
        type=Path,
        help="Use this var directory (keyring, manifests) as it is, instead "
        "of <data-dir>/<size>-<db>; with DATABASE_URL for data generated elsewhere.",
    )
    parser.add_argument("--targets", type=Path, help="The generator's JSON (default: found in the data directory).")
    parser.add_argument("--output", type=Path, help="Where to write the JSON results.")
    args = parser.parse_args(argv)
    if args.iterations < 1 or args.warmup < 0:
        parser.error("--iterations must be at least 1 and --warmup at least 0")
    return args


def configure(args: argparse.Namespace) -> Path:
    """Point the settings at this size's data before Django starts."""
    var_dir = (getattr(args, "var_dir", None) or args.data_dir / f"{args.size}-{args.db}").resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ["TANDEM_VAR_DIR"] = str(var_dir)
    os.environ.pop("TANDEM_KEYRING", None)
    os.environ.pop("TANDEM_KEYRING_FILE", None)
    if args.db == "postgres":
        os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/tandem_bench_{args.size}")
    elif not os.environ.get("DATABASE_URL", "").startswith("sqlite:"):
        os.environ.pop("DATABASE_URL", None)  # var_dir/tandem.sqlite3, unless a SQLite file is named
    os.environ["DJANGO_SETTINGS_MODULE"] = "tandem.settings_bench"
    return var_dir


def ensure_postgres_database() -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    params: dict[str, Any] = {
        k: v
        for k, v in {
            "host": db.get("HOST"),
            "port": db.get("PORT"),
            "user": db.get("USER"),
            "password": db.get("PASSWORD"),
        }.items()
        if v
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
            # As docs/production.md recommends for SSD storage.
            conn.execute(f'ALTER DATABASE "{db["NAME"]}" SET random_page_cost = 1.1')


def ensure_data(size: str, db: str, log=print) -> None:
    """Generate the data of this size if the database holds none."""
    from django.core.management import call_command, get_commands
    from django.db import connection
    from django.db.utils import OperationalError, ProgrammingError

    if db == "postgres":
        ensure_postgres_database()
    try:
        from cases.models import Case

        present = Case.objects.exists()
    except (OperationalError, ProgrammingError):
        present = False
        connection.close()
    if present:
        return
    log(f"No {size} data yet: generating it (this runs once per size and database) …")
    call_command("init_keys")
    call_command("migrate", interactive=False, verbosity=0)
    if "synthesize" in get_commands():
        if size == "tiny":
            call_command("synthesize", cases=30, contacts=600, no_progress=True)
        else:
            call_command("synthesize", size=size)
    elif size in ("tiny", "small"):
        log("The synthetic-data generator is not available: using the demo programme instead.")
        call_command("seed_demo")
    else:
        raise SystemExit("`manage.py synthesize` is needed to generate data of this size.")


def find_targets_file(var_dir: Path, explicit: Path | None, size: str | None = None) -> Path | None:
    """The generator's manifest in this size's directory (synthetic-<size>.json), if there is one."""
    if explicit:
        return explicit
    if size and (var_dir / f"synthetic-{size}.json").exists():
        return var_dir / f"synthetic-{size}.json"
    candidates = sorted(var_dir.glob("synthetic-*.json"))
    return candidates[0] if candidates else None


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    var_dir = configure(args)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    ensure_data(args.size, args.db)

    from . import runner
    from . import targets as targets_mod

    targets = targets_mod.load(find_targets_file(var_dir, args.targets, args.size))
    result = runner.run(
        targets, iterations=args.iterations, warmup=args.warmup, only=args.only, log=lambda m: print(m, file=sys.stderr)
    )
    result["size"] = args.size
    output = args.output or BASE_DIR / "var" / "bench" / f"results-{args.size}-{args.db}.json"
    runner.write(result, output)
    print(runner.table(result))
    print(f"Results written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
