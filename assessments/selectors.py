"""Reads for assessments: the case page section, due reassessments, comparison and the chart over time.

Every function here runs a fixed number of queries, however many assessments a case has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from cases.models import Case, CaseQuerySet
from tandem.dates import add_months

from . import instruments
from .models import (
    Assessment,
    AssessmentSettings,
    ExclusionAction,
    ExternalResult,
    IntakeScreening,
    Intensity,
    PlanReview,
    Rating,
)

if TYPE_CHECKING:
    from accounts.models import User

DUE_WINDOW_DAYS = 14
INTAKE_ASSESSMENT_DAYS = 28  # days after a case enters assessment by which the first assessment is due


def case_assessments(case: Case) -> list[Assessment]:
    """All assessments of the case, newest first, in one query (the case is attached, not fetched again)."""
    rows = list(case.assessments.select_related("assessor", "judged_by").order_by("-assessed_on", "-recorded_at"))
    for row in rows:
        row.case = case
    return rows


def assessment_in(case: Case, assessment_id) -> Assessment | None:
    row = case.assessments.select_related("assessor", "judged_by").filter(pk=assessment_id).first()
    if row is not None:
        row.case = case
    return row


def recommended_intensity(case: Case, level: str | None = None) -> str:
    level = level or case.risk_level
    value = settings_for(case.programme).intensity_for(level)
    return str(Intensity(value).label) if value else ""


def case_section_context(case, user: User) -> dict:
    """The case page's assessment section (see cases.sections). Five queries, whatever the history."""
    history = case_assessments(case)
    latest = history[0] if history else None
    screening = case.intake_screenings.select_related("recorded_by").first()
    if screening is not None:
        screening.case = case
    external = list(case.external_results.order_by("-rated_on")[:3])
    programme_settings = settings_for(case.programme)
    return {
        "assessments_latest": latest,
        "assessments_previous": history[1] if len(history) > 1 else None,
        "assessments_count": len(history),
        "assessments_intensity": recommended_intensity(case),
        "assessments_interval_months": programme_settings.months_for(latest.final_level) if latest else None,
        "assessments_screening": screening,
        "assessments_screening_advice": exclusion_advice(case.programme, screening.exclusions) if screening else [],
        "assessments_external": external,
    }


# --- Due reassessments -------------------------------------------------------------------------------


def reassessments_due(cases_qs: CaseQuerySet, today: dt.date) -> list:
    """Open, worked cases whose reassessment is due within two weeks or overdue, and cases in assessment
    without any assessment four weeks on. One query."""
    from cases.due import DueItem, case_url
    from cases.lifecycle import WORKED_STATES, State

    latest = Assessment.objects.filter(case=OuterRef("pk")).order_by("-assessed_on", "-recorded_at")
    horizon = today + dt.timedelta(days=DUE_WINDOW_DAYS)
    # Only cases that may be due are loaded: a reassessment date within the window, or none yet while in assessment.
    rows = (
        cases_qs.filter(state__in=WORKED_STATES)
        .select_related("client", "programme")
        .annotate(
            due_next=Subquery(latest.values("next_due_on")[:1]), due_last=Subquery(latest.values("assessed_on")[:1])
        )
        .filter(Q(due_next__lte=horizon) | Q(due_next__isnull=True, state=State.ASSESSMENT))
    )
    items = []
    for case in rows:
        url = case_url(case, "assessments")
        if case.due_next is None:
            if case.state != State.ASSESSMENT:
                continue
            due_on = case.state_changed_at.date() + dt.timedelta(days=INTAKE_ASSESSMENT_DAYS)
            if due_on <= horizon:
                items.append(
                    DueItem(
                        case,
                        "reassessment",
                        _("Intake assessment not recorded yet"),
                        due_on,
                        due_on < today,
                        url,
                        key="intake",
                    )
                )
            continue
        if case.due_next <= horizon:
            label = (
                _("Reassessment overdue since %(date)s") if case.due_next < today else _("Reassessment due on %(date)s")
            ) % {"date": case.due_next.isoformat()}
            items.append(
                DueItem(
                    case,
                    "reassessment",
                    label,
                    case.due_next,
                    case.due_next < today,
                    url,
                    key=f"after-{case.due_last.isoformat()}",
                )
            )
    return items


