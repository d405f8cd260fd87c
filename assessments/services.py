"""The write layer for assessments, the intake checklist, external results, plan reviews and goals from needs.

The computed score and level are advisory; the practitioner's final rating (with its rationale) is what
counts, and it alone updates the case's risk level.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from cases.models import Case
from cases.services import case_attributes_update

from . import instruments
from .models import (
    Assessment,
    ExternalResult,
    Fit,
    GroupPosition,
    IntakeScreening,
    Kind,
    Level,
    Outcome,
    PlanReview,
    Rating,
    Source,
)
from .selectors import exclusion_criteria, latest_assessment, next_due

if TYPE_CHECKING:
    from accounts.models import User

MAX_TEXT = 20000


def _check_date(value, field: str, errors: dict, *, label: str) -> None:
    if not isinstance(value, dt.date):
        errors[field] = _("Enter the date %(what)s.") % {"what": label}
    elif value > timezone.localdate():
        errors[field] = _("The date cannot be in the future.")


def _text(value: str | None) -> str:
    return (value or "").strip()[:MAX_TEXT]


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    case: Case,
    instrument_key: str,
    assessed_on: dt.date,
    answers: dict,
    final_level: str,
    rationale: str,
    kind: str = "",
    sources: Iterable[str] = (),
    domain_ratings: dict | None = None,
    assessor=None,
) -> Assessment:
    """Record a completed assessment; the final rating updates the case's risk level.

    `answers` maps every item key of the instrument to a scale value or None (unknown).
    `domain_ratings` maps domain keys to {"rating": low|moderate|high|unknown, "for": text, "against": text}.
    `kind` defaults to intake for a case's first assessment and scheduled reassessment afterwards.
    """
    instrument = instruments.get(instrument_key)
    errors: dict[str, str] = {}
    if instrument is None:
        raise ValidationError({"instrument_key": _("Choose an instrument from the list.")})
    _check_date(assessed_on, "assessed_on", errors, label=_("of the assessment"))
    if isinstance(assessed_on, dt.date) and assessed_on < case.opened_on:
        errors["assessed_on"] = _("The assessment cannot be dated before the case was opened.")
    sources = list(dict.fromkeys(sources))
    if not sources:
        errors["sources"] = _("Name at least one source the assessment draws on.")
    elif any(s not in Source.values for s in sources):
        errors["sources"] = _("Choose the sources from the list.")
    previous = latest_assessment(case)
    kind = kind or (Kind.REASSESSMENT if previous else Kind.INTAKE)
    if kind not in Kind.values:
        errors["kind"] = _("Choose a value from the list.")
    clean: dict[str, int | None] = {}
    missing = []
    for item in instrument.items:
        if item.key not in answers:
            missing.append(item)
            continue
        value = answers[item.key]
        if value is None and item.scale.unknown:
            clean[item.key] = None
        elif isinstance(value, int) and not isinstance(value, bool) and value in item.scale.values():
            clean[item.key] = value
        else:
            errors[f"item__{item.key}"] = _("Choose one of the answers.")
    for item in missing:
        errors[f"item__{item.key}"] = _("Answer this item (choose “unknown” if you do not know).")
    unknown_items = set(answers) - {item.key for item in instrument.items}
    if unknown_items:
        errors["answers"] = _("Unknown items: %(keys)s.") % {"keys": ", ".join(sorted(unknown_items))[:200]}
    ratings: dict[str, dict] = {}
    for key, value in (domain_ratings or {}).items():
        if instrument.domain(key) is None:
            errors["domain_ratings"] = _("Unknown domain: %(key)s.") % {"key": str(key)[:60]}
            continue
        rating = (value or {}).get("rating") or ""
        if rating and rating not in Rating.values:
            errors[f"domain__{key}__rating"] = _("Choose a value from the list.")
        ratings[key] = {"rating": rating, "for": _text(value.get("for")), "against": _text(value.get("against"))}
    if final_level not in Level.values:
        errors["final_level"] = _("Record your final rating: low, moderate or high.")
    if not _text(rationale):
        errors["rationale"] = _("Give the rationale for your final rating: the evidence that decided it.")
    if errors:
        raise ValidationError(errors)
    result = instrument.score(clean)
    now = timezone.now()
    content = {
        "items": clean,
        "domains": ratings,
        "domain_scores": {k: list(v) for k, v in result.domain_scores.items()},
    }
    assessment = Assessment(
        case=case,
        instrument_key=instrument.key,
        instrument_version=instrument.version,
        kind=kind,
        assessed_on=assessed_on,
        assessor=assessor or actor,
        sources=sources,
        content=json.dumps(content),
        score=result.score,
        computed_level=result.level.case_level,
        final_level=final_level,
        rationale=_text(rationale),
        judged_by=actor,
        judged_at=now,
        next_due_on=next_due(case.programme, final_level, assessed_on),
        recorded_by=actor,
        recorded_at=now,
    )
    assessment.save()
    audit_record("assessment.record", case, detail=f"assessment:{assessment.pk} {instrument.key}", actor=actor)
    _sync_case_level(actor, case)
    return assessment


def _sync_case_level(actor: User, case: Case) -> None:
    """The case's risk level is the final rating of its latest assessment."""
    latest = latest_assessment(case)
    if latest is not None and case.risk_level != latest.final_level:
        case_attributes_update(actor=actor, case=case, risk_level=latest.final_level)


