"""The write layer for clients, cases, the tandem and contacts. Pages, API and jobs all call these."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

import access
from accounts.models import Role, User
from audit.services import audit_record
from programmes.models import Programme, Team, Topic
from vault import crypto
from vault.services import client_key_create, client_key_destroy

from .lifecycle import EDGES, WORKED_STATES, ClosureReason, State
from .models import (
    TANDEM_ROLES,
    AssignmentRole,
    Case,
    CaseAssignment,
    CaseTransition,
    Client,
    ClientExclusion,
    ClientName,
    Contact,
    Participant,
)

IDENTITY_FIELDS = ("given_name", "family_name", "aliases", "date_of_birth", "phone", "email", "address")


def _index_names(client: Client) -> None:
    names = {client.full_name, *client.alias_list()}
    digests = {crypto.blind_index(client.organisation_id, n) for n in names if n and n.strip()}
    ClientName.objects.filter(client=client).exclude(digest__in=digests).delete()
    existing = set(ClientName.objects.filter(client=client).values_list("digest", flat=True))
    ClientName.objects.bulk_create([ClientName(client=client, digest=d) for d in digests - existing])


def _validate_identity(values: dict[str, str]) -> None:
    if (
        not (values.get("given_name") or "").strip()
        and not (values.get("family_name") or "").strip()
        and not (values.get("aliases") or "").strip()
    ):
        raise ValidationError({"given_name": _("Enter at least a name or an alias.")})
    dob = (values.get("date_of_birth") or "").strip()
    if dob:
        try:
            born = dt.date.fromisoformat(dob)
        except ValueError as exc:
            raise ValidationError({"date_of_birth": _("Enter the date of birth as YYYY-MM-DD.")}) from exc
        if born > timezone.localdate():
            raise ValidationError({"date_of_birth": _("The date of birth cannot be in the future.")})


@transaction.atomic
def client_create(*, organisation_id: int, actor: User | None = None, **identity: str) -> Client:
    unknown = set(identity) - set(IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown identity fields: {sorted(unknown)}")
    _validate_identity(identity)
    client_id = uuid.uuid4()
    client_key_create(client_id=client_id)
    client = Client(
        id=client_id, organisation_id=organisation_id, **{k: (identity.get(k) or "").strip() for k in IDENTITY_FIELDS}
    )
    for _attempt in range(5):  # pseudonyms are random; retry on the rare collision
        if not Client.objects.filter(pseudonym=client.pseudonym).exists():
            break
        client.pseudonym = Client._meta.get_field("pseudonym").default()
    client.save()
    _index_names(client)
    audit_record("client.create", client, actor=actor)
    return client


@transaction.atomic
def client_identity_update(*, actor: User, client: Client, reason: str = "", **identity: str) -> Client:
    """Correct the identity (GDPR Art. 16). The replaced values are kept, sealed, in rights.IdentityRevision."""
    from rights.models import IdentityRevision

    unknown = set(identity) - set(IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown identity fields: {sorted(unknown)}")
    access.check_not_restricted(client, user=actor, action="client.update")
    merged = {k: getattr(client, k) or "" for k in IDENTITY_FIELDS} | identity
    _validate_identity(merged)
    changed = {k: (v or "").strip() for k, v in identity.items() if (v or "").strip() != (getattr(client, k) or "")}
    if not changed:
        return client
    previous = {k: getattr(client, k) or "" for k in changed}
    for key, value in changed.items():
        setattr(client, key, value)
    client.save(update_fields=list(changed))
    _index_names(client)
    IdentityRevision.objects.create(
        client=client,
        changed_fields=sorted(changed),
        by=actor,
        previous_values=json.dumps(previous, sort_keys=True),
        reason=reason or None,
    )
    audit_record("client.update", client, detail=",".join(sorted(changed)), actor=actor)
    return client


def client_erase(*, actor: User | None, client: Client) -> None:
    """Crypto-shred: destroy the client's data key and name index. Nothing sealed for them opens again.

    Refused while a legal hold applies (rights.LegalHold): the one erasure path checks it. No actor: the retention job.
    """
    from rights.models import LegalHold

    hold = LegalHold.objects.active().filter(client_id=client.pk).order_by("until").first()
    if hold is not None:
        audit_record("client.erase", client, outcome="denied", detail="legal hold", actor=actor)
        raise ValidationError(
            _(
                "The client's data cannot be erased: a legal hold (%(basis)s) applies %(until)s. "
                "Release the hold first if it no longer applies."
            )
            % {
                "basis": hold.get_basis_display(),
                "until": (_("until %(date)s") % {"date": hold.until.isoformat()})
                if hold.until
                else _("until further notice"),
            }
        )
    with transaction.atomic():  # the refusal above is audited outside it, so that it stays recorded
        client_key_destroy(client_id=client.id)
        ClientName.objects.filter(client=client).delete()
        Client.objects.filter(pk=client.pk).update(erased_at=timezone.now())
        audit_record("client.erase", client, actor=actor)


def _check_choice(value: str, choices: type[models.TextChoices], field: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: _("“%(value)s” is not a valid choice.") % {"value": value}})


@transaction.atomic
def case_open(
    *,
    actor: User,
    client: Client,
    programme: Programme,
    team: Team,
    referral_source: str,
    setting: str,
    participation: str,
    ideology: str,
    legal_status: str = "none",
    security_relevant: bool = False,
    opened_on: dt.date | None = None,
    signalled_at: dt.datetime | None = None,
) -> Case:
    """Open a case at its signal. `signalled_at` records a signal that came in earlier (defaults to now)."""
    from programmes.models import Ideology, Setting

    from .models import LegalStatus, Participation, ReferralSource

    if team.programme_id != programme.pk:
        raise ValidationError({"team": _("The team does not belong to this programme.")})
    if programme.organisation_id != client.organisation_id:
        raise ValidationError({"programme": _("The programme belongs to another organisation.")})
    _check_choice(referral_source, ReferralSource, "referral_source")
    _check_choice(setting, Setting, "setting")
    _check_choice(participation, Participation, "participation")
    _check_choice(ideology, Ideology, "ideology")
    _check_choice(legal_status, LegalStatus, "legal_status")
    now = timezone.now()
    if signalled_at is not None and signalled_at > now + dt.timedelta(minutes=5):
        raise ValidationError({"signalled_at": _("The signal cannot be dated in the future.")})
    now = signalled_at or now
    case = Case.objects.create(
        client=client,
        programme=programme,
        team=team,
        referral_source=referral_source,
        setting=setting,
        participation=participation,
        ideology=ideology,
        legal_status=legal_status,
        security_relevant=security_relevant,
        opened_on=opened_on or timezone.localdate(now),
        state=State.SIGNAL,
        state_changed_at=now,
    )
    CaseTransition.objects.create(case=case, from_state="", to_state=State.SIGNAL, at=now, by=actor)
    audit_record("case.create", case, actor=actor)
    return case


@transaction.atomic
def enquiry_create(
    *, actor: User, programme: Programme, team: Team, identity: dict[str, str], **case_fields: Any
) -> Case:
    """A new signal: the client (sealed identity) and their case, in one step."""
    client = client_create(organisation_id=programme.organisation_id, actor=actor, **identity)
    return case_open(actor=actor, client=client, programme=programme, team=team, **case_fields)


@transaction.atomic
def case_transition(
    *, actor: User, case: Case, to_state: str, closure_reason: str = "", note: str = "", at: dt.datetime | None = None
) -> CaseTransition:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if to_state not in State.values:
        raise ValidationError({"to_state": _("Unknown state “%(state)s”.") % {"state": to_state}})
    if to_state not in EDGES[case.state]:
        raise ValidationError(
            {
                "to_state": _("A case cannot move from “%(from)s” to “%(to)s”.")
                % {"from": State(case.state).label, "to": State(to_state).label}
            }
        )
    if to_state == State.CLOSED:
        if closure_reason not in ClosureReason.values:
            raise ValidationError({"closure_reason": _("Choose the reason the case closes.")})
    elif closure_reason:
        raise ValidationError({"closure_reason": _("A closure reason is only given when the case closes.")})
    if to_state in WORKED_STATES:
        tandem = {a.role for a in case.current_tandem}
        if AssignmentRole.CASE_MANAGER not in tandem or AssignmentRole.CO_WORKER not in tandem:
            raise ValidationError(
                {
                    "to_state": _("Assign a case manager and a co-worker before the case moves to “%(to)s”.")
                    % {"to": State(to_state).label}
                }
            )
    at = at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"at": _("A transition cannot be dated in the future.")})
    transition = CaseTransition.objects.create(
        case=case,
        from_state=case.state,
        to_state=to_state,
        closure_reason=closure_reason,
        at=at,
        by=actor,
        note=note or None,
    )
    case.state, case.closure_reason, case.state_changed_at = to_state, closure_reason, at
    case.version += 1
    case.save(update_fields=["state", "closure_reason", "state_changed_at", "version"])
    audit_record("case.transition", case, detail=f"{transition.from_state}->{to_state}", actor=actor)
    return transition


CASE_ATTRIBUTES = ("legal_status", "risk_level", "security_relevant", "setting", "participation", "ideology", "team")


@transaction.atomic
def case_attributes_update(*, actor: User, case: Case, **changes: Any) -> Case:
    from programmes.models import Ideology, Setting

    from .models import LegalStatus, Participation, RiskLevel

    unknown = set(changes) - set(CASE_ATTRIBUTES)
    if unknown:
        raise TypeError(f"unknown case attributes: {sorted(unknown)}")
    for name, choices in (
        ("legal_status", LegalStatus),
        ("risk_level", RiskLevel),
        ("setting", Setting),
        ("participation", Participation),
        ("ideology", Ideology),
    ):
        if name in changes:
            _check_choice(changes[name], choices, name)
    if "team" in changes and changes["team"].programme_id != case.programme_id:
        raise ValidationError({"team": _("The team does not belong to this case's programme.")})
    for name, value in changes.items():
        setattr(case, name, value)
    case.version += 1
    case.save(update_fields=[*changes, "version"])
    audit_record("case.update", case, detail=",".join(sorted(changes)), actor=actor)
    return case


@transaction.atomic
def assignment_add(
    *,
    actor: User,
    case: Case,
    staff: User,
    role: str,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    task: str = "",
) -> CaseAssignment:
    _check_choice(role, AssignmentRole, "role")
    starts_on = starts_on or timezone.localdate()
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date must be on or after the start date.")})
    if not access.staff_can_be_assigned(staff, case.client):
        raise ValidationError({"staff": _("This staff member cannot be assigned to this client.")})
    if role in TANDEM_ROLES and not staff.has_role(Role.PRACTITIONER) and not staff.has_role(Role.SUPERVISOR):
        raise ValidationError({"staff": _("The tandem is formed by practitioners.")})
    if role not in TANDEM_ROLES and not staff.has_role(Role.SPECIALIST) and not staff.has_role(Role.PRACTITIONER):
        raise ValidationError({"staff": _("Only specialists or practitioners join a case as specialists.")})
    current = case.assignments.current(starts_on)
    if current.filter(staff=staff, role__in=TANDEM_ROLES).exists() and role in TANDEM_ROLES:
        raise ValidationError({"staff": _("This person is already in the case's tandem.")})
    if role in TANDEM_ROLES:
        # The tandem has one case manager and one co-worker: the newcomer takes over the role.
        previous_end = starts_on - dt.timedelta(days=1)
        for old in current.filter(role=role):
            old.ends_on = max(previous_end, old.starts_on)
            old.save(update_fields=["ends_on"])
    assignment = CaseAssignment.objects.create(
        case=case, staff=staff, role=role, starts_on=starts_on, ends_on=ends_on, task=task
    )
    audit_record("case.assign", case, detail=f"{role} user:{staff.pk}", actor=actor)
    return assignment


@transaction.atomic
def assignment_end(*, actor: User, assignment: CaseAssignment, ends_on: dt.date | None = None) -> CaseAssignment:
    ends_on = ends_on or timezone.localdate()
    if ends_on < assignment.starts_on:
        raise ValidationError({"ends_on": _("The end date must be on or after the start date.")})
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    audit_record("case.unassign", assignment.case, detail=f"{assignment.role} user:{assignment.staff_id}", actor=actor)
    return assignment


@transaction.atomic
def client_exclusion_add(*, actor: User, client: Client, staff: User, reason: str = "") -> ClientExclusion:
    """Keep a staff member away from a client (conflict of interest). Ends their assignments at once."""
    exclusion, _created = ClientExclusion.objects.get_or_create(
        client=client, staff=staff, defaults={"reason": reason[:200], "created_by": actor}
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    for assignment in CaseAssignment.objects.current().filter(case__client=client, staff=staff):
        assignment.ends_on = max(yesterday, assignment.starts_on)
        assignment.save(update_fields=["ends_on"])
    audit_record("client.exclude", client, detail=f"user:{staff.pk}", actor=actor)
    return exclusion


def _validate_contact(
    case: Case,
    occurred_at: dt.datetime,
    duration_minutes: int,
    kind: str,
    participants: Iterable[str],
    topic_ids: Iterable[int],
) -> tuple[list[str], list[Topic]]:
    from .models import ContactKind

    errors: dict[str, str] = {}
    if occurred_at is None:
        errors["occurred_at"] = _("Enter when the contact took place.")
    elif occurred_at > timezone.now() + dt.timedelta(minutes=5):
        errors["occurred_at"] = _("A contact cannot be recorded for a time in the future.")
    if not isinstance(duration_minutes, int) or not 1 <= duration_minutes <= 1440:
        errors["duration_minutes"] = _("Enter the duration in minutes, between 1 and 1440.")
    if kind not in ContactKind.values:
        errors["kind"] = _("Choose what kind of contact it was.")
    participants = list(dict.fromkeys(participants))
    if not participants:
        errors["participants"] = _("Choose who took part.")
    elif any(p not in Participant.values for p in participants):
        errors["participants"] = _("Choose participants from the list.")
    topic_ids = list(dict.fromkeys(int(t) for t in topic_ids))
    topics = list(Topic.objects.filter(programme_id=case.programme_id, pk__in=topic_ids, active=True))
    if len(topics) != len(topic_ids):
        errors["topics"] = _("Choose topics from this programme's list.")
    if errors:
        raise ValidationError(errors)
    return participants, topics


@transaction.atomic
def contact_record(
    *,
    actor: User,
    case: Case,
    occurred_at: dt.datetime,
    duration_minutes: int,
    kind: str,
    participants: Iterable[str],
    topic_ids: Iterable[int] = (),
    note: str = "",
) -> Contact:
    participants, topics = _validate_contact(case, occurred_at, duration_minutes, kind, participants, topic_ids)
    if case.state == State.CLOSED:
        raise ValidationError(_("The case is closed; reopen it before recording contacts."))
    contact = Contact(
        case=case,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        kind=kind,
        participants=participants,
        note=note or "",
        recorded_by=actor,
    )
    contact.save()
    if topics:
        contact.topics.set(topics)
    latest = case.contacts.aggregate(m=Max("occurred_at"))["m"]
    Case.objects.filter(pk=case.pk).update(last_contact_at=latest)
    case.last_contact_at = latest
    audit_record("contact.create", contact, actor=actor)
    return contact