# --- Comparison --------------------------------------------------------------------------------------


@dataclass
class ItemChange:
    item: instruments.Item
    before: str
    after: str
    change: str  # "same", "better", "worse", "changed"


@dataclass
class DomainChange:
    domain: instruments.Domain
    before: tuple[int, int] | None
    after: tuple[int, int] | None
    rating_before: str
    rating_after: str
    change: str
    items: list[ItemChange] = field(default_factory=list)

    @property
    def changed_items(self) -> int:
        return sum(1 for i in self.items if i.change != "same")


def _direction(before, after, protective: bool) -> str:
    if before == after:
        return "same"
    if before is None or after is None:
        return "changed"
    worse = after > before if not protective else after < before
    return "worse" if worse else "better"


def compare(older: Assessment, newer: Assessment) -> list[DomainChange]:
    """Per domain and per item, what changed from the older to the newer assessment (same instrument)."""
    instrument = newer.instrument
    labels = {value: str(label) for value, label in Rating.choices}
    out = []
    for domain in instrument.domains:
        before = older.domain_scores.get(domain.key)
        after = newer.domain_scores.get(domain.key)
        change = _direction(before[0] if before else None, after[0] if after else None, domain.protective)
        rb = older.domain_ratings.get(domain.key, {}).get("rating", "")
        ra = newer.domain_ratings.get(domain.key, {}).get("rating", "")
        row = DomainChange(domain, before, after, labels.get(rb, "—"), labels.get(ra, "—"), change)
        for item in domain.items:
            vb, va = older.answers.get(item.key), newer.answers.get(item.key)
            row.items.append(
                ItemChange(
                    item, item.scale.label_for(vb), item.scale.label_for(va), _direction(vb, va, item.is_protective)
                )
            )
        out.append(row)
    return out


# --- Chart over time ---------------------------------------------------------------------------------

CHART_W, CHART_H, PAD_X, PAD_Y = 240, 110, 30, 14


@dataclass
class Series:
    domain: instruments.Domain
    values: list[int | None]  # percent of the maximum, per assessment (None when nothing was answered)
    points: str  # SVG polyline points
    dots: list[tuple[float, float, int, str]]  # x, y, percent, date
    cells: list[str]  # "score / max" per assessment for the table
    trend: str  # "better", "worse", "same", "changed"
    desc: str = ""  # the values in words, for assistive technology


def chart(history: list[Assessment]) -> dict:
    """Per-domain series over time for the assessments made with the latest assessment's instrument.

    Coordinates are computed here so the template draws SVG with attributes and CSS classes only.
    """
    if not history:
        return {"series": [], "dates": [], "instrument": None}
    instrument = history[0].instrument
    rows = [a for a in reversed(history) if a.instrument_key == history[0].instrument_key]
    dates = [a.assessed_on for a in rows]
    count = len(rows)
    inner_w, inner_h = CHART_W - 2 * PAD_X, CHART_H - 2 * PAD_Y

    def x(index: int) -> float:
        return PAD_X + (inner_w * index / (count - 1) if count > 1 else inner_w / 2)

    def y(percent: int) -> float:
        return PAD_Y + inner_h * (100 - percent) / 100

    series = []
    for domain in instrument.domains:
        values, dots, cells = [], [], []
        for index, assessment in enumerate(rows):
            score, possible = assessment.domain_scores.get(domain.key, (0, 0))
            if possible:
                percent = round(100 * score / possible)
                values.append(percent)
                dots.append((round(x(index), 1), round(y(percent), 1), percent, dates[index].isoformat()))
                cells.append(f"{score} / {possible}")
            else:
                values.append(None)
                cells.append("—")
        known = [v for v in values if v is not None]
        trend = _direction(known[0], known[-1], domain.protective) if len(known) > 1 else "same"
        desc = "; ".join(
            f"{day.isoformat()}: {'—' if v is None else f'{v} %'}" for day, v in zip(dates, values, strict=True)
        )
        series.append(
            Series(domain, values, " ".join(f"{dx},{dy}" for dx, dy, _p, _d in dots), dots, cells, trend, desc)
        )
    return {
        "series": series,
        "dates": dates,
        "instrument": instrument,
        "rows": rows,
        "width": CHART_W,
        "height": CHART_H,
        "top": PAD_Y,
        "bottom": CHART_H - PAD_Y,
        "left": PAD_X,
        "right": CHART_W - PAD_X,
        "middle": PAD_Y + inner_h / 2,
        "first_label_x": PAD_X,
        "last_label_x": CHART_W - PAD_X,
    }


