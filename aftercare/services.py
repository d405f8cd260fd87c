"""The write layer for release planning, social-net conferences, the on-call roster and notifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import access
from audit.services import audit_record
from cases.models import Case
from programmes.models import Programme, Setting
from tandem.dates import add_months

from .models import (
    DEFAULT_PHASES,
    AftercarePhase,
    ConferenceKind,
    NetworkGroup,
    Notification,
    OnCallShift,
    ProgrammeAftercare,
    ReleaseCheck,
    ReleaseCheckAcknowledgement,
    ReleaseContact,
    ReleasePlan,
    SocialNetConference,
)

if TYPE_CHECKING:
    from accounts.models import User

RELEASE_SETTINGS = (Setting.DETENTION, Setting.PRISON)
PLAN_TEXT_FIELDS = (
    "place",
    "housing",
    "income",
    "work_education",
    "daily_structure",
    "health_care",
    "met_by",
    "first_days_contacts",
)


def programme_aftercare(programme: Programme) -> ProgrammeAftercare:
    """The programme's aftercare settings, created with the defaults on first use."""
    config, _created = ProgrammeAftercare.objects.get_or_create(programme=programme)
    return config


def phases_ensure(programme: Programme) -> list[AftercarePhase]:
    """The programme's aftercare phases in order; the default rhythm is stored on first use."""
    phases = list(programme.aftercare_phases.order_by("starts_month"))
    if not phases:
        AftercarePhase.objects.bulk_create(
            [
                AftercarePhase(
                    programme=programme, kind=kind, starts_month=start, ends_month=end, contacts=n, period_days=days
                )
                for kind, start, end, n, days in DEFAULT_PHASES
            ],
            ignore_conflicts=True,
        )
        phases = list(programme.aftercare_phases.order_by("starts_month"))
    return phases


@transaction.atomic
def phases_replace(*, actor: User, programme: Programme, phases: list[dict]) -> list[AftercarePhase]:
    """Replace a programme's rhythm: phases must follow each other without gaps from month 0, the last open-ended."""
    errors: dict[str, str] = {}
    ordered = sorted(phases, key=lambda p: p["starts_month"])
    if not ordered or ordered[0]["starts_month"] != 0:
        errors["phases"] = _("The first phase must start at release (month 0).")
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.get("ends_month") != after["starts_month"]:
            errors["phases"] = _("Each phase must start in the month the one before it ends.")
    if ordered and ordered[-1].get("ends_month") is not None:
        errors["phases"] = _("The last phase must be open-ended (no end month).")
    if any(p.get("contacts", 0) < 0 or p.get("period_days", 0) < 1 for p in ordered):
        errors["phases"] = _("Contacts must be zero or more, and the period at least one day.")
    if errors:
        raise ValidationError(errors)
    programme.aftercare_phases.all().delete()
    created = AftercarePhase.objects.bulk_create([AftercarePhase(programme=programme, **p) for p in ordered])
    audit_record("aftercare.phases_replace", programme, detail=f"{len(created)} phases", actor=actor)
    return created


def _follow_up_sync(*, actor: User, plan: ReleasePlan) -> SocialNetConference | None:
    """The follow-up conference some months after release: created, or moved while it has not been held."""
    due = add_months(plan.release_on, plan.follow_up_months)
    conference = plan.case.social_net_conferences.filter(kind=ConferenceKind.FOLLOW_UP, held_on__isnull=True).first()
    if conference is None:
        if plan.case.social_net_conferences.filter(kind=ConferenceKind.FOLLOW_UP, held_on__isnull=False).exists():
            return None
        conference = SocialNetConference(
            case=plan.case, kind=ConferenceKind.FOLLOW_UP, scheduled_on=due, recorded_by=actor, groups=[]
        )
        conference.save()
        audit_record("conference.schedule", conference, detail=f"follow-up {due.isoformat()}", actor=actor)
    elif conference.scheduled_on != due:
        conference.scheduled_on = due
        conference.save(update_fields=["scheduled_on"])
        audit_record("conference.reschedule", conference, detail=f"follow-up {due.isoformat()}", actor=actor)
    return conference


