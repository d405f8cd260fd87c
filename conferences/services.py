"""The write layer for case conferences. Pages and API call these; each runs in a transaction and audits.

Nothing leaves the programme here except through sharing.services.disclose: the pack to external
participants (pseudonymised) and, by a recorded decision, the client's identity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import access
from audit.services import audit_record
from cases.lifecycle import State
from cases.models import Case
from sharing import services as sharing
from sharing.decisions import decide
from sharing.models import Partner
from sharing.policy import DataCategory, Ground, Rule, policy_for_programme
from sharing.policy import Purpose as SharingPurpose

from .models import (
    ActionStatus,
    ClientInvolvement,
    Conference,
    ConferenceAction,
    ConferenceDecision,
    ConferenceParticipant,
    ConferenceStatus,
    IdentityReveal,
    Mode,
    ParticipantKind,
    Purpose,
)
from .summary import build_summary

if TYPE_CHECKING:
    from accounts.models import User

# What a conference pack holds: the case's progress and its plan (goals and their status); the risk level
# only for recipients the policy does not bar from risk assessments.
PACK_CATEGORIES = (DataCategory.PROGRESS_SUMMARY, DataCategory.NEEDS_AND_PLAN)
SOURCE = "conference"


def _choice(value: str, choices, field: str, errors: dict, message: str | None = None) -> None:
    if value not in choices.values:
        errors[field] = message or _("Choose a value from the list.")


def _staff_ok(staff: User, case: Case) -> bool:
    """Programme staff who may take part: same organisation, a casework role, not kept away from the client."""
    return access.staff_can_be_assigned(staff, case.client)


def _partner_ok(partner: Partner | None, case: Case) -> bool:
    return partner is not None and partner.active and partner.organisation_id == case.programme.organisation_id


def _organisation(participant: ConferenceParticipant) -> Partner:
    """An external participant's organisation, which participant_add requires."""
    if participant.partner is None:
        raise ValueError(f"the external participant {participant.pk} names no organisation")
    return participant.partner


@transaction.atomic
def conference_schedule(
    *,
    actor: User,
    case: Case,
    scheduled_at: dt.datetime | None,
    purpose: str,
    client_involvement: str,
    mode: str = Mode.IN_PERSON,
    place: str = "",
    purpose_note: str = "",
    involvement_reason: str = "",
    chair: User | None = None,
    chair_partner: Partner | None = None,
    staff_participants: Iterable = (),
) -> Conference:
    """Schedule a conference on a case. The chair, if a staff member, takes part; so does whoever schedules it."""
    errors: dict[str, str] = {}
    if scheduled_at is None:
        errors["scheduled_at"] = _("Enter the date and time of the conference.")
    _choice(mode, Mode, "mode", errors)
    _choice(purpose, Purpose, "purpose", errors, _("Choose the purpose of the conference."))
    _choice(
        client_involvement,
        ClientInvolvement,
        "client_involvement",
        errors,
        _("Choose how the client was involved in preparing the conference."),
    )
    if client_involvement == ClientInvolvement.NOT_INFORMED and not involvement_reason.strip():
        errors["involvement_reason"] = _(
            "Explain why the client is not informed. Not informing the client is the exception and needs a reason."
        )
    if mode in (Mode.IN_PERSON, Mode.HYBRID) and not place.strip():
        errors["place"] = _("Enter where the conference takes place.")
    if chair is None and chair_partner is None:
        errors["chair"] = _("Choose who chairs the conference: a staff member or a partner organisation.")
    elif chair is not None and not _staff_ok(chair, case):
        errors["chair"] = _("The chair must be a staff member of the programme who may work on this client.")
    if chair_partner is not None and not _partner_ok(chair_partner, case):
        errors["chair_partner"] = _("Choose an active partner organisation from the directory.")
    staff_participants = list(dict.fromkeys(staff_participants))
    if any(not _staff_ok(s, case) for s in staff_participants):
        errors["staff_participants"] = _("Only programme staff who may work on this client can take part as staff.")
    if case.state == State.CLOSED:
        errors["scheduled_at"] = _("The case is closed; reopen it before scheduling a conference.")
    if errors or scheduled_at is None:  # no time is one of the errors
        raise ValidationError(errors)
    conference = Conference(
        case=case,
        scheduled_at=scheduled_at,
        mode=mode,
        place=place.strip()[:200],
        purpose=purpose,
        purpose_note=purpose_note.strip(),
        chair=chair,
        chair_partner=chair_partner,
        client_involvement=client_involvement,
        involvement_reason=involvement_reason.strip() if client_involvement == ClientInvolvement.NOT_INFORMED else "",
        created_by=actor,
    )
    conference.save()
    for staff in dict.fromkeys(
        [s for s in (chair, actor, *staff_participants) if s is not None and _staff_ok(s, case)]
    ):
        ConferenceParticipant.objects.create(
            conference=conference, kind=ParticipantKind.STAFF, staff=staff, role=_("Chair") if staff == chair else ""
        )
    audit_record("conference.schedule", case, detail=f"conference:{conference.pk}", actor=actor)
    return conference


