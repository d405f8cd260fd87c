"""Data protection in the demo: retention periods set, one restricted record and one legal hold."""

from __future__ import annotations

from accounts.models import Role, User
from cases.lifecycle import State
from cases.models import Case
from programmes.models import Programme
from rights import services as rights


def _supervisor(case: Case) -> User:
    return User.objects.filter(role_grants__role=Role.SUPERVISOR, role_grants__team=case.team_id).earliest("pk")


def seed_data_protection(built: list[tuple[Case, list]]) -> None:
    for programme in Programme.objects.select_related("organisation"):
        # The other organisation of the demo has no programme manager: its rules are set by no one in particular.
        manager = User.objects.filter(
            organisation=programme.organisation, role_grants__role=Role.PROGRAMME_MANAGER
        ).first()
        statutory = programme.sharing_policy == "statutory"
        rights.retention_rules_set(
            actor=manager,
            programme=programme,
            closed_months=120 if statutory else 60,
            not_taken_up_months=24 if statutory else 12,
        )
    closed = [case for case, _phases in built if case.state == State.CLOSED]
    if len(closed) < 2:
        return
    restricted, held = closed[0], closed[1]
    rights.restriction_set(
        actor=_supervisor(restricted),
        client=restricted.client,
        reason="The client contests the recorded reasons for closing the case; kept unchanged "
        "until the review with the client is done.",
    )
    rights.legal_hold_place(
        actor=_supervisor(held),
        client=held.client,
        basis="criminal_proceedings",
        reason="Witness statement requested in pending proceedings (file 12 Js 345/25); "
        "keep the record until the proceedings end.",
    )
