"""Release planning: the follow-up conference, release-day warnings and their acknowledgement."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from aftercare import selectors, services
from aftercare.models import ConferenceKind, ReleaseCheck, SocialNetConference
from cases import due
from cases.models import Case

TODAY = dt.date(2025, 3, 3)  # a fixed clock: warnings are computed for this day


def _at(day: dt.date, hour: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _plan(world, case, release_on, **extra):
    return services.release_plan_save(
        actor=world.case_manager, case=case, release_on=release_on, housing="Flat with his sister", **extra
    )


def _cover(world, plan, hours=72):
    start = selectors.release_start(plan)
    services.release_contact_add(
        actor=world.case_manager,
        plan=plan,
        staff=world.case_manager,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
    )


def _kinds(plan):
    return {check.kind for check in selectors.release_checks(plan) if not check.acknowledged}


def test_release_plan_schedules_the_follow_up_conference_six_months_after_release(world, prison_case):
    plan = _plan(world, prison_case, dt.date(2025, 3, 12))
    follow_up = SocialNetConference.objects.get(case=prison_case, kind=ConferenceKind.FOLLOW_UP)
    assert follow_up.scheduled_on == dt.date(2025, 9, 12)
    assert follow_up.held_on is None
    assert plan.housing == "Flat with his sister"

    _plan(world, prison_case, dt.date(2025, 8, 31))  # the date moves: so does the conference (no 31 Feb)
    follow_up.refresh_from_db()
    assert follow_up.scheduled_on == dt.date(2026, 2, 28)
    assert SocialNetConference.objects.filter(case=prison_case, kind=ConferenceKind.FOLLOW_UP).count() == 1


def test_programme_can_choose_three_months_for_the_follow_up(world, prison_case):
    config = services.programme_aftercare(world.programme)
    config.follow_up_months = 3
    config.save()
    _plan(world, prison_case, dt.date(2025, 3, 12))
    assert SocialNetConference.objects.get(case=prison_case, kind="follow_up").scheduled_on == dt.date(2025, 6, 12)
    with pytest.raises(ValidationError) as exc:
        _plan(world, prison_case, dt.date(2025, 3, 12), follow_up_months=4)
    assert "follow_up_months" in exc.value.message_dict


def test_release_planning_is_for_detention_or_prison(world):
    from django.utils import timezone

    with pytest.raises(ValidationError) as exc:  # world.case is on probation: no release ahead
        _plan(world, world.case, timezone.localdate() + dt.timedelta(days=20))
    assert "detention or prison" in exc.value.message_dict["release_on"][0]
    # A release that already happened (the client joined afterwards) can still be recorded.
    assert _plan(world, world.case, timezone.localdate() - dt.timedelta(days=100)).pk


def test_plan_text_is_sealed(world, prison_case):
    from django.db import connection

    plan = _plan(world, prison_case, dt.date(2025, 3, 12))
    with connection.cursor() as cursor:
        cursor.execute("SELECT housing FROM aftercare_releaseplan WHERE id = %s", [plan.pk.hex])
        row = cursor.fetchone() or ()
    assert all("sister" not in str(value) for value in row)


@pytest.mark.parametrize(
    "release_on, region, expected",
    [
        (dt.date(2025, 3, 12), "DE-NW", set()),  # a Wednesday
        (dt.date(2025, 3, 14), "DE-NW", {ReleaseCheck.FRIDAY}),
        (dt.date(2025, 3, 15), "DE-NW", {ReleaseCheck.WEEKEND}),  # a Saturday
        (dt.date(2025, 3, 16), "DE-NW", {ReleaseCheck.WEEKEND}),  # a Sunday
        (dt.date(2025, 4, 21), "DE-NW", {ReleaseCheck.HOLIDAY}),  # Easter Monday
        (dt.date(2024, 10, 3), "DE-BE", {ReleaseCheck.HOLIDAY}),  # German Unity Day, a Thursday
        (dt.date(2025, 10, 3), "DE-NW", {ReleaseCheck.FRIDAY, ReleaseCheck.HOLIDAY}),  # German Unity Day, a Friday
        (dt.date(2025, 6, 19), "DE-NW", {ReleaseCheck.HOLIDAY}),  # Corpus Christi in North Rhine-Westphalia ...
        (dt.date(2025, 6, 19), "DE-BE", set()),  # ... but not in Berlin
        (dt.date(2025, 3, 8), "DE-BE", {ReleaseCheck.WEEKEND, ReleaseCheck.HOLIDAY}),  # Women's Day, Berlin only
        (dt.date(2025, 12, 8), "AT-9", {ReleaseCheck.HOLIDAY}),  # Immaculate Conception in Vienna ...
        (dt.date(2025, 12, 8), "DE-BY", set()),  # ... but not in Bavaria
        (dt.date(2025, 5, 1), "CH-ZH", {ReleaseCheck.HOLIDAY}),  # Labour Day in Zurich ...
        (dt.date(2025, 5, 1), "CH-LU", set()),  # ... but not in Lucerne
        (dt.date(2025, 8, 1), "CH-LU", {ReleaseCheck.FRIDAY, ReleaseCheck.HOLIDAY}),  # Swiss National Day
    ],
)
def test_release_day_warnings(world, prison_case, release_on, region, expected):
    config = services.programme_aftercare(world.programme)
    config.holiday_region = region
    config.save()
    plan = _plan(world, prison_case, release_on)
    _cover(world, plan)
    assert _kinds(plan) == expected


def test_holiday_warning_names_the_holiday(world, prison_case):
    plan = _plan(world, prison_case, dt.date(2025, 4, 21))
    _cover(world, plan)
    (check,) = selectors.release_checks(plan)
    assert "Easter Monday" in check.message


def test_holiday_warning_names_the_holiday_in_the_active_language(world, prison_case):
    plan = _plan(world, prison_case, dt.date(2025, 4, 21))
    _cover(world, plan)
    with translation.override("de"):
        (check,) = selectors.release_checks(plan)
    assert "Ostermontag" in check.message


def test_nobody_reachable_in_the_first_72_hours_is_a_warning_until_covered(world, prison_case):
    plan = _plan(world, prison_case, dt.date(2025, 3, 12), release_time=dt.time(9, 0))
    start = selectors.release_start(plan)
    assert _kinds(plan) == {ReleaseCheck.UNREACHABLE}

    # The roster covers the nights, the case manager the first day: a gap remains on day two.
    services.on_call_shift_add(
        actor=world.supervisor,
        programme=world.programme,
        staff=world.supervisor,
        starts_at=start + dt.timedelta(hours=9),
        ends_at=start + dt.timedelta(hours=24),
    )
    services.release_contact_add(
        actor=world.case_manager,
        plan=plan,
        staff=world.case_manager,
        starts_at=start - dt.timedelta(hours=1),
        ends_at=start + dt.timedelta(hours=9),
    )
    (check,) = [c for c in selectors.release_checks(plan) if c.kind == ReleaseCheck.UNREACHABLE]
    assert check.gaps == [(start + dt.timedelta(hours=24), start + dt.timedelta(hours=72))]

    services.on_call_shift_add(
        actor=world.supervisor,
        programme=world.programme,
        staff=world.co_worker,
        starts_at=start + dt.timedelta(hours=24),
        ends_at=start + dt.timedelta(hours=80),
    )
    assert _kinds(plan) == set()


def test_warning_shows_on_case_and_caseload_until_acknowledged(world, prison_case, client):
    plan = _plan(world, prison_case, dt.date(2025, 3, 14))  # a Friday
    _cover(world, plan)
    cases = Case.objects.filter(pk=prison_case.pk)
    assert [i.kind for i in due.due_items(cases, TODAY) if i.kind == "release_check"] == ["release_check"]

    client.force_login(world.case_manager)
    assert "is a Friday" in client.get(f"/cases/{prison_case.pk}/").content.decode()
    caseload = client.get("/").content.decode()
    assert "Release on a Friday" in caseload

    response = client.post(f"/cases/{prison_case.pk}/release/checks/friday/acknowledge/")
    assert response.status_code == 302
    ack = plan.acknowledgements.get()
    assert ack.by == world.case_manager and ack.release_on == plan.release_on
    assert not [i for i in due.due_items(cases, TODAY) if i.kind == "release_check"]
    assert "Release on a Friday" not in client.get("/").content.decode()
    assert "Acknowledged by" in client.get(f"/cases/{prison_case.pk}/").content.decode()

    _plan(world, prison_case, dt.date(2025, 3, 21))  # another Friday: the warning is back (and nobody covers it)
    assert {i.key for i in due.due_items(cases, TODAY) if i.kind == "release_check"} == {
        "friday-2025-03-21",
        "unreachable-2025-03-21",
    }


def test_follow_up_conference_becomes_due_and_is_recorded(world, prison_case):
    _plan(world, prison_case, dt.date(2024, 9, 1))
    cases = Case.objects.filter(pk=prison_case.pk)
    items = [i for i in due.due_items(cases, dt.date(2025, 2, 20)) if i.kind == "conference"]
    assert len(items) == 1 and not items[0].overdue
    follow_up = SocialNetConference.objects.get(case=prison_case, kind="follow_up")
    services.conference_record(
        actor=world.case_manager,
        case=prison_case,
        conference=follow_up,
        kind="follow_up",
        held_on=timezone.localdate(),
        groups=["family", "friends", "professionals"],
        participant_count=6,
        network_time_alone=True,
        outcome="Keeps the job",
    )
    assert not [i for i in due.due_items(cases, dt.date(2025, 3, 20)) if i.kind == "conference"]
    with pytest.raises(ValidationError) as exc:
        services.conference_record(
            actor=world.case_manager,
            case=prison_case,
            kind="release",
            held_on=timezone.localdate(),
            groups=["professionals"],
            participant_count=2,
            network_time_alone=True,
        )
    assert "network_time_alone" in exc.value.message_dict


def test_on_call_roster_shows_gaps(world, client):
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    services.on_call_shift_add(
        actor=world.supervisor,
        programme=world.programme,
        staff=world.co_worker,
        starts_at=start,
        ends_at=start + dt.timedelta(days=7),
    )
    roster = selectors.roster(world.programme, start)
    assert roster["gaps"] == [(start + dt.timedelta(days=7), start + dt.timedelta(weeks=4))]
    client.force_login(world.case_manager)
    body = client.get("/on-call/").content.decode()
    assert "Nobody is on call at these times" in body
