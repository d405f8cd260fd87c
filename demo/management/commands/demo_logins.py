from __future__ import annotations

from django.core.management.base import BaseCommand

import access
from accounts.models import Role, User
from demo import content
from demo.seed import demo_loaded

WHAT_THEY_SEE = {
    Role.PROGRAMME_MANAGER: "aggregates only",
    Role.EVALUATOR: "anonymised aggregates only",
    Role.ADMINISTRATOR: "accounts and configuration, no case content",
}


class Command(BaseCommand):
    help = "Print the address and the demo logins (demo data only)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port: int, **options):
        self.stdout.write(f"\nTandem is starting at http://127.0.0.1:{port}/\n")
        if not demo_loaded():
            self.stdout.write("The demo programme is not loaded in this database; log in with your own accounts.\n")
            return
        order = [s[0] for s in content.STAFF + content.OTHER_STAFF]
        users = {
            u.username: u
            for u in User.objects.filter(username__in=order)
            .select_related("organisation")
            .prefetch_related("role_grants__team")
        }
        rows = []
        for username in order:
            user = users.get(username)
            if user is None or not user.is_active:
                continue
            grants = sorted(user.role_grants.all(), key=lambda g: (g.role, g.team.name if g.team else ""))
            roles: dict[str, list[str]] = {}
            for grant in grants:
                roles.setdefault(str(Role(grant.role).label).lower(), []).append(grant.team.name if grant.team else "")
            described = "; ".join(
                f"{role} ({', '.join(t for t in teams if t)})" if any(teams) else role for role, teams in roles.items()
            )
            codes = user.role_codes()
            if access.sees_case_content(user):
                sees = f"{access.cases_for(user).count()} cases"
            else:
                sees = next(text for role, text in WHAT_THEY_SEE.items() if role in codes)
            organisation = user.organisation.name if user.organisation else ""
            rows.append((username, user.get_full_name(), described, organisation, sees))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        self.stdout.write(f"Demo logins (password for all: {content.DEMO_PASSWORD}; synthetic data only):\n")
        header = ("username", "name", "role", "organisation", "sees")
        self.stdout.write("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths + [0], strict=True)).rstrip())
        for row in rows:
            self.stdout.write("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths + [0], strict=True)).rstrip())
        self.stdout.write("")
        self.stdout.write(
            "Sign-in has two steps. After the password, type the demo code: every demo user shares one\n"
            "authenticator secret, and `python manage.py demo_totp` prints the current code (and the\n"
            f"secret, {content.DEMO_TOTP_SECRET}, to add to an authenticator app). Each code works once\n"
            "per user, so wait for the next one to sign in again.\n"
        )
