from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from demo.synthetic import SIZES, AlreadyPopulated, Spec, generate, progress_printer


class Command(BaseCommand):
    help = (
        "Generate a synthetic national network (staff, clients, cases, ten years of sealed contacts) for load "
        "tests and benchmarks, through the same encryption as real data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=sorted(SIZES),
            help="small: 500 cases / 25,000 contacts; medium: 20,000 / 1,000,000; large: 100,000 / 5,000,000.",
        )
        parser.add_argument("--cases", type=int, help="A custom number of cases (with --contacts).")
        parser.add_argument("--contacts", type=int, help="A custom number of contacts (with --cases).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed; the same seed gives the same plan.")
        parser.add_argument("--jobs", type=int, default=None, help="Worker processes that seal rows (default: CPUs).")
        parser.add_argument(
            "--append",
            "--force",
            dest="append",
            action="store_true",
            help="Add the synthetic cases even though the database has cases already.",
        )
        parser.add_argument(
            "--manifest",
            type=Path,
            default=None,
            help="Where to write the benchmark manifest (default: var/synthetic-<size>.json).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar on stderr.")

    def handle(self, *args, size, cases, contacts, seed, jobs, append, manifest, no_progress, **options):
        if size and (cases is not None or contacts is not None):
            raise CommandError("Give either --size or --cases and --contacts, not both.")
        if size:
            spec = Spec(*SIZES[size], seed=seed, label=size)
        elif cases is not None and contacts is not None:
            if cases < 1 or contacts < 0:
                raise CommandError("--cases must be at least 1 and --contacts at least 0.")
            spec = Spec(cases, contacts, seed=seed, label=f"{cases}-{contacts}")
        else:
            raise CommandError("Give --size small|medium|large, or --cases N --contacts M.")
        if jobs is not None and jobs < 1:
            raise CommandError("--jobs must be at least 1.")
        try:
            result = generate(
                spec,
                jobs=jobs,
                force=append,
                manifest_path=manifest,
                progress=None if no_progress else progress_printer(self.stderr._out),
            )
        except AlreadyPopulated as exc:
            raise CommandError(str(exc)) from exc
        info = result.manifest
        rate = result.rows / result.seconds if result.seconds else 0
        states = ", ".join(f"{state} {n}" for state, n in sorted(result.states.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result.cases:,} cases ({states}) and {result.contacts:,} contacts "
                f"in {result.seconds:.1f} s "
                f"({result.rows:,} rows, {rate:,.0f} rows/s)."
            )
        )
        timeline = info["long_timeline_case"] or {}
        erasure = info["erasure_client"] or {}
        self.stdout.write(
            f"Long timeline: case {timeline.get('case')} ({timeline.get('contacts')} contacts), "
            f"case manager {info['case_manager']}."
        )
        self.stdout.write(
            f"Erasure: client {erasure.get('client')} ({erasure.get('contacts')} notes), "
            f"case {erasure.get('case')}, case manager {erasure.get('case_manager')}."
        )
        self.stdout.write(
            f"Sign-in: every staffNNNN account, password {info['password']}, authenticator secret "
            f"{info['totp_secret']}. Manifest: {result.manifest_path}"
        )
