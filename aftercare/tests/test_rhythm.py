"""Aftercare phases and below-frequency detection, across phase boundaries."""

import datetime as dt

from django.utils import timezone

from aftercare import services
from aftercare.rhythm import coverage_gaps, frequency_status, phase_on
from cases import due
from cases.models import Case, Contact

RELEASE = dt.date(2024, 1, 10)


def _phases(world):
    return services.phases_ensure(world.programme)


def test_default_phases_are_seeded_on_first_use(world):
    phases = _phases(world)
    assert [(p.kind, p.starts_month, p.ends_month, p.contacts, p.period_days) for p in phases] == [
        ("intensive", 0, 3, 2, 7),
        ("high", 3, 12, 1, 7),
        ("tapering", 12, 18, 1, 14),
        ("tapering", 18, 24, 1, 30),
        ("on_request", 24, None, 0, 30),
    ]
    assert services.phases_ensure(world.programme) == phases  # not seeded twice


def test_phase_on_each_side_of_every_boundary(world):
    phases = _phases(world)
    assert phase_on(phases, RELEASE, RELEASE - dt.timedelta(days=1)) is None
    assert phase_on(phases, RELEASE, RELEASE).kind == "intensive"
    assert phase_on(phases, RELEASE, dt.date(2024, 4, 9)).kind == "intensive"
    assert phase_on(phases, RELEASE, dt.date(2024, 4, 10)).kind == "high"
    assert phase_on(phases, RELEASE, dt.date(2025, 1, 9)).kind == "high"
    assert phase_on(phases, RELEASE, dt.date(2025, 1, 10)).period_days == 14
    assert phase_on(phases, RELEASE, dt.date(2025, 7, 10)).period_days == 30
    assert phase_on(phases, RELEASE, dt.date(2026, 1, 9)).period_days == 30
    assert phase_on(phases, RELEASE, dt.date(2026, 1, 10)).kind == "on_request"


def test_below_frequency_in_a_phase_and_across_its_boundaries(world):
    phases = _phases(world)
    # Intensive (2 a week): one contact in the last seven days is too few.
    last_intensive = dt.date(2024, 4, 9)
    status = frequency_status(phases, RELEASE, [dt.date(2024, 4, 5)], last_intensive)
    assert (status.required, status.contacts, status.below) == (2, 1, True)
    # The next day the weekly phase begins; the window still holds six intensive days (12/7) and one weekly
    # day (1/7): 13/7 rounds down to one contact, which the client had.
    status = frequency_status(phases, RELEASE, [dt.date(2024, 4, 5)], dt.date(2024, 4, 10))
    assert status.phase.kind == "high" and (status.required, status.contacts, status.below) == (1, 1, False)
    # A week into the weekly phase with no contact for eight days: below.
    status = frequency_status(phases, RELEASE, [dt.date(2024, 4, 5)], dt.date(2024, 4, 17))
    assert (status.required, status.contacts, status.below) == (1, 0, True)
    assert status.due_on == dt.date(2024, 4, 12)
    # Into the fortnightly phase: a 14-day window, one contact suffices.
    status = frequency_status(phases, RELEASE, [dt.date(2025, 1, 5)], dt.date(2025, 1, 12))
    assert status.window_days == 14 and (status.required, status.below) == (1, False)
    # On request after two years: never below.
    assert not frequency_status(phases, RELEASE, [], dt.date(2026, 2, 1)).below
    # Just released: no full week yet, nothing required for the first days.
    status = frequency_status(phases, RELEASE, [], RELEASE + dt.timedelta(days=2))
    assert (status.window_days, status.required) == (3, 0)
    # Contacts in prison before release do not count.
    status = frequency_status(phases, RELEASE, [RELEASE - dt.timedelta(days=1)], RELEASE + dt.timedelta(days=6))
    assert (status.required, status.contacts, status.below) == (2, 0, True)


def test_programme_rhythm_is_configurable(world):
    services.phases_replace(
        actor=world.programme_manager,
        programme=world.programme,
        phases=[
            {"kind": "intensive", "starts_month": 0, "ends_month": 6, "contacts": 3, "period_days": 7},
            {"kind": "on_request", "starts_month": 6, "ends_month": None, "contacts": 0, "period_days": 30},
        ],
    )
    phases = services.phases_ensure(world.programme)
    status = frequency_status(phases, RELEASE, [dt.date(2024, 5, 1), dt.date(2024, 5, 2)], dt.date(2024, 5, 3))
    assert (status.required, status.below) == (3, True)


def test_caseload_shows_cases_below_their_phase_frequency(world, prison_case, client):
    released = timezone.localdate() - dt.timedelta(days=40)
    services.release_plan_save(actor=world.case_manager, case=prison_case, release_on=released)
    Contact.objects.filter(case=prison_case).delete()
    cases = Case.objects.filter(pk=prison_case.pk)
    (item,) = [i for i in due.due_items(cases, timezone.localdate()) if i.kind == "aftercare"]
    assert "0 of 2 contacts" in item.label
    client.force_login(world.case_manager)
    assert "Aftercare (Intensive)" in client.get("/").content.decode()

    from cases import services as case_services

    for days_ago in (1, 4):
        case_services.contact_record(
            actor=world.case_manager,
            case=prison_case,
            occurred_at=timezone.now() - dt.timedelta(days=days_ago),
            duration_minutes=30,
            kind="face_to_face",
            participants=["client"],
        )
    assert not [i for i in due.due_items(cases, timezone.localdate()) if i.kind == "aftercare"]


def test_coverage_gaps():
    t = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    h = dt.timedelta(hours=1)
    assert coverage_gaps([], t, t + 72 * h) == [(t, t + 72 * h)]
    assert coverage_gaps([(t - h, t + 10 * h), (t + 5 * h, t + 20 * h), (t + 30 * h, t + 80 * h)], t, t + 72 * h) == [
        (t + 20 * h, t + 30 * h)
    ]
