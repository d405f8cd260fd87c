"""Staff and cases for the load and fault tests: one synthetic organisation, built through the services.

    DJANGO_SETTINGS_MODULE=… python -m loadtest.provision --staff 100 --cases-per-staff 3 --out var/load.json

Every account has the demo password and the demo authenticator secret (demo/content.py), so that each
simulated staff member signs in with password and TOTP as a person would. The JSON file lists each account
with the cases it works on and the clients' names (for the exact-name lookup).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

GIVEN = ["Aino", "Bela", "Cem", "Dara", "Eliv", "Fenja", "Gorm", "Hanne", "Ilko", "Juna", "Kasimir", "Lejla"]
FAMILY = [
    "Brockhaus-Tiel",
    "Dornwald",
    "Ellerbrink",
    "Fahrenkamp",
    "Gollwitzer",
    "Hinrichsen-Oy",
    "Ilmenau",
    "Jarmuth",
    "Kallweit",
    "Lindqvist-Baar",
    "Morgenroth",
    "Nettelbeck",
]


def provision(*, staff: int, cases_per_staff: int, prefix: str = "load", tokens: bool = False) -> dict:
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.otp import hex_key
    from accounts.services import api_token_issue, staff_create
    from cases import services
    from cases.lifecycle import State
    from demo.content import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from programmes.services import organisation_create, programme_create, team_create
    from vault.crypto import key_scope

    path = [State.SCREENING, State.ENGAGEMENT, State.ASSESSMENT, State.AGREEMENT, State.ACTIVE]
    start = timezone.localdate() - dt.timedelta(days=30)
    accounts: list[dict] = []
    with key_scope(), transaction.atomic():
        org = organisation_create(name="Lasttest Brücke e.V.", slug=f"{prefix}-bruecke")
        programme = programme_create(organisation=org, name="Brücke community programme")
        team = team_create(programme=programme, name="Team Last")
        supervisor = staff_create(
            username=f"{prefix}.sup", password=DEMO_PASSWORD, organisation=org, roles=[("supervisor", team)]
        )
        users = [
            staff_create(
                username=f"{prefix}.{n:04d}",
                password=DEMO_PASSWORD,
                organisation=org,
                roles=[("practitioner", team)],
                first_name=GIVEN[n % len(GIVEN)],
                last_name=FAMILY[n % len(FAMILY)],
            )
            for n in range(staff)
        ]
        for user in [supervisor, *users]:
            TOTPDevice.objects.create(user=user, name="authenticator", key=hex_key(DEMO_TOTP_SECRET), confirmed=True)
        for n, user in enumerate(users):
            entry: dict[str, Any] = {"username": user.username, "cases": [], "names": []}
            if tokens:  # API tokens for the fault tests' writers; never printed, only written to the file
                entry["token"] = api_token_issue(user=user, name="load test", days=1)[1]
            for k in range(cases_per_staff):
                number = n * cases_per_staff + k
                given, family = GIVEN[number % len(GIVEN)], f"{FAMILY[(number // len(GIVEN)) % len(FAMILY)]}-{number}"
                case = services.enquiry_create(
                    actor=supervisor,
                    programme=programme,
                    team=team,
                    identity={"given_name": given, "family_name": family, "date_of_birth": "1990-01-01"},
                    referral_source="self",
                    setting="community",
                    participation="voluntary",
                    ideology="right_wing",
                )
                services.assignment_add(actor=supervisor, case=case, staff=user, role="case_manager", starts_on=start)
                services.assignment_add(
                    actor=supervisor, case=case, staff=users[(n + 1) % len(users)], role="co_worker", starts_on=start
                )
                for target in path:
                    services.case_transition(actor=supervisor, case=case, to_state=target)
                entry["cases"].append(str(case.pk))
                entry["names"].append(f"{given} {family}")
            accounts.append(entry)
    return {"password": DEMO_PASSWORD, "totp_secret": DEMO_TOTP_SECRET, "staff": accounts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=100)
    parser.add_argument("--cases-per-staff", type=int, default=3)
    parser.add_argument("--prefix", default="load")
    parser.add_argument("--tokens", action="store_true", help="also issue an API token for each account")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    import django

    django.setup()
    data = provision(staff=args.staff, cases_per_staff=args.cases_per_staff, prefix=args.prefix, tokens=args.tokens)
    args.out.touch(mode=0o600)  # it holds the API tokens when --tokens is given
    args.out.write_text(json.dumps(data, indent=1))
    print(f"{len(data['staff'])} staff with {args.cases_per_staff} cases each written to {args.out}")


if __name__ == "__main__":
    main()