@transaction.atomic
def judgement_revise(*, actor: User, assessment: Assessment, final_level: str, rationale: str) -> Assessment:
    """A practitioner or supervisor revises the rating that counts; the computed level stays as it was."""
    errors: dict[str, str] = {}
    if final_level not in Level.values:
        errors["final_level"] = _("Record your final rating: low, moderate or high.")
    if not _text(rationale):
        errors["rationale"] = _("Give the rationale for your final rating: the evidence that decided it.")
    if errors:
        raise ValidationError(errors)
    case = assessment.case
    assessment.final_level = final_level
    assessment.rationale = _text(rationale)
    assessment.judged_by = actor
    assessment.judged_at = timezone.now()
    assessment.next_due_on = next_due(case.programme, final_level, assessment.assessed_on)
    assessment.save(update_fields=["final_level", "rationale", "judged_by", "judged_at", "next_due_on"])
    audit_record("assessment.judgement", case, detail=f"assessment:{assessment.pk} {final_level}", actor=actor)
    _sync_case_level(actor, case)
    return assessment


@transaction.atomic
def intake_screening_record(
    *,
    actor: User,
    case: Case,
    screened_on: dt.date,
    target_group_fit: str,
    position: str,
    outcome: str,
    exclusions: Iterable[str] = (),
    note: str = "",
) -> IntakeScreening:
    """The intake checklist. A met exclusion criterion must be answered by an outcome other than accepting."""
    errors: dict[str, str] = {}
    _check_date(screened_on, "screened_on", errors, label=_("of the screening"))
    if target_group_fit not in Fit.values:
        errors["target_group_fit"] = _("Say whether the client fits the target group.")
    if position not in GroupPosition.values:
        errors["position"] = _("Choose the client's position in the group.")
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose the outcome of the screening.")
    known = {c["key"]: c for c in exclusion_criteria(case.programme)}
    exclusions = list(dict.fromkeys(exclusions))
    if any(key not in known for key in exclusions):
        errors["exclusions"] = _("Choose the exclusion criteria from the list.")
    elif exclusions and outcome == Outcome.ACCEPT:
        errors["outcome"] = _(
            "An exclusion criterion is met: refer on, decline or keep the case under review instead of accepting it."
        )
    if target_group_fit == Fit.NO and outcome == Outcome.ACCEPT:
        errors["outcome"] = _("The client does not fit the target group: refer on, decline or keep under review.")
    if errors:
        raise ValidationError(errors)
    screening = IntakeScreening.objects.create(
        case=case,
        screened_on=screened_on,
        target_group_fit=target_group_fit,
        exclusions=exclusions,
        position=position,
        outcome=outcome,
        note=_text(note) or None,
        recorded_by=actor,
    )
    audit_record("assessment.intake", case, detail=f"intake:{screening.pk} {outcome}", actor=actor)
    return screening


