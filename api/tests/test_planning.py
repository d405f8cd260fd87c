from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from planning import services as plan_services
from planning.models import AgreementRevision, Goal, Need, Service

from .conftest import url


def revision(base: int, **overrides) -> dict:
    body = {
        "base_number": base,
        "objectives": "Stay away from the old friends; find an apprenticeship.",
        "commitments": "Weekly meetings; help with applications.",
        "agreed_on": timezone.localdate().isoformat(),
        "confirmation": "signed",
    }
    body.update(overrides)
    return body


# --- Agreement -------------------------------------------------------------------------------------


def test_agreement_revisions_round_trip(world, api):
    client = api(world.case_manager)
    assert client.get(url("case-agreement", case_id=world.case.pk)).json() == {"current": None, "revisions": []}
    first = client.post(url("case-agreement", case_id=world.case.pk), revision(0), format="json")
    assert first.status_code == 201, first.content
    assert first.json()["number"] == 1
    second = client.post(
        url("case-agreement", case_id=world.case.pk), revision(1, objectives="Finish school."), format="json"
    )
    assert second.json()["number"] == 2
    data = client.get(url("case-agreement", case_id=world.case.pk)).json()
    assert data["revisions"] == [2, 1]
    assert data["current"]["objectives"] == "Finish school."
    assert data["current"]["recorded_by"]["id"] == world.case_manager.pk


def test_stale_agreement_base_is_409_and_saves_nothing(world, api):
    plan_services.agreement_revise(
        actor=world.co_worker,
        case=world.case,
        objectives="First version",
        agreed_on=timezone.localdate(),
        confirmation="verbal",
        base_number=0,
    )
    response = api(world.case_manager).post(url("case-agreement", case_id=world.case.pk), revision(0), format="json")
    assert response.status_code == 409
    assert "non_field_errors" in response.json()
    assert AgreementRevision.objects.filter(case=world.case).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"base_number": None}, "base_number"),
        ({"base_number": -1}, "base_number"),
        ({"base_number": 10**20}, "base_number"),
        ({"base_number": "latest"}, "base_number"),
        ({"objectives": ""}, "objectives"),
        ({"objectives": "   "}, "objectives"),
        ({"agreed_on": "1.2.2024"}, "agreed_on"),
        ({"confirmation": "handshake"}, "confirmation"),
        ({"number": 7}, "number"),
    ],
)
def test_bad_agreement_is_400_and_saves_nothing(world, api, overrides, field):
    response = api(world.case_manager).post(
        url("case-agreement", case_id=world.case.pk),
        json.dumps(revision(0, **overrides)),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert AgreementRevision.objects.count() == 0


# --- Plan ------------------------------------------------------------------------------------------


def test_plan_is_nested_needs_goals_services(world, plan, api):
    data = api(world.case_manager).get(url("case-plan", case_id=world.case.pk)).json()
    assert len(data["needs"]) == 1
    need = data["needs"][0]
    assert (need["id"], need["domain"], need["description"]) == (str(plan["need"].pk), "social", "Somewhere to live")
    goal = need["goals"][0]
    assert goal["description"] == "Apply for supported housing"
    assert goal["services"][0]["provider_name"] == "Wohnhilfe Nord"
    assert str(plan["other_need"].pk) not in json.dumps(data)


def test_plan_query_count_does_not_grow_with_the_plan(world, api):
    client = api(world.case_manager)

    def grow(n: int) -> None:
        for i in range(n):
            need = plan_services.need_add(
                actor=world.case_manager, case=world.case, domain="social", description=f"n{i}"
            )
            goal = plan_services.goal_add(actor=world.case_manager, need=need, description=f"g{i}")
            plan_services.service_add(actor=world.case_manager, goal=goal, kind="tangible", name=f"s{i}")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("case-plan", case_id=world.case.pk)).status_code == 200
        return len(captured)

    grow(2)
    few = queries()
    grow(8)
    assert queries() == few