@transaction.atomic
def participant_add(
    *,
    actor: User,
    conference: Conference,
    staff: User | None = None,
    partner: Partner | None = None,
    name: str = "",
    role: str = "",
) -> ConferenceParticipant:
    case = conference.case
    errors: dict[str, str] = {}
    if (staff is None) == (partner is None):
        errors["partner"] = _("Choose either a staff member of the programme or a partner organisation.")
    elif staff is not None:
        if not _staff_ok(staff, case):
            errors["staff"] = _("This staff member cannot take part in conferences on this client.")
        elif conference.participants.filter(staff=staff).exists():
            errors["staff"] = _("This staff member already takes part.")
    elif not _partner_ok(partner, case):
        errors["partner"] = _("Choose an active partner organisation from the directory.")
    elif not (name.strip() or role.strip()):
        errors["role"] = _("Enter the participant's name or role, for example: probation officer.")
    if errors:
        raise ValidationError(errors)
    participant = ConferenceParticipant.objects.create(
        conference=conference,
        kind=ParticipantKind.STAFF if staff else ParticipantKind.EXTERNAL,
        staff=staff,
        partner=partner,
        name=name.strip()[:200],
        role=role.strip()[:120],
    )
    audit_record(
        "conference.participant_add", case, detail=f"conference:{conference.pk} {participant.kind}", actor=actor
    )
    return participant


@transaction.atomic
def attendance_record(*, actor: User, conference: Conference, attended_ids: Iterable) -> Conference:
    """Who actually attended; recording it marks a scheduled conference as held."""
    if conference.status == ConferenceStatus.CANCELLED:
        raise ValidationError({"attended": _("The conference was cancelled; there is no attendance to record.")})
    wanted = {str(i) for i in attended_ids}
    participants = list(conference.participants.all())
    unknown = wanted - {str(p.pk) for p in participants}
    if unknown:
        raise ValidationError({"attended": _("Choose participants of this conference.")})
    for participant in participants:
        participant.attended = str(participant.pk) in wanted
        participant.save(update_fields=["attended"])
    if conference.status == ConferenceStatus.SCHEDULED:
        conference.status = ConferenceStatus.HELD
        conference.save(update_fields=["status"])
    audit_record(
        "conference.attendance", conference.case, detail=f"conference:{conference.pk} {len(wanted)}", actor=actor
    )
    return conference


@transaction.atomic
def conference_cancel(*, actor: User, conference: Conference) -> Conference:
    if conference.status != ConferenceStatus.SCHEDULED:
        raise ValidationError({"status": _("Only a scheduled conference can be cancelled.")})
    conference.status = ConferenceStatus.CANCELLED
    conference.save(update_fields=["status"])
    audit_record("conference.cancel", conference.case, detail=f"conference:{conference.pk}", actor=actor)
    return conference


@transaction.atomic
def summary_write(*, actor: User, conference: Conference, text: str) -> Conference:
    """The practitioner's summary for the pack. It goes into the pack only after someone else reviews it."""
    conference.summary_text = text.strip()
    conference.summary_written_by = actor if text.strip() else None
    conference.summary_reviewed_by = None
    conference.summary_reviewed_at = None
    conference.save(update_fields=["summary_text", "summary_written_by", "summary_reviewed_by", "summary_reviewed_at"])
    audit_record("conference.summary_write", conference.case, detail=f"conference:{conference.pk}", actor=actor)
    return conference


@transaction.atomic
def summary_review(*, actor: User, conference: Conference) -> Conference:
    """A second person confirms the summary holds nothing that identifies the client."""
    if not (conference.summary_text or "").strip():
        raise ValidationError({"summary_text": _("There is no summary text to review.")})
    if conference.summary_written_by_id == actor.pk:
        raise ValidationError(
            {
                "summary_text": _(
                    "Someone other than the author reviews the summary: ask your tandem colleague or your supervisor."
                )
            }
        )
    conference.summary_reviewed_by = actor
    conference.summary_reviewed_at = timezone.now()
    conference.save(update_fields=["summary_reviewed_by", "summary_reviewed_at"])
    audit_record("conference.summary_review", conference.case, detail=f"conference:{conference.pk}", actor=actor)
    return conference


