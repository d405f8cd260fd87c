import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

import access
from audit.models import AuditEntry
from cases import services
from cases.models import Case


def visible(user):
    return set(access.cases_for(user).values_list("pk", flat=True))


def test_tandem_sees_only_its_cases(world):
    assert visible(world.case_manager) == {world.case.pk}
    assert visible(world.co_worker) == {world.case.pk}
    assert visible(world.other_practitioner) == {world.other_case.pk}


def test_supervisor_sees_the_team_cases(world):
    assert visible(world.supervisor) == {world.case.pk}


@pytest.mark.parametrize("persona", ["programme_manager", "evaluator", "administrator"])
def test_roles_without_casework_see_no_case(world, persona):
    assert visible(world.personas()[persona]) == set()


def test_organisations_never_see_each_other(world):
    assert world.foreign_case.pk not in visible(world.supervisor)
    assert visible(world.foreign_practitioner) == {world.foreign_case.pk}


def test_specialist_sees_case_only_during_assignment(world):
    today = timezone.localdate()
    assert visible(world.specialist) == set()
    assignment = services.assignment_add(
        actor=world.case_manager,
        case=world.case,
        staff=world.specialist,
        role="psychologist",
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=3),
    )
    assert visible(world.specialist) == {world.case.pk}
    services.assignment_end(actor=world.case_manager, assignment=assignment, ends_on=today - dt.timedelta(days=1))
    assert visible(world.specialist) == set()


def test_exclusion_beats_assignment_and_supervision(world):
    services.client_exclusion_add(
        actor=world.supervisor, client=world.case.client, staff=world.case_manager, reason="knows the family"
    )
    assert visible(world.case_manager) == set()
    services.client_exclusion_add(actor=world.supervisor, client=world.case.client, staff=world.supervisor)
    assert visible(world.supervisor) == set()
    with pytest.raises(ValidationError):
        services.assignment_add(actor=world.co_worker, case=world.case, staff=world.case_manager, role="case_manager")


def test_outside_need_to_know_is_404_and_audited(world):
    with pytest.raises(Http404):
        access.get_case_for(world.other_practitioner, world.case.pk)
    denied = AuditEntry.objects.filter(action="case.view", object_id=str(world.case.pk), outcome="denied")
    assert denied.filter(actor_id=world.other_practitioner.pk).exists()
    with pytest.raises(Http404):
        access.get_case_for(world.case_manager, "not-a-uuid")


def test_allowed_read_is_audited(world):
    case = access.get_case_for(world.case_manager, world.case.pk)
    assert case == world.case
    assert AuditEntry.objects.filter(action="case.view", object_id=str(case.pk), outcome="ok").exists()


def test_erased_client_case_no_longer_exists(world):
    services.client_erase(actor=world.supervisor, client=world.case.client)
    assert visible(world.case_manager) == set()
    assert Case.objects.filter(pk=world.case.pk).exists()  # kept for anonymous statistics only


def test_inactive_user_sees_nothing(world):
    world.case_manager.is_active = False
    world.case_manager.save(update_fields=["is_active"])
    assert visible(world.case_manager) == set()