def test_building_a_plan_through_the_api(world, api):
    client = api(world.case_manager)
    need = client.post(
        url("case-needs", case_id=world.case.pk), {"domain": "ideological", "description": "Doubts"}, format="json"
    )
    assert need.status_code == 201, need.content
    need_id = need.json()["id"]
    goal = client.post(
        url("case-need-goals", case_id=world.case.pk, need_id=need_id),
        {"description": "Meet a former", "owner": "client", "target_date": None},
        format="json",
    )
    assert goal.status_code == 201, goal.content
    goal_id = goal.json()["id"]
    service = client.post(
        url("case-goal-services", case_id=world.case.pk, goal_id=goal_id),
        {
            "kind": "intangible",
            "name": "Mentoring by a former",
            "provider": "external",
            "provider_name": "Ausstieg e.V.",
            "details": "Fortnightly",
        },
        format="json",
    )
    assert service.status_code == 201, service.content
    service_id = service.json()["id"]
    assert (
        client.patch(
            url("case-need", case_id=world.case.pk, need_id=need_id), {"status": "addressed"}, format="json"
        ).json()["status"]
        == "addressed"
    )
    assert (
        client.patch(
            url("case-goal", case_id=world.case.pk, goal_id=goal_id), {"status": "achieved"}, format="json"
        ).json()["status"]
        == "achieved"
    )
    assert (
        client.patch(
            url("case-service", case_id=world.case.pk, service_id=service_id), {"status": "completed"}, format="json"
        ).json()["status"]
        == "completed"
    )
    stored = Service.objects.select_related("goal__need").get(pk=service_id)
    assert (stored.status, stored.goal.status, stored.goal.need.status) == ("completed", "achieved", "addressed")
    assert stored.goal.need.case_id == world.case.pk and stored.details == "Fortnightly"


def test_agreement_dated_in_the_future_is_409_and_saves_nothing(world, api):
    response = api(world.case_manager).post(
        url("case-agreement", case_id=world.case.pk), revision(0, agreed_on="2999-01-01"), format="json"
    )
    assert response.status_code == 409, response.content
    assert "agreed_on" in response.json()
    assert AgreementRevision.objects.count() == 0


def test_external_service_without_a_provider_name_is_409(world, plan, api):
    response = api(world.case_manager).post(
        url("case-goal-services", case_id=world.case.pk, goal_id=plan["goal"].pk),
        {"kind": "tangible", "name": "Flat", "provider": "external"},
        format="json",
    )
    assert response.status_code == 409 and "provider_name" in response.json()
    assert Service.objects.filter(goal=plan["goal"]).count() == 1


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("case-needs", {"domain": "spiritual", "description": "x"}, "domain"),
        ("case-needs", {"domain": "social", "description": " "}, "description"),
        ("case-needs", {"domain": "social"}, "description"),
        ("case-need-goals", {"description": "x", "owner": "nobody"}, "owner"),
        ("case-need-goals", {"description": "x", "target_date": "soon"}, "target_date"),
        ("case-need-goals", {"description": None}, "description"),
        ("case-goal-services", {"kind": "tangible", "name": "x" * 121}, "name"),
        ("case-goal-services", {"kind": "magic", "name": "Flat"}, "kind"),
        ("case-need", {"status": "solved"}, "status"),
        ("case-need", {}, "status"),
        ("case-goal", {"status": None}, "status"),
        ("case-service", {"status": 5}, "status"),
    ],
)
def test_bad_plan_input_is_400_and_writes_nothing(world, plan, api, route, body, field):
    kwargs = {"case_id": world.case.pk}
    if route in {"case-need", "case-need-goals"}:
        kwargs["need_id"] = plan["need"].pk
    if route in {"case-goal", "case-goal-services"}:
        kwargs["goal_id"] = plan["goal"].pk
    if route == "case-service":
        kwargs["service_id"] = plan["service"].pk
    counts = (Need.objects.count(), Goal.objects.count(), Service.objects.count())
    method = "patch" if route in {"case-need", "case-goal", "case-service"} else "post"
    response = getattr(api(world.case_manager), method)(url(route, **kwargs), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert (Need.objects.count(), Goal.objects.count(), Service.objects.count()) == counts
    plan["need"].refresh_from_db(), plan["goal"].refresh_from_db(), plan["service"].refresh_from_db()
    assert (plan["need"].status, plan["goal"].status, plan["service"].status) == ("open", "planned", "proposed")


def test_stale_status_change_is_409_and_keeps_the_first(world, api):
    need = plan_services.need_add(actor=world.case_manager, case=world.case, domain="social", description="Friends")
    goal = plan_services.goal_add(actor=world.case_manager, need=need, description="Join a football club")
    first = api(world.case_manager).patch(
        url("case-goal", case_id=world.case.pk, goal_id=goal.pk),
        {"status": "in_progress", "seen_status": "planned"},
        format="json",
    )
    assert first.status_code == 200, first.content
    second = api(world.co_worker).patch(
        url("case-goal", case_id=world.case.pk, goal_id=goal.pk),
        {"status": "dropped", "seen_status": "planned"},
        format="json",
    )
    assert second.status_code == 409
    assert "Nothing was changed" in json.dumps(second.json(), ensure_ascii=False)
    goal.refresh_from_db()
    assert goal.status == "in_progress"
