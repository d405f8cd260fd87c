"""Enqueue the daily reminder job once a day; run beside `manage.py db_worker`."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand

from aftercare.scheduler import enqueue_if_due
from rights.scheduler import enqueue_retention_if_due


class Command(BaseCommand):
    help = "Enqueue the daily reminder job once per day (checks every --interval seconds; --once to check once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=300.0)
        parser.add_argument("--once", action="store_true")

    def handle(self, *, interval: float, once: bool, **options) -> None:
        self.running = True

        def stop(signum, frame) -> None:
            self.running = False

        previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGINT)}
        try:
            self._loop(interval=interval, once=once)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _loop(self, *, interval: float, once: bool) -> None:
        while self.running:
            if enqueue_if_due():
                self.stdout.write("Enqueued today's reminder job.")
            if enqueue_retention_if_due():
                self.stdout.write("Enqueued today's retention job.")
            if once:
                return
            slept = 0.0
            while self.running and slept < interval:
                time.sleep(1)
                slept += 1
