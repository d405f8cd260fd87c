"""Reads for the work agreement and the intervention plan, with query counts that do not grow with the plan."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch

from cases.models import Case
from tandem.ids import parse_uuid

from .forms import NeedForm
from .models import (
    AgreementRevision,
    Goal,
    GoalStatus,
    Need,
    NeedDomain,
    NeedStatus,
    Service,
    ServiceStatus,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User


@dataclass
class DomainGroup:
    """The needs of one domain, in the order the plan shows them."""

    domain: str
    label: StrOrPromise
    needs: list[Need] = field(default_factory=list)


def need_in(case: Case, need_id: object) -> Need | None:
    """A need of this case only (pages and API alike): an id from another case, or no id at all, is not found."""
    need = case.needs.filter(pk=pk).first() if (pk := parse_uuid(need_id)) else None
    if need is not None:
        need.case = case
    return need


def goal_in(case: Case, goal_id: object) -> Goal | None:
    """A goal of this case only, with its need."""
    pk = parse_uuid(goal_id)
    goal = Goal.objects.select_related("need").filter(pk=pk, need__case=case).first() if pk else None
    if goal is not None:
        goal.need.case = case
    return goal


def service_in(case: Case, service_id: object) -> Service | None:
    """A service of this case only, with its goal and need."""
    pk = parse_uuid(service_id)
    service = Service.objects.select_related("goal__need").filter(pk=pk, goal__need__case=case).first() if pk else None
    if service is not None:
        service.goal.need.case = case
    return service


def agreement_revisions(case: Case):
    return case.agreement_revisions.select_related("recorded_by").order_by("-number")


def plan_needs(case: Case) -> list[Need]:
    """Every need of the case with its goals and their services, in three queries however large the plan."""
    goals = Goal.objects.order_by("target_date", "created_at").prefetch_related(
        Prefetch("services", queryset=Service.objects.order_by("created_at"))
    )
    return list(case.needs.order_by("domain", "created_at").prefetch_related(Prefetch("goals", queryset=goals)))


def needs_by_domain(needs: list[Need]) -> list[DomainGroup]:
    groups = {value: DomainGroup(value, label) for value, label in NeedDomain.choices}
    for need in needs:
        groups.setdefault(need.domain, DomainGroup(need.domain, need.get_domain_display())).needs.append(need)
    return [group for group in groups.values() if group.needs]


def case_plan_context(case: Case) -> dict:
    """What `planning/_case_sections.html` needs, to merge into a case page's context.

    Keys: agreement (the current revision or None), agreement_count, plan_groups (DomainGroup list),
    plan_need_count, need_statuses, goal_statuses, service_statuses (choices for the status forms),
    need_form (an empty form to add a need).
    """

    revisions = list(agreement_revisions(case)[:1])
    needs = plan_needs(case)
    return {
        "agreement": revisions[0] if revisions else None,
        "agreement_count": revisions[0].number if revisions else 0,
        "plan_groups": needs_by_domain(needs),
        "plan_need_count": len(needs),
        "need_statuses": NeedStatus.choices,
        "goal_statuses": GoalStatus.choices,
        "service_statuses": ServiceStatus.choices,
        "need_form": NeedForm(),
    }


def revision_for(case: Case, number: int) -> AgreementRevision | None:
    return agreement_revisions(case).filter(number=number).first()


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level changes from `old` to `new` as (operation, text) pairs: equal, delete or insert."""
    a, b = re.split(r"(\s+)", old or ""), re.split(r"(\s+)", new or "")
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(("insert", "".join(b[j1:j2])))
    return [part for part in parts if part[1]]


def case_section_context(case, user: User) -> dict:
    """The case page's agreement and plan sections (see cases.sections)."""
    return case_plan_context(case)


def agreement_current(case: Case) -> AgreementRevision | None:
    return case.agreement_revisions.order_by("-number").first()
