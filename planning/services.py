"""The write layer for the work agreement and the intervention plan."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from cases.models import Case

from .models import (
    AgreementRevision,
    ConfirmationMethod,
    Goal,
    GoalOwner,
    GoalStatus,
    Need,
    NeedDomain,
    NeedStatus,
    Provider,
    Service,
    ServiceKind,
    ServiceStatus,
)

if TYPE_CHECKING:
    from accounts.models import User


class EditConflict(ValidationError):
    """Someone else saved in the meantime; the caller's change is not applied."""


def _choice(value: str, choices, field: str, errors: dict) -> None:
    if value not in choices.values:
        errors[field] = _("Choose a value from the list.")


def _status_set(*, actor: User, obj, choices, status: str, case: Case, kind: str, seen: str | None = None):
    """Set a status. With `seen` (the status the practitioner was looking at) the change applies only if
    nobody changed it in the meantime; otherwise EditConflict, and nothing is written."""
    errors: dict[str, str] = {}
    _choice(status, choices, "status", errors)
    if seen:
        _choice(seen, choices, "seen_status", errors)
    if errors:
        raise ValidationError(errors)
    rows = type(obj).objects.filter(pk=obj.pk)
    if seen:
        rows = rows.filter(status=seen)
    if not rows.update(status=status):
        current = type(obj).objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        labels = dict(choices.choices)
        raise EditConflict(
            _(
                "Someone else changed this status to “%(current)s” while you were looking at "
                "“%(seen)s”. Nothing was changed: check the plan and choose again."
            )
            % {"current": labels.get(current, current), "seen": labels.get(seen, seen)}
        )
    obj.status = status
    audit_record(f"plan.{kind}_update", case, detail=f"{kind}:{obj.pk} {status}", actor=actor)
    return obj


@transaction.atomic
def agreement_revise(
    *,
    actor: User,
    case: Case,
    objectives: str,
    commitments: str = "",
    agreed_on: dt.date,
    confirmation: str,
    base_number: int | None,
) -> AgreementRevision:
    """Save a new revision; refused when `base_number` is not the latest (someone else revised it)."""
    Case.objects.select_for_update().filter(pk=case.pk).first()
    latest = case.agreement_revisions.order_by("-number").values_list("number", flat=True).first() or 0
    if (base_number or 0) != latest:
        raise EditConflict(
            _(
                "Someone else saved a new version of the agreement (version %(n)s) while you were editing. "
                "Your text is kept below; compare it with the current version and save again."
            )
            % {"n": latest}
        )
    errors: dict[str, str] = {}
    if not objectives.strip():
        errors["objectives"] = _("Write down the client's objectives in their own words.")
    if agreed_on is None:
        errors["agreed_on"] = _("Enter the date the agreement was made.")
    elif agreed_on > timezone.localdate():
        errors["agreed_on"] = _("The agreement date cannot be in the future.")
    _choice(confirmation, ConfirmationMethod, "confirmation", errors)
    if errors:
        raise ValidationError(errors)
    revision = AgreementRevision.objects.create(
        case=case,
        number=latest + 1,
        objectives=objectives.strip(),
        commitments=commitments.strip(),
        agreed_on=agreed_on,
        confirmation=confirmation,
        recorded_by=actor,
    )
    audit_record("agreement.revise", case, detail=f"revision {revision.number}", actor=actor)
    return revision


@transaction.atomic
def need_add(*, actor: User, case: Case, domain: str, description: str) -> Need:
    errors: dict[str, str] = {}
    _choice(domain, NeedDomain, "domain", errors)
    if not description.strip():
        errors["description"] = _("Describe the need.")
    if errors:
        raise ValidationError(errors)
    need = Need.objects.create(case=case, domain=domain, description=description.strip())
    audit_record("plan.need_add", case, detail=f"need:{need.pk}", actor=actor)
    return need


@transaction.atomic
def need_status_set(*, actor: User, need: Need, status: str, seen_status: str | None = None) -> Need:
    return _status_set(
        actor=actor, obj=need, choices=NeedStatus, status=status, case=need.case, kind="need", seen=seen_status
    )


@transaction.atomic
def goal_add(
    *,
    actor: User,
    need: Need,
    description: str,
    owner: str = GoalOwner.CLIENT_AND_TANDEM,
    target_date: dt.date | None = None,
) -> Goal:
    errors: dict[str, str] = {}
    _choice(owner, GoalOwner, "owner", errors)
    if not description.strip():
        errors["description"] = _("Describe the goal: small and achievable.")
    if errors:
        raise ValidationError(errors)
    goal = Goal.objects.create(need=need, description=description.strip(), owner=owner, target_date=target_date)
    audit_record("plan.goal_add", need.case, detail=f"goal:{goal.pk}", actor=actor)
    return goal


@transaction.atomic
def goal_status_set(*, actor: User, goal: Goal, status: str, seen_status: str | None = None) -> Goal:
    return _status_set(
        actor=actor, obj=goal, choices=GoalStatus, status=status, case=goal.need.case, kind="goal", seen=seen_status
    )


@transaction.atomic
def service_add(
    *,
    actor: User,
    goal: Goal,
    kind: str,
    name: str,
    provider: str = Provider.INTERNAL,
    provider_name: str = "",
    details: str = "",
    status: str = ServiceStatus.PROPOSED,
) -> Service:
    errors: dict[str, str] = {}
    _choice(kind, ServiceKind, "kind", errors)
    _choice(provider, Provider, "provider", errors)
    _choice(status, ServiceStatus, "status", errors)
    if not name.strip():
        errors["name"] = _("Name the service.")
    if provider == Provider.EXTERNAL and not provider_name.strip():
        errors["provider_name"] = _("Name the external provider.")
    if errors:
        raise ValidationError(errors)
    service = Service.objects.create(
        goal=goal,
        kind=kind,
        name=name.strip()[:120],
        provider=provider,
        provider_name=provider_name.strip()[:200],
        details=details.strip(),
        status=status,
    )
    audit_record("plan.service_add", goal.need.case, detail=f"service:{service.pk}", actor=actor)
    return service


@transaction.atomic
def service_status_set(*, actor: User, service: Service, status: str, seen_status: str | None = None) -> Service:
    return _status_set(
        actor=actor,
        obj=service,
        choices=ServiceStatus,
        status=status,
        case=service.goal.need.case,
        kind="service",
        seen=seen_status,
    )
