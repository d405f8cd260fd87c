from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from accounts.otp import totp_code
from demo import content


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo users (demo data only), and the shared demo secret."

    def handle(self, *args, **options):
        now = time.time()
        left = 30 - int(now) % 30
        self.stdout.write(
            f"Current code for every demo user: {totp_code(content.DEMO_TOTP_SECRET, at=now)} "
            f"(valid for {left} more seconds; each code is accepted once per user)."
        )
        self.stdout.write(
            f"To use an authenticator app instead, add this key (time-based, 6 digits, 30 s): "
            f"{content.DEMO_TOTP_SECRET}"
        )
