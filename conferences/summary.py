"""The pseudonymised case summary given to conference participants.

Every value comes through vault.classification.pseudonymised_values, which leaves out whatever the
field classification marks identifying or special. A field added later to a client, a case or a plan
is therefore left out unless it is classified as pseudonymous case data; `_pick` refuses to read a
key the pseudonymised values do not hold. The only free text is the practitioner's summary, and only
once a second person has reviewed it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.lifecycle import State
from cases.models import Case, Contact, ContactKind, LegalStatus, RiskLevel
from planning.models import GoalOwner, GoalStatus, NeedDomain, NeedStatus
from programmes.models import Setting
from vault.classification import SEALED_CLASSES, field_class, pseudonymised_values

from .models import Conference


class SealedValueRequested(LookupError):
    """The summary asked for a value the field classification keeps out of pseudonymised output."""


def _pick(values: dict[str, Any], key: str) -> Any:
    if key not in values:
        raise SealedValueRequested(key)
    return values[key]


@dataclass(frozen=True)
class GoalLine:
    domain: str
    need_status: str
    status: str
    owner: str
    target_date: dt.date | None


@dataclass(frozen=True)
class ConferenceSummary:
    pseudonym: str
    setting: str
    state: str
    legal_status: str
    risk_level: str
    months_in_programme: int
    goals: list[GoalLine] = field(default_factory=list)
    contacts_by_kind: list[tuple[str, int]] = field(default_factory=list)
    summary_text: str = ""
    prepared_on: dt.date | None = None

    def as_dict(self) -> dict:
        return {
            "pseudonym": self.pseudonym,
            "setting": self.setting,
            "state": self.state,
            "legal_status": self.legal_status,
            "risk_level": self.risk_level,
            "months_in_programme": self.months_in_programme,
            "goals": [
                {
                    "domain": g.domain,
                    "need_status": g.need_status,
                    "status": g.status,
                    "owner": g.owner,
                    "target_date": g.target_date.isoformat() if g.target_date else None,
                }
                for g in self.goals
            ],
            "contacts_by_kind": [{"kind": kind, "count": count} for kind, count in self.contacts_by_kind],
            "summary_text": self.summary_text,
            "prepared_on": self.prepared_on.isoformat() if self.prepared_on else None,
        }

    def as_text(self, *, with_risk: bool = True) -> str:
        """The pack as plain text: what the disclosure record keeps as its content."""
        lines = [
            _("Case %(pseudonym)s, prepared on %(day)s") % {"pseudonym": self.pseudonym, "day": self.prepared_on},
            _("Setting: %(value)s") % {"value": self.setting},
            _("State: %(value)s") % {"value": self.state},
            _("Legal status: %(value)s") % {"value": self.legal_status},
            *([_("Risk level: %(value)s") % {"value": self.risk_level}] if with_risk else []),
            _("Months in the programme: %(value)s") % {"value": self.months_in_programme},
        ]
        for goal in self.goals:
            lines.append(
                _("Goal (%(domain)s): %(status)s, target %(target)s, worked on by %(owner)s")
                % {
                    "domain": goal.domain,
                    "status": goal.status,
                    "owner": goal.owner,
                    "target": goal.target_date.isoformat() if goal.target_date else "–",
                }
            )
        for kind, count in self.contacts_by_kind:
            lines.append(_("Contacts (%(kind)s): %(count)s") % {"kind": kind, "count": count})
        if self.summary_text:
            lines += ["", self.summary_text]
        return "\n".join(lines)


def _label(choices, value: object) -> str:
    return str(dict(choices).get(value, value))


def _months_between(start: dt.date, end: dt.date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0))


def contacts_by_kind(case: Case) -> list[tuple[str, int]]:
    if field_class(Contact, "kind") in SEALED_CLASSES:  # a reclassified field must not be counted out loud
        raise SealedValueRequested("kind")
    counts = dict(case.contacts.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return [(_label(ContactKind.choices, kind), counts[kind]) for kind in ContactKind.values if counts.get(kind)]


def build_summary(conference: Conference, *, on: dt.date | None = None) -> ConferenceSummary:
    case = conference.case
    on = on or timezone.localdate()
    client_values = pseudonymised_values(case.client)
    case_values = pseudonymised_values(case)
    goals: list[GoalLine] = []
    for need in case.needs.order_by("domain", "created_at").prefetch_related("goals"):
        need_values = pseudonymised_values(need)
        for goal in sorted(need.goals.all(), key=lambda g: (g.target_date or dt.date.max, g.created_at)):
            goal_values = pseudonymised_values(goal)
            goals.append(
                GoalLine(
                    domain=_label(NeedDomain.choices, _pick(need_values, "domain")),
                    need_status=_label(NeedStatus.choices, _pick(need_values, "status")),
                    status=_label(GoalStatus.choices, _pick(goal_values, "status")),
                    owner=_label(GoalOwner.choices, _pick(goal_values, "owner")),
                    target_date=_pick(goal_values, "target_date"),
                )
            )
    text = conference.summary_text if conference.summary_reviewed_at else ""
    return ConferenceSummary(
        pseudonym=str(_pick(client_values, "pseudonym")),
        setting=_label(Setting.choices, _pick(case_values, "setting")),
        state=_label(State.choices, _pick(case_values, "state")),
        legal_status=_label(LegalStatus.choices, _pick(case_values, "legal_status")),
        risk_level=_label(RiskLevel.choices, _pick(case_values, "risk_level")),
        months_in_programme=_months_between(_pick(case_values, "opened_on"), on),
        goals=goals,
        contacts_by_kind=contacts_by_kind(case),
        summary_text=(text or "").strip(),
        prepared_on=on,
    )