@transaction.atomic
def release_plan_save(
    *,
    actor: User,
    case: Case,
    release_on: dt.date,
    release_time: dt.time | None = None,
    follow_up_months: int | None = None,
    **texts: str,
) -> ReleasePlan:
    """Record or change the release date and plan; the follow-up conference is scheduled to match."""
    unknown = set(texts) - set(PLAN_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    plan = ReleasePlan.objects.filter(case=case).first()
    errors: dict[str, str] = {}
    # A plan is made while the client is in custody; a release that already happened can be recorded later.
    if (
        plan is None
        and case.setting not in RELEASE_SETTINGS
        and (release_on is None or release_on > timezone.localdate())
    ):
        errors["release_on"] = _(
            "Release planning is for clients in detention or prison; change the case's "
            "setting first if the client is in custody."
        )
    if release_on is None:
        errors["release_on"] = _("Enter the release date.")
    config = programme_aftercare(case.programme)
    months = follow_up_months or (plan.follow_up_months if plan else config.follow_up_months)
    if months not in (3, 6):
        errors["follow_up_months"] = _("Choose 3 or 6 months for the follow-up conference.")
    if errors:
        raise ValidationError(errors)
    created = plan is None
    if plan is None:
        plan = ReleasePlan(case=case)
    plan.case = case
    plan.release_on = release_on
    plan.release_time = release_time or dt.time(8, 0)
    plan.follow_up_months = months
    plan.updated_by = actor
    for name in PLAN_TEXT_FIELDS:
        if name in texts:
            setattr(plan, name, (texts[name] or "").strip())
        elif created:
            setattr(plan, name, "")
    plan.save()
    _follow_up_sync(actor=actor, plan=plan)
    audit_record("release_plan.create" if created else "release_plan.update", plan, actor=actor)
    return plan


@transaction.atomic
def release_contact_add(
    *, actor: User, plan: ReleasePlan, staff: User, starts_at: dt.datetime, ends_at: dt.datetime
) -> ReleaseContact:
    """A staff member agrees to be reachable for the client in a window around the release."""
    errors: dict[str, str] = {}
    if staff is None or not access.staff_can_be_assigned(staff, plan.case.client):
        errors["staff"] = _("Choose a staff member of your organisation who may work with this client.")
    if starts_at is None or ends_at is None:
        errors["ends_at"] = _("Enter from when until when they can be reached.")
    elif ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    if errors:
        raise ValidationError(errors)
    contact = ReleaseContact.objects.create(plan=plan, staff=staff, starts_at=starts_at, ends_at=ends_at)
    audit_record("release_plan.contact_add", plan, detail=f"contact:{contact.pk}", actor=actor)
    return contact


@transaction.atomic
def release_contact_remove(*, actor: User, contact: ReleaseContact) -> None:
    plan = contact.plan
    contact_id = contact.pk
    contact.delete()
    audit_record("release_plan.contact_remove", plan, detail=f"contact:{contact_id}", actor=actor)


@transaction.atomic
def release_check_acknowledge(*, actor: User, plan: ReleasePlan, kind: str) -> ReleaseCheckAcknowledgement:
    """A practitioner has seen a warning for this release date; it stops showing until the date changes."""
    if kind not in ReleaseCheck.values:
        raise ValidationError({"kind": _("Choose a value from the list.")})
    ack, _created = ReleaseCheckAcknowledgement.objects.get_or_create(
        plan=plan, kind=kind, release_on=plan.release_on, defaults={"by": actor}
    )
    audit_record("release_check.acknowledge", plan, detail=f"{kind} {plan.release_on.isoformat()}", actor=actor)
    return ack


@transaction.atomic
def conference_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    held_on: dt.date,
    groups: Iterable[str],
    participant_count: int,
    client_present: bool = True,
    network_time_alone: bool = False,
    outcome: str = "",
    conference: SocialNetConference | None = None,
) -> SocialNetConference:
    """Record a social-net conference that took place: who came (by group, no names) and what was agreed."""
    groups = list(dict.fromkeys(groups))
    errors: dict[str, str] = {}
    if kind not in ConferenceKind.values:
        errors["kind"] = _("Choose a value from the list.")
    if held_on is None:
        errors["held_on"] = _("Enter the date the conference took place.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("A conference can only be recorded once it has taken place.")
    if not groups:
        errors["groups"] = _("Tick who took part: family, friends, community members or professionals.")
    elif any(g not in NetworkGroup.values for g in groups):
        errors["groups"] = _("Choose a value from the list.")
    if participant_count is None or participant_count < 1:
        errors["participant_count"] = _("Enter how many people took part (not counting the client).")
    if network_time_alone and groups == [NetworkGroup.PROFESSIONALS]:
        errors["network_time_alone"] = _("Only professionals took part, so the network cannot have met without them.")
    if errors:
        raise ValidationError(errors)
    if conference is None:
        conference = SocialNetConference(case=case, kind=kind, scheduled_on=held_on, recorded_by=actor)
    conference.kind = kind
    conference.held_on = held_on
    conference.groups = groups
    conference.participant_count = participant_count
    conference.client_present = client_present
    conference.network_time_alone = network_time_alone
    conference.outcome = (outcome or "").strip()
    conference.recorded_by = actor
    conference.save()
    audit_record("conference.record", conference, detail=kind, actor=actor)
    return conference


@transaction.atomic
def on_call_shift_add(
    *, actor: User, programme: Programme, staff: User, starts_at: dt.datetime, ends_at: dt.datetime
) -> OnCallShift:
    errors: dict[str, str] = {}
    if staff is None or staff.organisation_id != programme.organisation_id or not staff.is_active:
        errors["staff"] = _("Choose an active staff member of this programme's organisation.")
    if starts_at is None or ends_at is None:
        errors["ends_at"] = _("Enter from when until when they are on call.")
    elif ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    elif ends_at - starts_at > dt.timedelta(days=14):
        errors["ends_at"] = _("A shift can last at most 14 days; add several shifts for longer.")
    if errors:
        raise ValidationError(errors)
    shift = OnCallShift.objects.create(programme=programme, staff=staff, starts_at=starts_at, ends_at=ends_at)
    audit_record("on_call.add", shift, actor=actor)
    return shift


@transaction.atomic
def on_call_shift_remove(*, actor: User, shift: OnCallShift) -> None:
    shift_id = shift.pk
    shift.delete()
    audit_record("on_call.remove", object_type="oncallshift", object_id=str(shift_id), actor=actor)


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    if notification.user_id != user.pk:
        raise ValidationError(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
