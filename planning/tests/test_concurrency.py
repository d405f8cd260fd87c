"""Two practitioners saving the same agreement or plan status at the same moment, on real connections."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from planning import services
from planning.models import AgreementRevision, Goal

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers on separate connections are exercised on PostgreSQL"
)


@pytest.fixture
def committed(django_db_blocker):
    """Committed data, so that other connections see it. The test database is emptied afterwards by TRUNCATE,
    which the append-only audit log refuses; this test's own connection is therefore put in replica mode
    (its triggers do not fire) until the emptying is done, then reset. Requested before transactional_db so
    that it is torn down after it."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")


def _race(*calls):
    """Run the calls in threads released together; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_two_simultaneous_agreement_saves_one_wins_the_other_gets_a_conflict(committed, transactional_db, world):
    def save(actor, text):
        return lambda: services.agreement_revise(
            actor=actor,
            case=world.case,
            objectives=text,
            agreed_on=timezone.localdate(),
            confirmation="verbal",
            base_number=0,
        )

    for _round in range(5):
        AgreementRevision.objects.filter(case=world.case).delete()
        outcomes = _race(save(world.case_manager, "Find a flat."), save(world.co_worker, "Finish school."))
        saved = [o for o in outcomes if isinstance(o, AgreementRevision)]
        refused = [o for o in outcomes if isinstance(o, services.EditConflict)]
        assert len(saved) == 1 and len(refused) == 1, outcomes
        stored = AgreementRevision.objects.get(case=world.case)
        assert stored.objectives == saved[0].objectives


def test_two_simultaneous_status_changes_one_wins_the_other_gets_a_conflict(committed, transactional_db, world):
    need = services.need_add(actor=world.case_manager, case=world.case, domain="social", description="Friends")
    goal = services.goal_add(actor=world.case_manager, need=need, description="Join a club")

    def change(actor, status):
        return lambda: services.goal_status_set(
            actor=actor, goal=Goal.objects.get(pk=goal.pk), status=status, seen_status="planned"
        )

    outcomes = _race(change(world.case_manager, "achieved"), change(world.co_worker, "dropped"))
    won = [o for o in outcomes if isinstance(o, Goal)]
    refused = [o for o in outcomes if isinstance(o, services.EditConflict)]
    assert len(won) == 1 and len(refused) == 1, outcomes
    goal.refresh_from_db()
    assert goal.status == won[0].status
