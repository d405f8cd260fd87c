"""Demo sharing: partners, consents, disclosures and one refused attempt, all through sharing.services."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.utils import timezone

from accounts.models import User
from cases.lifecycle import State
from cases.models import Case
from sharing import services as sharing

PARTNERS = [
    (
        "Polizeidirektion Nord, Staatsschutz",
        "police",
        "Nord",
        [("KHK Petra Lohmann", "Contact officer", "+49 40 5550 1100")],
    ),
    (
        "Bewährungshilfe Landgericht Nord",
        "probation",
        "Nord",
        [("Jens Kortmann", "Probation officer", "+49 40 5550 2200")],
    ),
    ("Jobcenter Nord", "employment", "Nord", [("Sabine Aydın", "Case manager U25", "+49 40 5550 3300")]),
    ("Fachstelle Wohnungsnotfälle", "social_welfare", "Nord", [("Ralf Peters", "Housing adviser", "+49 40 5550 4400")]),
    ("Sozialpsychiatrischer Dienst Nord", "health", "Nord", [("Dr. Ines Brandt", "Psychiatrist", "+49 40 5550 5500")]),
]


def _manager(case: Case) -> User | None:
    row = case.assignments.current().filter(role="case_manager").select_related("staff").first()
    return row.staff if row else None


def seed_sharing(built: list[tuple[Case, list]]) -> None:
    supervisor = User.objects.get(username="sup.nord")
    partners = {}
    for name, category, region, contacts in PARTNERS:
        partner = sharing.partner_create(
            actor=supervisor, name=name, category=category, region=region, notes="Demo partner."
        )
        for person, role, phone in contacts:
            sharing.partner_contact_add(actor=supervisor, partner=partner, name=person, role=role, phone=phone)
        partners[category] = partner
    ngo_cases = [
        case
        for case, _ in built
        if case.programme.sharing_policy == "independent-ngo"
        and case.state in {State.ACTIVE, State.AFTERCARE, State.TRANSITION}
    ]
    today = timezone.localdate()
    for index, case in enumerate(ngo_cases[:3]):
        actor = _manager(case)
        if actor is None:
            continue
        sharing.consent_record(
            actor=actor,
            case=case,
            partner=partners["social_welfare"],
            data_categories=["identity", "contact_details", "needs_and_plan"],
            purpose="housing",
            form="written",
            given_on=today - dt.timedelta(days=20 + index),
            valid_until=today + dt.timedelta(days=180),
        )
        sharing.disclose(
            actor=actor,
            case=case,
            partner=partners["social_welfare"],
            data_categories=["identity", "needs_and_plan"],
            purpose="housing",
            ground="consent",
            channel="encrypted e-mail",
            content="Looking for a one-room flat near the new workplace; can move from next month.",
        )
        if index == 0:
            jobs = sharing.consent_record(
                actor=actor,
                case=case,
                partner=partners["employment"],
                data_categories=["identity", "attendance"],
                purpose="employment",
                form="verbal_witnessed",
                witness="Co-worker of the tandem",
                given_on=today - dt.timedelta(days=10),
            )
            sharing.disclose(
                actor=actor,
                case=case,
                partner=partners["employment"],
                data_categories=["identity", "attendance"],
                purpose="employment",
                ground="consent",
                channel="letter",
                content="Confirmation of participation for the training measure.",
            )
            sharing.consent_withdraw(actor=actor, consent=jobs)
            # The police asked how the work is going: the independent policy refuses, and it is recorded.
            with contextlib.suppress(sharing.DisclosureRefused):
                sharing.disclose(
                    actor=actor,
                    case=case,
                    partner=partners["police"],
                    data_categories=["progress_summary"],
                    purpose="safety",
                    ground="consent",
                    channel="phone",
                    content="",
                )
        if index == 1:
            sharing.consent_record(
                actor=actor,
                case=case,
                partner=partners["health"],
                data_categories=["identity", "contact_details"],
                purpose="health_care",
                form="written",
                given_on=today - dt.timedelta(days=5),
            )
