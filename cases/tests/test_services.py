import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services
from cases.lifecycle import EDGES, State
from cases.models import Case, CaseTransition, Contact


def test_every_transition_is_recorded_with_actor_and_date(world):
    history = list(CaseTransition.objects.filter(case=world.case).order_by("at").values_list("from_state", "to_state"))
    assert history[0] == ("", "signal")
    assert history[-1] == ("agreement", "active")


def test_disallowed_edge_is_refused_and_nothing_changes(world):
    with pytest.raises(ValidationError, match="cannot move"):
        services.case_transition(actor=world.case_manager, case=world.case, to_state=State.SIGNAL)
    world.case.refresh_from_db()
    assert world.case.state == State.ACTIVE


def test_closing_needs_a_neutral_reason_and_reopening_is_possible(world):
    with pytest.raises(ValidationError):
        services.case_transition(actor=world.case_manager, case=world.case, to_state=State.CLOSED)
    services.case_transition(
        actor=world.case_manager, case=world.case, to_state=State.CLOSED, closure_reason="ended_by_client"
    )
    world.case.refresh_from_db()
    assert (world.case.state, world.case.closure_reason) == ("closed", "ended_by_client")
    services.case_transition(actor=world.case_manager, case=world.case, to_state=State.ENGAGEMENT)
    world.case.refresh_from_db()
    assert (world.case.state, world.case.closure_reason) == ("engagement", "")


def test_suspend_and_resume(world):
    services.case_transition(actor=world.case_manager, case=world.case, to_state=State.SUSPENDED, note="lost contact")
    services.case_transition(actor=world.case_manager, case=world.case, to_state=State.ACTIVE)
    assert CaseTransition.objects.filter(case=world.case, to_state=State.SUSPENDED).get().note == "lost contact"


def test_worked_states_need_a_tandem(world):
    case = services.enquiry_create(
        actor=world.supervisor,
        programme=world.programme,
        team=world.team_a,
        identity={"given_name": "Ola"},
        referral_source="self",
        setting="community",
        participation="voluntary",
        ideology="conspiracy",
    )
    services.case_transition(actor=world.supervisor, case=case, to_state=State.SCREENING)
    with pytest.raises(ValidationError, match="case manager and a co-worker"):
        services.case_transition(actor=world.supervisor, case=case, to_state=State.ENGAGEMENT)


def test_every_state_is_reachable_from_signal():
    seen, frontier = {State.SIGNAL.value}, [State.SIGNAL.value]
    while frontier:
        for target in EDGES[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(State.values)


def test_new_case_manager_takes_over_the_role(world):
    services.assignment_add(actor=world.supervisor, case=world.case, staff=world.supervisor, role="case_manager")
    tandem = {a.role: a.staff for a in world.case.current_tandem}
    assert tandem == {"case_manager": world.supervisor, "co_worker": world.co_worker}


def test_contact_validation_writes_nothing(world):
    before = Contact.objects.count()
    with pytest.raises(ValidationError) as error:
        services.contact_record(
            actor=world.case_manager,
            case=world.case,
            occurred_at=timezone.now() + dt.timedelta(days=2),
            duration_minutes=0,
            kind="telepathy",
            participants=[],
            topic_ids=[999999],
            note="kept",
        )
    assert set(error.value.message_dict) == {"occurred_at", "duration_minutes", "kind", "participants", "topics"}
    assert Contact.objects.count() == before


def test_contact_updates_last_contact(world):
    when = timezone.now() - dt.timedelta(days=1)
    topic = world.programme.topics.get(code="housing")
    contact = services.contact_record(
        actor=world.case_manager,
        case=world.case,
        occurred_at=when,
        duration_minutes=50,
        kind="home_visit",
        participants=["client", "relatives"],
        topic_ids=[topic.pk],
        note="Visited the new flat.",
    )
    assert Case.objects.get(pk=world.case.pk).last_contact_at == when
    assert list(contact.topics.all()) == [topic]


def test_topic_of_another_programme_is_refused(world):
    foreign_topic = world.foreign_case.programme.topics.first()
    with pytest.raises(ValidationError):
        services.contact_record(
            actor=world.case_manager,
            case=world.case,
            occurred_at=timezone.now(),
            duration_minutes=10,
            kind="phone",
            participants=["client"],
            topic_ids=[foreign_topic.pk],
        )


def test_identity_validation(world):
    with pytest.raises(ValidationError):
        services.client_create(organisation_id=world.org.pk, given_name="", family_name="")
    with pytest.raises(ValidationError):
        services.client_create(organisation_id=world.org.pk, given_name="A", date_of_birth="31.12.1990")
