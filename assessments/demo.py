"""Demo assessments: an intake checklist and 2–4 assessments over time per worked case, showing change.

Called by demo.seed once the cases exist; everything goes through assessments.services.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from cases.lifecycle import WORKED_STATES, State
from cases.models import AssignmentRole, CaseTransition

from . import instruments, services
from .models import AssessmentSettings

RATIONALES = [
    "Ties to the scene have loosened since the last assessment; the family is a stable support.",
    (
        "Still in contact with two group members online, but no sign of intent or planning. "
        "Work and housing are the pressing needs."
    ),
    "Client speaks openly about doubts. Substance use remains the main concern; protective factors are growing.",
    "Several sources agree: commitment to the ideology is weakening and the new job gives structure.",
    "Threats from former group members weigh more than any risk from the client; safety planning comes first.",
]
EVIDENCE_AGAINST = [
    "Keeps appointments reliably.",
    "New friends through the football club.",
    "Says violence was a mistake.",
    "Stable work for three months.",
]
EVIDENCE_FOR = [
    "Shares scene content online.",
    "Contact with a former comrade last month.",
    "Angry outbursts when the topic comes up.",
    "No stable place to live.",
]
EXTERNAL = ["VERA-2R", "ERG22+"]


def _staff_on(case, day: dt.date):
    """The case manager on the day, else the first one the case had."""
    managers = case.assignments.filter(role=AssignmentRole.CASE_MANAGER).select_related("staff").order_by("starts_on")
    chosen = managers.current(day).first() or managers.first()
    return chosen.staff if chosen else None


def add_demo_assessments(cases, rng: random.Random, today: dt.date | None = None) -> int:
    """Assess the worked cases among `cases`; returns how many assessments were recorded."""
    today = today or timezone.localdate()
    instrument = instruments.load_all()[instruments.DEFAULT_INSTRUMENT]
    programmes = {case.programme_id: case.programme for case in cases}
    for programme in programmes.values():
        AssessmentSettings.objects.get_or_create(programme=programme)
    count = 0
    for case in cases:
        case.refresh_from_db()
        if case.state not in WORKED_STATES and case.state != State.SUSPENDED:
            continue
        entered = (
            CaseTransition.objects.filter(case=case, to_state=State.ASSESSMENT)
            .order_by("at")
            .values_list("at", flat=True)
            .first()
        )
        if entered is None:
            continue
        start = timezone.localtime(entered).date() + dt.timedelta(days=rng.randint(7, 20))
        if start > today:
            continue
        actor = _staff_on(case, start)
        if actor is None:
            continue
        services.intake_screening_record(
            actor=actor,
            case=case,
            screened_on=max(case.opened_on, start - dt.timedelta(days=rng.randint(20, 60))),
            target_group_fit="yes",
            position=rng.choice(["active", "follower", "follower", "sympathiser", "loner"]),
            outcome="accept",
        )
        values = {}
        for item in instrument.items:
            if item.is_protective:
                values[item.key] = rng.choice([0, 0, 1])
            elif item.key in ("violence_planning", "intent_to_harm", "capability", "threat_to_others"):
                values[item.key] = 1 if case.security_relevant and rng.random() < 0.5 else 0
            else:
                values[item.key] = rng.choices([0, 1, 2], [35, 40, 25])[0]
        day, made, previous = start, 0, None
        target = rng.randint(2, 4) if case.state != State.ASSESSMENT else 1
        step = max(30, min(190, (today - start).days // target))
        while day <= today and made < target:
            actor = _staff_on(case, day) or actor
            answers = {key: (None if rng.random() < 0.04 else value) for key, value in values.items()}
            result = instrument.score(answers)
            level = result.level.case_level
            if rng.random() < 0.2 and level != "low":
                level = {"high": "moderate", "moderate": "low"}[level]  # the practitioner weighs the strengths
            ratings = {}
            for domain in rng.sample(list(instrument.domains), 4):
                ratings[domain.key] = {
                    "rating": rng.choice(["low", "moderate", "high", "unknown"]),
                    "for": rng.choice(EVIDENCE_FOR),
                    "against": rng.choice(EVIDENCE_AGAINST),
                }
            assessment = services.assessment_record(
                actor=actor,
                case=case,
                instrument_key=instrument.key,
                assessed_on=day,
                answers=answers,
                sources=rng.sample(["interview", "observation", "file", "partner", "family"], 2),
                domain_ratings=ratings,
                final_level=level,
                rationale=rng.choice(RATIONALES),
            )
            if previous is not None and rng.random() < 0.6:
                review_day = min(today, day + dt.timedelta(days=rng.randint(3, 14)))
                services.plan_review_record(
                    actor=actor,
                    case=case,
                    assessment=assessment,
                    reviewed_on=review_day,
                    notes="Reviewed the plan after the reassessment; kept the work goal, closed the housing goal.",
                )
            previous, made, count = assessment, made + 1, count + 1
            # Change between assessments: concerns ease more often than they grow; strengths grow.
            for item in instrument.items:
                value = values[item.key]
                if item.is_protective:
                    values[item.key] = min(2, value + (1 if rng.random() < 0.4 else 0))
                elif rng.random() < 0.35:
                    values[item.key] = max(0, value - 1)
                elif rng.random() < 0.08:
                    values[item.key] = min(2, value + 1)
            day += dt.timedelta(days=step + rng.randint(-10, 10))
        if case.security_relevant and rng.random() < 0.6:
            services.external_result_record(
                actor=actor,
                case=case,
                instrument_name=rng.choice(EXTERNAL),
                rated_on=start,
                rating=rng.choice(["moderate", "high"]),
                assessed_by="Certified assessor, regional prison service",
                summary="Result kept as a summary; the completed form stays with the assessing service.",
            )
    return count
