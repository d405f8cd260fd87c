"""Reads for release planning and aftercare, shared by the case page, the caseload, the reminders and the API.

Bulk functions take many plans at once and keep the number of queries fixed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseQuerySet, Contact
from cases.selectors import assignable_staff

from . import services
from .models import (
    AftercarePhase,
    Notification,
    OnCallShift,
    ProgrammeAftercare,
    ReleaseCheck,
    ReleaseContact,
    ReleasePlan,
    SocialNetConference,
)
from .rhythm import FrequencyStatus, coverage_gaps, frequency_status, release_day_checks

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User

ROSTER_WEEKS = 4
CONFERENCE_DUE_WINDOW_DAYS = 14


@dataclass
class CheckResult:
    kind: str
    message: str
    acknowledged_by: object | None = None
    acknowledged_at: dt.datetime | None = None
    gaps: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _message(kind: str, plan: ReleasePlan, detail: StrOrPromise = "", gaps=()) -> str:
    day = formats.date_format(plan.release_on, "DATE_FORMAT")
    if kind == ReleaseCheck.FRIDAY:
        return _(
            "The release on %(day)s is a Friday: offices and services close for the weekend right after it. "
            "Make sure housing, money and the first appointments are settled beforehand."
        ) % {"day": day}
    if kind == ReleaseCheck.WEEKEND:
        return _(
            "The release on %(day)s falls on a weekend: offices and services are closed. "
            "Ask whether the release can move to a working day, or arrange who is there."
        ) % {"day": day}
    if kind == ReleaseCheck.HOLIDAY:
        return _("The release on %(day)s is a public holiday (%(holiday)s): offices and services are closed.") % {
            "day": day,
            "holiday": detail,
        }
    spans = "; ".join(f"{_when(lo)} – {_when(hi)}" for lo, hi in gaps)
    return _(
        "Nobody allocated is reachable for the client at these times in the first days after release: "
        "%(spans)s. Add someone to the on-call roster or to the plan's reachable contacts."
    ) % {"spans": spans}


@dataclass
class ReleaseContext:
    """What the checks need, loaded for many plans at once."""

    configs: dict[int, ProgrammeAftercare]
    shifts: dict[int, list[tuple[dt.datetime, dt.datetime]]]


def _release_context(plans: list[ReleasePlan]) -> ReleaseContext:
    programme_ids = {p.case.programme_id for p in plans}
    configs = {c.programme_id: c for c in ProgrammeAftercare.objects.filter(programme_id__in=programme_ids)}
    shifts: dict[int, list] = defaultdict(list)
    if plans:
        earliest = min(release_start(p) for p in plans)
        latest = max(release_start(p) for p in plans) + dt.timedelta(
            hours=max([c.first_days_hours for c in configs.values()] + [72])
        )
        for shift in OnCallShift.objects.filter(
            programme_id__in=programme_ids, ends_at__gt=earliest, starts_at__lt=latest
        ).order_by("starts_at"):
            shifts[shift.programme_id].append((shift.starts_at, shift.ends_at))
    return ReleaseContext(configs, shifts)


def _config(ctx: ReleaseContext, programme_id: int) -> ProgrammeAftercare:
    return ctx.configs.get(programme_id) or ProgrammeAftercare(programme_id=programme_id)


def release_checks(plan: ReleasePlan, ctx: ReleaseContext | None = None) -> list[CheckResult]:
    """Every warning for this plan's release date, acknowledged or not. Needs `contacts` and
    `acknowledgements` prefetched for bulk use."""
    ctx = ctx or _release_context([plan])
    config = _config(ctx, plan.case.programme_id)
    acks = {a.kind: a for a in plan.acknowledgements.all() if a.release_on == plan.release_on}
    results = [
        CheckResult(c.kind, _message(c.kind, plan, c.detail))
        for c in release_day_checks(plan.release_on, config.holiday_region)
    ]
    start = release_start(plan)
    end = start + dt.timedelta(hours=config.first_days_hours)
    covered = ctx.shifts.get(plan.case.programme_id, []) + [(c.starts_at, c.ends_at) for c in plan.contacts.all()]
    gaps = coverage_gaps(covered, start, end)
    if gaps:
        results.append(
            CheckResult(ReleaseCheck.UNREACHABLE, _message(ReleaseCheck.UNREACHABLE, plan, gaps=gaps), gaps=gaps)
        )
    for result in results:
        ack = acks.get(result.kind)
        if ack is not None:
            result.acknowledged_by, result.acknowledged_at = ack.by, ack.at
    return results


def _with_plan_details(plans: QuerySet[ReleasePlan]) -> QuerySet[ReleasePlan]:
    return plans.prefetch_related(
        Prefetch("contacts", queryset=ReleaseContact.objects.select_related("staff")), "acknowledgements__by"
    )


def plans_for(cases_qs: CaseQuerySet) -> QuerySet[ReleasePlan]:
    return _with_plan_details(
        ReleasePlan.objects.filter(case__in=cases_qs).select_related("case__client", "case__programme")
    )


def open_release_warnings(cases_qs: CaseQuerySet) -> list[tuple[ReleasePlan, CheckResult]]:
    """Unacknowledged warnings on these cases' release plans: a fixed number of queries."""
    plans = list(plans_for(cases_qs.open()))
    ctx = _release_context(plans)
    return [(plan, check) for plan in plans for check in release_checks(plan, ctx) if not check.acknowledged]


def phases_by_programme(programme_ids) -> dict[int, list[AftercarePhase]]:
    found: dict[int, list[AftercarePhase]] = defaultdict(list)
    for phase in AftercarePhase.objects.filter(programme_id__in=programme_ids).order_by("starts_month"):
        found[phase.programme_id].append(phase)
    return found