@dataclass
class PackResult:
    participant: ConferenceParticipant
    sent: bool
    reason: str = ""


def pack_send(
    *,
    actor: User,
    conference: Conference,
    participant_ids: Iterable | None = None,
    ground: str = Ground.CONSENT,
    legal_basis: str = "",
) -> list[PackResult]:
    """Give the pseudonymised pack to external participants, each through the one disclosure service.

    Each participant is one disclosure: a refusal for one (recorded, and shown with its reason) does
    not stop the others. Not atomic on purpose: a refusal must stay on record.
    """
    wanted = None if participant_ids is None else {str(i) for i in participant_ids}
    externals = [
        p
        for p in conference.participants.select_related("partner")
        if p.is_external and (wanted is None or str(p.pk) in wanted)
    ]
    errors: dict[str, str] = {}
    if not externals:
        errors["participants"] = _("Choose at least one participant from a partner organisation.")
    if conference.status == ConferenceStatus.CANCELLED:
        errors["participants"] = _("The conference was cancelled; the pack is not sent.")
    _choice(ground, Ground, "ground", errors, _("Choose the ground: the client's consent or a legal ground."))
    if errors:
        raise ValidationError(errors)
    policy = policy_for_programme(conference.case.programme)
    summary = build_summary(conference)
    results: list[PackResult] = []
    for participant in externals:
        categories = list(PACK_CATEGORIES)
        with_risk = policy.rule(_organisation(participant).category, DataCategory.RISK_ASSESSMENT).rule != Rule.NEVER
        if with_risk:
            categories.append(DataCategory.RISK_ASSESSMENT)
        content = summary.as_text(with_risk=with_risk)
        try:
            disclosure = sharing.disclose(
                actor=actor,
                case=conference.case,
                partner=participant.partner,
                recipient_category=_organisation(participant).category,
                data_categories=categories,
                purpose=SharingPurpose.CASE_CONFERENCE,
                ground=ground,
                legal_basis=legal_basis,
                content=content,
                source=SOURCE,
                channel=_("Conference pack"),
            )
        except sharing.DisclosureRefused as exc:
            results.append(PackResult(participant, False, exc.reason))
            continue
        participant.pack_sent_at = disclosure.at
        participant.pack_disclosure = str(disclosure.pk)
        participant.save(update_fields=["pack_sent_at", "pack_disclosure"])
        results.append(PackResult(participant, True))
    return results


@transaction.atomic
def decision_record(*, actor: User, conference: Conference, text: str) -> ConferenceDecision:
    if not text.strip():
        raise ValidationError({"text": _("Write down what the conference decided.")})
    if conference.status == ConferenceStatus.CANCELLED:
        raise ValidationError({"text": _("The conference was cancelled; it made no decisions.")})
    decision = ConferenceDecision(conference=conference, text=text.strip(), recorded_by=actor)
    decision.save()
    audit_record("conference.decision", conference.case, detail=f"conference:{conference.pk}", actor=actor)
    return decision


def _staff_sees_case(staff: User, case: Case) -> bool:
    return access.cases_for(staff).filter(pk=case.pk).exists()


@transaction.atomic
def action_add(
    *,
    actor: User,
    conference: Conference,
    description: str,
    owner_participant: ConferenceParticipant | None = None,
    owner_staff=None,
    due_on: dt.date | None = None,
) -> ConferenceAction:
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = _("Describe the action that was agreed.")
    if (owner_participant is None) == (owner_staff is None):
        errors["owner"] = _("Choose one person who owns the action: a participant or a staff member.")
    elif owner_participant is not None and owner_participant.conference_id != conference.pk:
        errors["owner"] = _("Choose a participant of this conference.")
    elif owner_staff is not None and not _staff_sees_case(owner_staff, conference.case):
        errors["owner"] = _(
            "This staff member does not work on the case; add them to the team first, or choose a participant."
        )
    if conference.status == ConferenceStatus.CANCELLED:
        errors["description"] = _("The conference was cancelled; it agreed no actions.")
    if errors:
        raise ValidationError(errors)
    if owner_participant is not None and owner_participant.kind == ParticipantKind.STAFF:
        owner_staff, owner_participant = owner_participant.staff, None  # a staff owner finds it in "my actions"
    action = ConferenceAction(
        conference=conference,
        description=description.strip(),
        owner_participant=owner_participant,
        owner_staff=owner_staff,
        due_on=due_on,
        created_by=actor,
    )
    action.save()
    audit_record("conference.action_add", conference.case, detail=f"action:{action.pk}", actor=actor)
    return action


