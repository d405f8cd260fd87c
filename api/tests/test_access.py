"""Every route: allowed for the case manager, 404 for everyone outside need-to-know, 401 without a valid token."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_issue, api_tokens_revoke
from audit.models import AuditEntry

from .conftest import url

OUTSIDERS = ["other_practitioner", "evaluator", "administrator", "foreign_practitioner"]


def today() -> str:
    return timezone.localdate().isoformat()


def an_hour_ago() -> str:
    return (timezone.now() - dt.timedelta(hours=1)).isoformat()


# (method, route name, path ids taken from the `plan` fixture, body, status for the case manager)
CASE_ROUTES = [
    ("get", "case-detail", (), None, 200),
    ("patch", "case-detail", (), {"risk_level": "moderate"}, 200),
    ("get", "case-identity", (), None, 200),
    ("get", "case-transitions", (), None, 200),
    ("post", "case-transitions", (), {"to_state": "suspended", "note": "Client in hospital"}, 201),
    ("get", "case-contacts", (), None, 200),
    (
        "post",
        "case-contacts",
        (),
        {"occurred_at": an_hour_ago, "duration_minutes": 45, "kind": "phone", "participants": ["client"]},
        201,
    ),
    ("get", "case-agreement", (), None, 200),
    (
        "post",
        "case-agreement",
        (),
        {"base_number": 0, "objectives": "Find work", "agreed_on": today, "confirmation": "verbal"},
        201,
    ),
    ("get", "case-plan", (), None, 200),
    ("post", "case-needs", (), {"domain": "mental_health", "description": "Sleep"}, 201),
    ("patch", "case-need", ("need",), {"status": "addressed"}, 200),
    ("post", "case-need-goals", ("need",), {"description": "See a doctor"}, 201),
    ("patch", "case-goal", ("goal",), {"status": "in_progress"}, 200),
    ("post", "case-goal-services", ("goal",), {"kind": "intangible", "name": "Counselling"}, 201),
    ("patch", "case-service", ("service",), {"status": "referred"}, 200),
]
ROUTE_IDS = [f"{method} {name}" for method, name, *_ in CASE_ROUTES]
ID_KWARGS = {"need": "need_id", "goal": "goal_id", "service": "service_id"}


def route_url(name: str, case, ids: tuple, plan: dict, *, prefix: str = "") -> str:
    kwargs = {ID_KWARGS[key]: plan[prefix + key].pk for key in ids}
    return url(name, case_id=case.pk, **kwargs)


def body_of(body):
    if body is None:
        return None
    return {key: (value() if callable(value) else value) for key, value in body.items()}


def call(client: APIClient, method: str, path: str, body):
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, body_of(body), format="json")


@pytest.mark.parametrize(("method", "name", "ids", "body", "expected"), CASE_ROUTES, ids=ROUTE_IDS)
def test_case_manager_may_use_every_case_route(world, plan, api, method, name, ids, body, expected):
    response = call(api(world.case_manager), method, route_url(name, world.case, ids, plan), body)
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize(("method", "name", "ids", "body", "expected"), CASE_ROUTES, ids=ROUTE_IDS)
def test_outside_need_to_know_every_case_route_is_404(world, plan, api, persona, method, name, ids, body, expected):
    user = world.personas()[persona]
    before = AuditEntry.objects.filter(outcome="denied", object_id=str(world.case.pk)).count()
    response = call(api(user), method, route_url(name, world.case, ids, plan), body)
    assert response.status_code == 404
    assert AuditEntry.objects.filter(outcome="denied", object_id=str(world.case.pk)).count() == before + 1
    assert b"Okonkwo" not in response.content


@pytest.mark.parametrize(("method", "name", "ids", "body", "expected"), CASE_ROUTES, ids=ROUTE_IDS)
def test_every_case_route_needs_a_token(world, plan, method, name, ids, body, expected):
    response = call(APIClient(), method, route_url(name, world.case, ids, plan), body)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("method", "name", "ids", "body", "expected"),
    [route for route in CASE_ROUTES if route[2]],
    ids=[i for i, r in zip(ROUTE_IDS, CASE_ROUTES, strict=True) if r[2]],
)
def test_objects_of_another_case_are_404(world, plan, api, method, name, ids, body, expected):
    # The case manager's own case, but a need, goal or service of a case they cannot see.
    response = call(api(world.case_manager), method, route_url(name, world.case, ids, plan, prefix="other_"), body)
    assert response.status_code == 404
    plan["other_need"].refresh_from_db()
    assert plan["other_need"].status == "open"


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "1", "%00", "x" * 300])
def test_malformed_or_unknown_ids_are_404(world, plan, api, bad_id):
    client = api(world.case_manager)
    assert client.get(f"/api/v1/cases/{bad_id}/").status_code == 404
    assert client.get(f"/api/v1/cases/{world.case.pk}/needs/{bad_id}/").status_code in {404, 405}
    assert (
        client.patch(
            f"/api/v1/cases/{world.case.pk}/needs/{bad_id}/", {"status": "addressed"}, format="json"
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/cases/{world.case.pk}/goals/{bad_id}/services/",
            {"kind": "tangible", "name": "Papers"},
            format="json",
        ).status_code
        == 404
    )


def test_case_list_and_lookup_need_a_token(world):
    client = APIClient()
    assert client.get(url("case-list")).status_code == 401
    assert client.post(url("case-list"), {}, format="json").status_code == 401
    assert client.post(url("client-lookup"), {"name": "Mira Okonkwo-Lindqvist"}, format="json").status_code == 401


def test_expired_token_is_401(world):
    token, raw = api_token_issue(user=world.case_manager, name="old")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = APIClient().get(url("case-detail", case_id=world.case.pk), HTTP_AUTHORIZATION="Bearer " + raw)
    assert response.status_code == 401


def test_revoked_token_is_401(world):
    _token, raw = api_token_issue(user=world.case_manager, name="revoked")
    api_tokens_revoke(user=world.case_manager)
    response = APIClient().get(url("case-detail", case_id=world.case.pk), HTTP_AUTHORIZATION="Bearer " + raw)
    assert response.status_code == 401


@pytest.mark.parametrize("header", ["Bearer tdm_not-a-real-token", "Bearer", "Bearer a b", "Token tdm_x"])
def test_unknown_or_malformed_token_is_401(world, header):
    response = APIClient().get(url("case-list"), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_token_of_deactivated_staff_is_401(world):
    _token, raw = api_token_issue(user=world.case_manager, name="leaver")
    world.case_manager.is_active = False
    world.case_manager.save(update_fields=["is_active"])
    response = APIClient().get(url("case-list"), HTTP_AUTHORIZATION="Bearer " + raw)
    assert response.status_code == 401


def test_co_worker_and_supervisor_see_the_case(world, api):
    for user in (world.co_worker, world.supervisor):
        assert api(user).get(url("case-detail", case_id=world.case.pk)).status_code == 200


def test_specialist_sees_the_case_only_while_assigned(world, api):
    from cases import services

    client = api(world.specialist)
    assert client.get(url("case-detail", case_id=world.case.pk)).status_code == 404
    services.assignment_add(actor=world.case_manager, case=world.case, staff=world.specialist, role="psychologist")
    assert client.get(url("case-detail", case_id=world.case.pk)).status_code == 200


def test_excluded_staff_member_gets_404(world, api):
    from cases import services

    services.client_exclusion_add(actor=world.supervisor, client=world.case.client, staff=world.co_worker)
    assert api(world.co_worker).get(url("case-identity", case_id=world.case.pk)).status_code == 404


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("case_manager", "case"),
        ("other_practitioner", "other_case"),
        ("foreign_practitioner", "foreign_case"),
        ("evaluator", None),
        ("administrator", None),
        ("programme_manager", None),
    ],
)
def test_case_list_shows_only_the_callers_cases(world, api, persona, visible):
    response = api(world.personas()[persona]).get(url("case-list"))
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == ([str(getattr(world, visible).pk)] if visible else [])


@pytest.mark.parametrize(
    ("persona", "found"),
    [
        ("case_manager", True),
        ("co_worker", True),
        ("other_practitioner", False),
        ("evaluator", False),
        ("administrator", False),
        ("foreign_practitioner", False),
    ],
)
def test_lookup_finds_only_the_callers_cases(world, api, persona, found):
    response = api(world.personas()[persona]).post(
        url("client-lookup"), {"name": "mira okonkwo-lindqvist"}, format="json"
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == ([str(world.case.pk)] if found else [])
    assert b"Mira" not in response.content and b"Okonkwo" not in response.content


@pytest.mark.parametrize("persona", ["evaluator", "administrator", "programme_manager", "specialist"])
def test_roles_that_do_not_open_cases_cannot_record_enquiries(world, api, persona):
    body = {
        "team": world.team_a.pk,
        "identity": {"given_name": "Tom"},
        "referral_source": "self",
        "setting": "community",
        "participation": "voluntary",
        "ideology": "mixed",
    }
    response = api(world.personas()[persona]).post(url("case-list"), body, format="json")
    assert response.status_code == 403