def _phases(found: dict, programme) -> list[AftercarePhase]:
    # A programme that has never used aftercare gets the default rhythm stored on first use.
    if programme.pk not in found:
        found[programme.pk] = services.phases_ensure(programme)
    return found[programme.pk]


def frequency_statuses(cases_qs: CaseQuerySet, today: dt.date) -> list[tuple[ReleasePlan, FrequencyStatus]]:
    """Released clients' contacts in the rolling window of their current phase, for many cases at once."""
    plans = list(plans_for(cases_qs.open()).filter(release_on__lte=today))
    if not plans:
        return []
    phases = phases_by_programme({p.case.programme_id for p in plans})
    longest = max([ph.period_days for group in phases.values() for ph in group] + [31])
    # No window reaches back further than the longest phase period: older contacts are not read (a long
    # history would make the caseload slower every year); the last contact comes from the case itself.
    since_day = max(min(p.release_on for p in plans), today - dt.timedelta(days=longest))
    since = timezone.make_aware(dt.datetime.combine(since_day, dt.time.min))
    days: dict = defaultdict(list)
    for case_id, at in Contact.objects.filter(
        case__in=[p.case_id for p in plans],
        occurred_at__gte=since,
    ).values_list("case_id", "occurred_at"):
        days[case_id].append(timezone.localtime(at).date())
    for plan in plans:
        last = plan.case.last_contact_at
        if last is not None and timezone.localtime(last).date() < since_day:
            days[plan.case_id].append(timezone.localtime(last).date())  # before every window: only "last contact"
    return [
        (plan, frequency_status(_phases(phases, plan.case.programme), plan.release_on, days[plan.case_id], today))
        for plan in plans
    ]


def conferences_due(cases_qs: CaseQuerySet, today: dt.date) -> QuerySet[SocialNetConference]:
    horizon = today + dt.timedelta(days=CONFERENCE_DUE_WINDOW_DAYS)
    return SocialNetConference.objects.filter(
        case__in=cases_qs.open(), held_on__isnull=True, scheduled_on__lte=horizon
    ).select_related("case__client", "case__programme")


# --- The case page ----------------------------------------------------------------------------------


def case_section_context(case: Case, user: User) -> dict:
    """What `aftercare/_case_section.html` needs. Keys are prefixed `aftercare_`. A fixed number of queries."""
    today = timezone.localdate()
    # The case's one plan (if any), read by its case id: the case itself is already loaded.
    plan = next(iter(_with_plan_details(ReleasePlan.objects.filter(case=case))), None)
    context: dict = {
        "aftercare_plan": plan,
        "aftercare_can_plan": plan is not None or case.setting in services.RELEASE_SETTINGS,
        "aftercare_conferences": list(case.social_net_conferences.order_by("scheduled_on")),
    }
    if plan is None:
        return context
    plan.case = case
    ctx = _release_context([plan])
    checks = release_checks(plan, ctx)
    phases = phases_by_programme([case.programme_id])
    status = None
    if plan.release_on <= today:
        contact_days = [
            timezone.localtime(at).date()
            for at in case.contacts.filter(occurred_at__date__gte=plan.release_on - dt.timedelta(days=1)).values_list(
                "occurred_at", flat=True
            )
        ]
        status = frequency_status(_phases(phases, case.programme), plan.release_on, contact_days, today)
    start = release_start(plan)
    config = _config(ctx, case.programme_id)
    context |= {
        "aftercare_checks": [c for c in checks if not c.acknowledged],
        "aftercare_acknowledged": [c for c in checks if c.acknowledged],
        "aftercare_status": status,
        "aftercare_phases": _phases(phases, case.programme),
        "aftercare_first_days_end": start + dt.timedelta(hours=config.first_days_hours),
        "aftercare_first_days_hours": config.first_days_hours,
        "aftercare_release_start": start,
        "aftercare_staff": assignable_staff(case),
    }
    return context


# --- The on-call roster ----------------------------------------------------------------------------


def roster(programme, start: dt.datetime, weeks: int = ROSTER_WEEKS) -> dict:
    end = start + dt.timedelta(weeks=weeks)
    shifts = list(
        OnCallShift.objects.filter(programme=programme, ends_at__gt=start, starts_at__lt=end)
        .select_related("staff")
        .order_by("starts_at")
    )
    return {
        "shifts": shifts,
        "gaps": coverage_gaps([(s.starts_at, s.ends_at) for s in shifts], start, end),
        "start": start,
        "end": end,
    }


# --- Notifications ---------------------------------------------------------------------------------


def notifications_for(user: User) -> QuerySet[Notification]:
    """A user's own notifications, on cases they may still see (or on none)."""
    import access

    return (
        Notification.objects.filter(user=user)
        .filter(Q(case__isnull=True) | Q(case__in=access.cases_for(user)))
        .select_related("case__client")
    )


def unread_count(user: User) -> int:
    """The header's badge. Most staff have nothing unread: one plain query settles that, and only unread
    notifications on cases are checked against the cases the user may still see (a costlier query to build)."""
    import access

    if not getattr(user, "is_authenticated", False):
        return 0
    case_ids = list(Notification.objects.filter(user=user, read_at__isnull=True).values_list("case_id", flat=True))
    on_cases = {case_id for case_id in case_ids if case_id is not None}
    if not on_cases:
        return len(case_ids)
    visible = set(access.cases_for(user).filter(pk__in=on_cases).values_list("pk", flat=True))
    return sum(1 for case_id in case_ids if case_id is None or case_id in visible)


def release_start(plan: ReleasePlan) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(plan.release_on, plan.release_time))