@transaction.atomic
def action_status_set(*, actor: User, action: ConferenceAction, status: str) -> ConferenceAction:
    errors: dict[str, str] = {}
    _choice(status, ActionStatus, "status", errors, _("Choose a status from the list."))
    if errors:
        raise ValidationError(errors)
    action.status = status
    action.completed_at = timezone.now() if status != ActionStatus.OPEN else None
    action.save(update_fields=["status", "completed_at"])
    audit_record("conference.action_status", action.conference.case, detail=f"action:{action.pk} {status}", actor=actor)
    return action


class RevealRefused(ValidationError):
    """The sharing policy refused the identity to at least one participant; nothing was revealed."""


def _reveal_disclose(
    *, actor: User, conference: Conference, participant: ConferenceParticipant, ground: str, legal_basis: str
):
    return sharing.disclose(
        actor=actor,
        case=conference.case,
        partner=participant.partner,
        recipient_category=_organisation(participant).category,
        data_categories=[DataCategory.IDENTITY],
        purpose=SharingPurpose.CASE_CONFERENCE,
        ground=ground,
        legal_basis=legal_basis,
        source=SOURCE,
        channel=_("Case conference"),
    )


def identity_reveal(
    *,
    actor: User,
    conference: Conference,
    ground: str,
    ground_note: str,
    participant_ids: Iterable,
    legal_basis: str = "",
) -> IdentityReveal:
    """Reveal the client's identity to named participants: a recorded decision with its ground.

    For each external participant this is a disclosure of the identity category. The policy is asked
    for all of them first: if it refuses any, nothing is revealed to anyone, the refusals are recorded
    in the disclosure log, and RevealRefused names them.
    """
    errors: dict[str, str] = {}
    _choice(ground, Ground, "ground", errors, _("Choose the ground on which identity is revealed."))
    if not ground_note.strip():
        errors["ground_note"] = _("Explain why the conference decided to reveal the client's identity.")
    wanted = {str(i) for i in participant_ids}
    participants = [p for p in conference.participants.select_related("partner", "staff") if str(p.pk) in wanted]
    if not participants or len(participants) != len(wanted):
        errors["participants"] = _("Choose the participants the identity is revealed to.")
    if conference.status == ConferenceStatus.CANCELLED:
        errors["participants"] = _("The conference was cancelled; nothing is revealed.")
    if errors:
        raise ValidationError(errors)
    case = conference.case
    externals = [p for p in participants if p.is_external]
    policy = policy_for_programme(case.programme)
    basis = legal_basis.strip()
    refused = []
    for participant in externals:
        decision = decide(
            policy=policy,
            case=case,
            recipient_category=_organisation(participant).category,
            partner=participant.partner,
            data_categories=[DataCategory.IDENTITY],
            purpose=SharingPurpose.CASE_CONFERENCE,
            ground=ground,
            legal_basis=basis,
        )
        if not decision.allowed:
            refused.append(participant)
    refusals = []
    for participant in refused:  # recorded where the client can later see it, outside any rollback
        try:
            _reveal_disclose(
                actor=actor, conference=conference, participant=participant, ground=ground, legal_basis=basis
            )
        except sharing.DisclosureRefused as exc:
            refusals.append(f"{participant.label()}: {exc.reason}")
    if refused:
        audit_record(
            "conference.identity_reveal",
            case,
            outcome="denied",
            detail=f"conference:{conference.pk} refused for {len(refused)}",
            actor=actor,
        )
        raise RevealRefused(
            {
                "participants": [
                    _("The identity was not revealed to anyone. %(reasons)s") % {"reasons": " ".join(refusals)}
                ]
            }
        )
    with transaction.atomic():
        reveal = IdentityReveal(conference=conference, decided_by=actor, ground=ground, ground_note=ground_note.strip())
        reveal.save()
        reveal.participants.set(participants)
        disclosure_ids = [
            str(
                _reveal_disclose(actor=actor, conference=conference, participant=p, ground=ground, legal_basis=basis).pk
            )
            for p in externals
        ]
        reveal.disclosures = disclosure_ids
        reveal.save(update_fields=["disclosures"])
        audit_record(
            "conference.identity_reveal",
            case,
            detail=f"conference:{conference.pk} to {len(participants)} ground:{ground}",
            actor=actor,
        )
    return reveal
