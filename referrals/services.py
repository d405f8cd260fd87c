"""The write layer for referrals, inbound and outbound. Pages and API call these; each audits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.services import audit_record
from cases import services as case_services
from cases.models import Case, ReferralSource
from planning import services as plan_services
from planning.models import Service, ServiceStatus
from programmes.models import Programme, Team
from sharing import services as sharing
from sharing.models import Partner
from sharing.policy import DataCategory, Ground, Purpose
from vault.services import client_key_create, client_key_destroy

from .models import (
    OUTBOUND_EDGES,
    Channel,
    ContactConsent,
    DeclineReason,
    InboundReferral,
    InboundStatus,
    OutboundEvent,
    OutboundReferral,
    OutboundStatus,
    ServiceArea,
    Urgency,
)
from .selectors import inbox_programmes

SOURCE = "referral"
REASON_MAX = 2000
DEFAULT_OUTBOUND_CATEGORIES = (DataCategory.CONTACT_DETAILS, DataCategory.NEEDS_AND_PLAN)
PURPOSE_FOR_AREA: dict[str, Purpose] = {
    ServiceArea.HOUSING: Purpose.HOUSING,
    ServiceArea.MENTAL_HEALTH: Purpose.HEALTH_CARE,
    ServiceArea.ADDICTION: Purpose.HEALTH_CARE,
    ServiceArea.HEALTH: Purpose.HEALTH_CARE,
    ServiceArea.WORK: Purpose.EMPLOYMENT,
    ServiceArea.EDUCATION: Purpose.EDUCATION,
    ServiceArea.DEBT: Purpose.WELFARE_BENEFITS,
    ServiceArea.DOCUMENTS: Purpose.DOCUMENTS,
    ServiceArea.FAMILY: Purpose.REFERRAL,
    ServiceArea.OTHER: Purpose.REFERRAL,
}


def _choice(value: str, choices, field: str, errors: dict, message: str | None = None) -> None:
    if value not in choices.values:
        errors[field] = message or _("Choose a value from the list.")


def _partner_ok(partner: Partner | None, organisation_id: int) -> bool:
    return partner is not None and partner.active and partner.organisation_id == organisation_id


# --- Inbound ---------------------------------------------------------------------------------------


@transaction.atomic
def inbound_record(
    *,
    actor: User,
    programme: Programme,
    referrer_category: str,
    channel: str,
    reason: str,
    received_on: dt.date | None = None,
    partner: Partner | None = None,
    person_name: str = "",
    urgency: str = Urgency.ROUTINE,
    contact_consent: str = ContactConsent.UNKNOWN,
) -> InboundReferral:
    """Record a referral with the minimum: who refers, how, the person's name if known, why, how urgent."""
    errors: dict[str, str] = {}
    if not inbox_programmes(actor).filter(pk=programme.pk).exists():
        errors["programme"] = _("Choose a programme whose referrals you work on.")
    _choice(referrer_category, ReferralSource, "referrer_category", errors, _("Choose who refers the person."))
    _choice(channel, Channel, "channel", errors, _("Choose how the referral came in."))
    _choice(urgency, Urgency, "urgency", errors)
    _choice(
        contact_consent,
        ContactConsent,
        "contact_consent",
        errors,
        _("Choose whether the person agrees to be contacted (or “unknown”)."),
    )
    if not reason.strip():
        errors["reason"] = _("Note briefly why the person is referred.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("Keep the reason short: at most %(n)s characters. Details belong in the case later.") % {
            "n": REASON_MAX
        }
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        errors["received_on"] = _("The referral cannot be dated in the future.")
    if partner is not None and not _partner_ok(partner, programme.organisation_id):
        errors["partner"] = _("Choose an active partner organisation from the directory.")
    if len(person_name) > 200:
        errors["person_name"] = _("Enter at most 200 characters.")
    if errors:
        raise ValidationError(errors)
    referral = InboundReferral(
        programme=programme,
        received_on=received_on,
        referrer_category=referrer_category,
        partner=partner,
        channel=channel,
        person_name=person_name.strip(),
        reason=reason.strip(),
        urgency=urgency,
        contact_consent=contact_consent,
        recorded_by=actor,
    )
    client_key_create(client_id=referral.key_id)
    referral.save()
    audit_record("referral.receive", referral, actor=actor)
    return referral


def _require_pending(referral: InboundReferral) -> None:
    if referral.status != InboundStatus.PENDING:
        raise ValidationError(
            _("This referral was already decided (%(status)s).") % {"status": referral.get_status_display()}
        )