def plan_reviews(case: Case) -> list[PlanReview]:
    rows = list(case.plan_reviews.select_related("assessment", "reviewed_by"))
    for row in rows:
        row.case = case
        row.assessment.case = case
    return rows


def external_results(case: Case) -> list[ExternalResult]:
    rows = list(case.external_results.select_related("recorded_by"))
    for row in rows:
        row.case = case
    return rows


def screenings(case: Case) -> list[IntakeScreening]:
    rows = list(case.intake_screenings.select_related("recorded_by"))
    for row in rows:
        row.case = case
        row.advice = exclusion_advice(case.programme, row.exclusions)
    return rows


@dataclass
class AnsweredDomain:
    domain: instruments.Domain
    answers: list[tuple[instruments.Item, str]]
    rating: str
    evidence_for: str
    evidence_against: str
    score: tuple[int, int] | None


def answered(assessment: Assessment) -> list[AnsweredDomain]:
    """The assessment's answers and domain ratings as labels, domain by domain."""
    instrument = assessment.instrument
    if instrument is None:
        return []
    labels = {value: str(label) for value, label in Rating.choices}
    out = []
    for domain in instrument.domains:
        rating = assessment.domain_ratings.get(domain.key, {})
        out.append(
            AnsweredDomain(
                domain,
                [(item, item.scale.label_for(assessment.answers.get(item.key))) for item in domain.items],
                labels.get(rating.get("rating", ""), ""),
                rating.get("for", ""),
                rating.get("against", ""),
                assessment.domain_scores.get(domain.key),
            )
        )
    return out


def need_rows(assessment: Assessment, result) -> list[tuple[instruments.Item, str]]:
    return [(item, item.scale.label_for(assessment.answers.get(item.key))) for item in result.needs] if result else []


def settings_for(programme) -> AssessmentSettings:
    """The programme's assessment settings, or the defaults (unsaved) when it has none."""
    try:
        return programme.assessment_settings
    except AssessmentSettings.DoesNotExist:
        return AssessmentSettings(programme=programme)


def next_due(programme, level: str, assessed_on: dt.date) -> dt.date:
    return add_months(assessed_on, settings_for(programme).months_for(level))


def latest_assessment(case: Case) -> Assessment | None:
    return case.assessments.order_by("-assessed_on", "-recorded_at").first()


def exclusion_criteria(programme) -> list[dict]:
    return list(settings_for(programme).exclusion_criteria or [])


def exclusion_advice(programme, keys: Iterable[str]) -> list[dict]:
    """What the programme says to do for each met criterion: label and action label, in the active language."""
    from .instruments import tr

    labels = dict(ExclusionAction.choices)
    criteria = {c["key"]: c for c in exclusion_criteria(programme)}
    return [
        {
            "key": key,
            "label": tr(criteria[key]) or key,
            "action": str(labels.get(criteria[key].get("action", ""), criteria[key].get("action", ""))),
        }
        for key in keys
        if key in criteria
    ]