@transaction.atomic
def external_result_record(
    *,
    actor: User,
    case: Case,
    instrument_name: str,
    rated_on: dt.date,
    rating: str,
    summary: str = "",
    assessed_by: str = "",
) -> ExternalResult:
    """Keep a completed licensed instrument's result: name, rating and a sealed summary (no instrument content)."""
    errors: dict[str, str] = {}
    if not instrument_name.strip():
        errors["instrument_name"] = _("Name the instrument.")
    _check_date(rated_on, "rated_on", errors, label=_("of the rating"))
    if rating not in Rating.values:
        errors["rating"] = _("Choose a value from the list.")
    if errors:
        raise ValidationError(errors)
    result = ExternalResult.objects.create(
        case=case,
        instrument_name=instrument_name.strip()[:100],
        rated_on=rated_on,
        rating=rating,
        summary=_text(summary) or None,
        assessed_by=assessed_by.strip()[:200] or None,
        recorded_by=actor,
    )
    audit_record("assessment.external", case, detail=f"external:{result.pk}", actor=actor)
    return result


@transaction.atomic
def plan_review_record(
    *, actor: User, case: Case, assessment: Assessment | None, reviewed_on: dt.date, notes: str = ""
) -> PlanReview:
    errors: dict[str, str] = {}
    if assessment is None or assessment.case_id != case.pk:
        errors["assessment"] = _("Choose one of this case's assessments.")
    _check_date(reviewed_on, "reviewed_on", errors, label=_("of the review"))
    if not errors and assessment is not None and reviewed_on < assessment.assessed_on:
        errors["reviewed_on"] = _("A plan review follows its assessment: date it on or after %(date)s.") % {
            "date": assessment.assessed_on.isoformat()
        }
    if errors or assessment is None:  # no assessment is one of the errors
        raise ValidationError(errors)
    review = PlanReview.objects.create(
        case=case, assessment=assessment, reviewed_on=reviewed_on, notes=_text(notes) or None, reviewed_by=actor
    )
    audit_record("assessment.plan_review", case, detail=f"review:{review.pk} assessment:{assessment.pk}", actor=actor)
    return review


@transaction.atomic
def goals_from_needs(
    *, actor: User, assessment: Assessment, goals: dict[str, str], target_date: dt.date | None = None
) -> list:
    """Turn needs found in an assessment into plan needs with a first goal each, in one step.

    `goals` maps item keys (items rated as a need in this assessment) to the goal's description; an
    empty description takes the instrument's suggested goal for the item.
    """
    from planning import services as planning

    instrument = assessment.instrument
    if instrument is None:
        raise ValidationError({"needs": _("The instrument of this assessment is no longer available.")})
    needs = {item.key: item for item in instrument.score(assessment.answers).needs}
    if not goals:
        raise ValidationError({"needs": _("Select at least one need to add to the plan.")})
    errors: dict[str, str] = {}
    if any(key not in needs for key in goals):
        errors["needs"] = _("Select needs found in this assessment.")
    if target_date is not None and target_date < timezone.localdate():
        errors["target_date"] = _("The target date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    created = []
    for key, description in goals.items():
        item = needs[key]
        need = planning.need_add(actor=actor, case=assessment.case, domain=item.area, description=item.text)
        text = _text(description) or item.goal or _("A first small step on: %(need)s") % {"need": item.text}
        created.append(planning.goal_add(actor=actor, need=need, description=text, target_date=target_date))
    audit_record(
        "assessment.goals_from_needs",
        assessment.case,
        detail=f"assessment:{assessment.pk} {len(created)} goals",
        actor=actor,
    )
    return created