def _signalled_at(referral: InboundReferral) -> dt.datetime:
    recorded = timezone.localtime(referral.recorded_at)
    if recorded.date() <= referral.received_on:
        return referral.recorded_at
    noon = dt.datetime.combine(referral.received_on, dt.time(12))
    return timezone.make_aware(noon)


@transaction.atomic
def inbound_accept(
    *,
    actor: User,
    referral: InboundReferral,
    team: Team,
    identity: dict[str, str],
    setting: str,
    participation: str,
    ideology: str,
    legal_status: str = "none",
) -> Case:
    """Turn the referral into an enquiry in one step: the client, the case, the link, the decision.

    The referral's sealed values move under the new client's key and its own key is destroyed, so that
    erasing the client later erases the referral with it.
    """
    _require_pending(referral)
    if team.programme_id != referral.programme_id:
        raise ValidationError({"team": _("Choose a team of the programme the referral came to.")})
    if not actor.role_grants.filter(team=team, role__in=(Role.PRACTITIONER, Role.SUPERVISOR)).exists():
        raise ValidationError({"team": _("Choose a team you work in.")})
    case = case_services.enquiry_create(
        actor=actor,
        programme=referral.programme,
        team=team,
        identity=identity,
        referral_source=referral.referrer_category,
        setting=setting,
        participation=participation,
        ideology=ideology,
        legal_status=legal_status,
        signalled_at=_signalled_at(referral),
    )
    if actor.has_role(Role.PRACTITIONER):
        case_services.assignment_add(actor=actor, case=case, staff=actor, role="case_manager")
    sealed = {name: getattr(referral, name) for name in ("person_name", "reason", "decision_note")}
    old_key = referral.key_id
    referral.key_id = case.client_id
    for name, value in sealed.items():
        setattr(referral, name, value)  # re-sealed under the client's key on save
    referral.case = case
    referral.status = InboundStatus.ACCEPTED
    referral.decided_by, referral.decided_at = actor, timezone.now()
    referral.save(update_fields=["key_id", *sealed, "case", "status", "decided_by", "decided_at"])
    client_key_destroy(client_id=old_key)
    audit_record("referral.accept", referral, detail=f"case:{case.pk}", actor=actor)
    return case


@transaction.atomic
def inbound_decline(*, actor: User, referral: InboundReferral, decline_reason: str, note: str = "") -> InboundReferral:
    _require_pending(referral)
    errors: dict[str, str] = {}
    _choice(decline_reason, DeclineReason, "decline_reason", errors, _("Choose why the referral is declined."))
    if decline_reason == DeclineReason.OTHER and not note.strip():
        errors["note"] = _("Describe the reason in a few words.")
    if errors:
        raise ValidationError(errors)
    referral.status = InboundStatus.DECLINED
    referral.decline_reason = decline_reason
    referral.decision_note = note.strip()
    referral.decided_by, referral.decided_at = actor, timezone.now()
    referral.save(update_fields=["status", "decline_reason", "decision_note", "decided_by", "decided_at"])
    audit_record("referral.decline", referral, detail=decline_reason, actor=actor)
    return referral


@transaction.atomic
def inbound_refer_on(*, actor: User, referral: InboundReferral, partner: Partner, note: str = "") -> InboundReferral:
    """Record that the person was referred on to another programme or service.

    Nothing is sent from here: the referrer (or the person) is given the other programme's contact.
    Sharing the person's details needs a case and goes through the disclosure service.
    """
    _require_pending(referral)
    if not _partner_ok(partner, referral.programme.organisation_id):
        raise ValidationError({"partner": _("Choose an active partner organisation from the directory.")})
    referral.status = InboundStatus.REFERRED_ON
    referral.referred_on_to = partner
    referral.decision_note = note.strip()
    referral.decided_by, referral.decided_at = actor, timezone.now()
    referral.save(update_fields=["status", "referred_on_to", "decision_note", "decided_by", "decided_at"])
    audit_record("referral.refer_on", referral, detail=f"partner:{partner.pk}", actor=actor)
    return referral


# --- Outbound --------------------------------------------------------------------------------------


class ReferralRefused(ValidationError):
    """The sharing policy refused what the referral would send; nothing was sent and no referral recorded."""


