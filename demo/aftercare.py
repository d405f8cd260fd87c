"""The demo's releases and aftercare: planned releases (one on a Friday, not yet acknowledged), released
clients in their aftercare phases, an on-call roster with a gap, social-net conferences and the reminders
of the daily job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accounts.models import User
from aftercare import selectors as aftercare_selectors
from aftercare import services as aftercare
from aftercare.reminders import run_daily_job
from cases.lifecycle import State
from cases.models import AssignmentRole, Case

PLAN_TEXTS: dict[str, Any] = {
    "place": "JVA, main gate",
    "housing": "Room in an assisted-living flat from the first night; key handed over on the day.",
    "income": "Citizen's income applied for four weeks before release; first payment expected in the second week.",
    "work_education": "Trial week at the carpentry workshop starts ten days after release.",
    "daily_structure": "Mornings at the workshop or the job centre, weekly sports group on Thursdays.",
    "health_care": "Appointment with the family doctor in the first week; prescription for three days handed over.",
    "met_by": "Case manager and his older brother at the gate.",
    "first_days_contacts": "Brother (evenings), the programme's on-call phone, the probation office on weekdays.",
}


def _next(weekday: int, after: dt.date) -> dt.date:
    return after + dt.timedelta(days=(weekday - after.weekday()) % 7)


def _manager(case: Case) -> User:
    assignment = (
        case.assignments.current().filter(role=AssignmentRole.CASE_MANAGER).select_related("staff").first()
        or case.assignments.select_related("staff").first()
    )
    if assignment is None:
        raise ValueError(f"the demo case {case.pk} has no staff")
    return assignment.staff


def seed_release_and_aftercare(built: list[tuple[Case, list]], today: dt.date) -> None:
    in_transition = [case for case, _phases in built if case.state == State.TRANSITION]
    released = [
        (case, phases)
        for case, phases in built
        if case.state == State.AFTERCARE and any(p.state == State.TRANSITION for p in phases)
    ]
    dates = [
        _next(4, today + dt.timedelta(days=10)),  # a Friday: warned, not acknowledged
        _next(2, today + dt.timedelta(days=20)),  # a Wednesday, covered
        _next(5, today + dt.timedelta(days=30)),
    ]  # a Saturday: warned and acknowledged
    for index, (case, release_on) in enumerate(zip(in_transition, dates, strict=False)):
        actor = _manager(case)
        plan = aftercare.release_plan_save(actor=actor, case=case, release_on=release_on, **PLAN_TEXTS)
        start = aftercare_selectors.release_start(plan)
        aftercare.release_contact_add(
            actor=actor, plan=plan, staff=actor, starts_at=start, ends_at=start + dt.timedelta(hours=10)
        )
        aftercare.conference_record(
            actor=actor,
            case=case,
            kind="release",
            held_on=today - dt.timedelta(days=7 + index),
            groups=["family", "friends", "community", "professionals"][: 2 + index],
            participant_count=4 + index,
            network_time_alone=True,
            outcome="The network drafted the plan; the brother offers his flat for weekends.",
        )
        if index == 2:
            for kind in ("weekend", "unreachable"):
                aftercare.release_check_acknowledge(actor=actor, plan=plan, kind=kind)
    # The on-call roster covers the next four weeks around the clock, except one weekend night.
    if in_transition:
        programme = in_transition[0].programme
        staff = [_manager(case) for case in in_transition]
        start = timezone.make_aware(dt.datetime.combine(today, dt.time(0)))
        gap = timezone.make_aware(dt.datetime.combine(_next(5, today + dt.timedelta(days=14)), dt.time(20)))
        gap_end = gap + dt.timedelta(hours=12)
        moment, turn = start, 0
        while moment < start + dt.timedelta(weeks=4):
            end = min(moment + dt.timedelta(days=2), start + dt.timedelta(weeks=4))
            for lo, hi in ((moment, min(end, gap)), (max(moment, gap_end), end)):
                if lo < hi:
                    aftercare.on_call_shift_add(
                        actor=staff[0], programme=programme, staff=staff[turn % len(staff)], starts_at=lo, ends_at=hi
                    )
            moment, turn = end, turn + 1
    # Released clients: the release date is the day aftercare began.
    for case, phases in released:
        actor = _manager(case)
        release_on = next(p.start for p in phases if p.state == State.AFTERCARE)
        aftercare.release_plan_save(actor=actor, case=case, release_on=release_on, **PLAN_TEXTS)
    run_daily_job(today)
