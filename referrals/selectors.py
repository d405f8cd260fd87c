"""Reads for referrals. The inbox is the programme's: its practitioners and supervisors see it, nobody else.

Like access.get_case_for, a referral outside the inbox does not exist for the caller (404, audited).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Role, RoleGrant, User
from audit.models import Outcome
from audit.services import audit_record
from programmes.models import Programme
from tandem.ids import parse_uuid

from .models import InboundReferral, InboundStatus, OutboundReferral

INBOX_ROLES = (Role.PRACTITIONER, Role.SUPERVISOR)


def inbox_programmes(user: User) -> QuerySet[Programme]:
    """The programmes whose referral inbox this user works: a practitioner's or supervisor's team is in them."""
    if not (user and user.is_authenticated and user.is_active and user.organisation_id):
        return Programme.objects.none()
    team_programmes = RoleGrant.objects.filter(user=user, role__in=INBOX_ROLES, team__isnull=False).values(
        "team__programme_id"
    )
    return Programme.objects.filter(organisation_id=user.organisation_id, pk__in=team_programmes)


def sees_inbox(user: User) -> bool:
    return inbox_programmes(user).exists()


def inbox_for(user: User) -> QuerySet[InboundReferral]:
    return InboundReferral.objects.filter(programme__in=inbox_programmes(user))


def get_referral_for(user, referral_id: object, *, action: str = "referral.view") -> InboundReferral:
    parsed = parse_uuid(referral_id)
    referral = None
    if parsed is not None:
        referral = (
            inbox_for(user)
            .select_related("programme", "partner", "referred_on_to", "case__client")
            .filter(pk=parsed)
            .first()
        )
    if referral is None:
        audit_record(
            action,
            object_type="inboundreferral",
            object_id=str(referral_id).replace("\x00", "")[:64],
            outcome=Outcome.DENIED,
            actor=user,
        )
        raise Http404("No such referral.")
    audit_record(action, referral, actor=user)
    return referral


def inbox(user: User, *, status: str = InboundStatus.PENDING) -> list[InboundReferral]:
    rows = inbox_for(user).select_related("programme", "partner", "case__client", "referred_on_to")
    if status:
        rows = rows.filter(status=status)
    return list(rows.order_by("status", "-received_on", "-recorded_at"))


def case_outbound(case) -> list[OutboundReferral]:
    return list(
        case.outbound_referrals.select_related("partner", "plan_service")
        .prefetch_related("events")
        .order_by("-sent_on", "-created_at")
    )


def case_section_context(case, user: User) -> dict:
    """The case page's outbound referral section (see cases.sections)."""
    return {"referrals_outbound": case_outbound(case)}