def outbound_refer(
    *,
    actor: User,
    case: Case,
    partner: Partner | None,
    service_area: str,
    data_categories: Iterable[str] = DEFAULT_OUTBOUND_CATEGORIES,
    content: str = "",
    ground: str = Ground.CONSENT,
    legal_basis: str = "",
    plan_service: Service | None = None,
    sent_on: dt.date | None = None,
) -> OutboundReferral:
    """Refer the client to an external service: the content goes out through the one disclosure service.

    Refused by the policy: the refusal is recorded in the disclosure log and ReferralRefused says why.
    """
    categories = list(dict.fromkeys(data_categories))
    errors: dict[str, str] = {}
    if not _partner_ok(partner, case.programme.organisation_id):
        errors["partner"] = _("Choose an active partner organisation from the directory.")
    _choice(service_area, ServiceArea, "service_area", errors, _("Choose the kind of service."))
    if not categories:
        errors["data_categories"] = _("Choose what the referral shares with the provider.")
    elif any(c not in DataCategory.values for c in categories):
        errors["data_categories"] = _("Choose kinds of information from the list.")
    _choice(ground, Ground, "ground", errors, _("Choose the ground: the client's consent or a legal ground."))
    if plan_service is not None and plan_service.goal.need.case_id != case.pk:
        errors["plan_service"] = _("Choose a service of this case's plan.")
    sent_on = sent_on or timezone.localdate()
    if sent_on > timezone.localdate():
        errors["sent_on"] = _("The referral cannot be dated in the future.")
    if errors or partner is None:  # no partner is one of the errors
        raise ValidationError(errors)
    purpose = PURPOSE_FOR_AREA[service_area]
    try:
        disclosure = sharing.disclose(
            actor=actor,
            case=case,
            partner=partner,
            recipient_category=partner.category,
            data_categories=categories,
            purpose=purpose,
            ground=ground,
            legal_basis=legal_basis,
            content=content,
            source=SOURCE,
            channel=_("Referral"),
        )
    except sharing.DisclosureRefused as exc:
        raise ReferralRefused(
            {"partner": [_("The referral was not sent: %(reason)s") % {"reason": exc.reason}]}
        ) from exc
    with transaction.atomic():
        referral = OutboundReferral(
            case=case,
            partner=partner,
            service_area=service_area,
            plan_service=plan_service,
            data_categories=disclosure.data_categories,
            content=content.strip(),
            sent_on=sent_on,
            disclosure=str(disclosure.pk),
            created_by=actor,
        )
        referral.save()
        OutboundEvent.objects.create(referral=referral, status=OutboundStatus.SENT, on=sent_on, recorded_by=actor)
        if plan_service is not None and plan_service.status != ServiceStatus.REFERRED:
            plan_services.service_status_set(actor=actor, service=plan_service, status=ServiceStatus.REFERRED)
        audit_record("referral.send", case, detail=f"referral:{referral.pk} partner:{partner.pk}", actor=actor)
    return referral


# How the provider's answer shows in the plan.
PLAN_STATUS_FOR: dict[str, ServiceStatus] = {
    OutboundStatus.FIRST_APPOINTMENT: ServiceStatus.ONGOING,
    OutboundStatus.DECLINED: ServiceStatus.DECLINED,
}


@transaction.atomic
def outbound_status_set(
    *, actor: User, referral: OutboundReferral, status: str, on: dt.date | None = None
) -> OutboundReferral:
    errors: dict[str, str] = {}
    on = on or timezone.localdate()
    if status not in OutboundStatus.values:
        errors["status"] = _("Choose a status from the list.")
    elif status not in OUTBOUND_EDGES[referral.status]:
        allowed = ", ".join(str(OutboundStatus(s).label) for s in OUTBOUND_EDGES[referral.status])
        errors["status"] = (
            _("A referral that is “%(from)s” can next be: %(allowed)s.")
            % {"from": referral.get_status_display(), "allowed": allowed}
            if allowed
            else _("This referral is “%(from)s”; its status no longer changes.")
            % {"from": referral.get_status_display()}
        )
    if on > timezone.localdate():
        errors["on"] = _("The date cannot be in the future.")
    elif on < referral.sent_on:
        errors["on"] = _("The date cannot be before the referral was sent (%(day)s).") % {
            "day": referral.sent_on.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    referral.status = status
    referral.save(update_fields=["status"])
    OutboundEvent.objects.create(referral=referral, status=status, on=on, recorded_by=actor)
    service = referral.plan_service
    if service is not None and status in PLAN_STATUS_FOR and service.status != PLAN_STATUS_FOR[status]:
        plan_services.service_status_set(actor=actor, service=service, status=PLAN_STATUS_FOR[status])
    audit_record("referral.status", referral.case, detail=f"referral:{referral.pk} {status}", actor=actor)
    return referral
