from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from cases.models import Case, CaseAssignment, CaseTransition, Client
from conftest import make_case

from .conftest import url

IDENTITY_KEYS = {"given_name", "family_name", "aliases", "date_of_birth", "phone", "email", "address"}


def enquiry(world, **overrides) -> dict:
    body = {
        "team": world.team_a.pk,
        "identity": {
            "given_name": "Tomasz",
            "family_name": "Wieczorek",
            "aliases": ["Tom W."],
            "date_of_birth": "2001-07-14",
            "phone": "+49 40 5550 9876",
        },
        "referral_source": "family",
        "setting": "community",
        "participation": "voluntary",
        "ideology": "right_wing",
    }
    body.update(overrides)
    return body


# --- List ------------------------------------------------------------------------------------------


def test_case_list_shows_case_fields_and_tandem_but_no_identity(world, api):
    response = api(world.case_manager).get(url("case-list"))
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["pseudonym"] == world.case.client.pseudonym
    assert row["state"] == "active" and row["setting"] == "probation"
    assert row["programme"] == {"id": world.programme.pk, "name": world.programme.name}
    assert row["tandem"]["case_manager"] == {"id": world.case_manager.pk, "display_name": "Case Manager"}
    assert row["tandem"]["co_worker"]["id"] == world.co_worker.pk
    assert not IDENTITY_KEYS & set(row)
    assert b"Mira" not in response.content and b"1994" not in response.content


def test_case_list_is_audited_with_its_row_count(world, api):
    api(world.case_manager).get(url("case-list"))
    entry = AuditEntry.objects.filter(action="case.list").last()
    assert entry.actor_id == world.case_manager.pk and entry.detail.startswith("1 rows")
    assert entry.channel == "api"


def test_case_list_filters(world, api):
    extra = make_case(
        world.supervisor,
        world.programme,
        world.team_a,
        manager=world.case_manager,
        co_worker=world.supervisor,
        given="Ole",
        family="Petersen",
        state="screening",
    )
    client = api(world.supervisor)

    def ids(**params) -> set[str]:
        response = client.get(url("case-list"), params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    both = {str(world.case.pk), str(extra.pk)}
    assert ids() == both
    assert ids(state="screening") == {str(extra.pk)}
    assert ids(setting="probation") == both
    assert ids(setting="prison") == set()
    assert ids(ideology="right_wing") == both
    assert ids(worker=world.co_worker.pk) == {str(world.case.pk)}
    assert ids(worker=world.supervisor.pk) == {str(extra.pk)}
    assert ids(q=extra.client.pseudonym[:3].lower()) >= {str(extra.pk)}
    assert ids(q=extra.client.pseudonym) == {str(extra.pk)}


@pytest.mark.parametrize(
    "params",
    [
        {"state": "finished"},
        {"setting": "Prison"},
        {"worker": "abc"},
        {"worker": "9" * 30},
        {"worker": "-1"},
        {"q": "x" * 100},
        {"q": "AB\x00"},
    ],
)
def test_case_list_bad_filters_are_400(world, api, params):
    response = api(world.case_manager).get(url("case-list"), params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_case_list_query_count_does_not_grow_with_cases(world, api):
    client = api(world.case_manager)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("case-list"))
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    for _ in range(2):
        make_case(
            world.supervisor, world.programme, world.team_a, manager=world.case_manager, co_worker=world.co_worker
        )
    few, shown = count_queries()
    assert shown == 3
    for _ in range(17):
        make_case(
            world.supervisor, world.programme, world.team_a, manager=world.case_manager, co_worker=world.co_worker
        )
    many, shown = count_queries()
    assert shown == 20
    assert many == few


def test_case_list_is_paginated_by_50(world, api):
    client = api(world.case_manager)
    data = client.get(url("case-list")).json()
    assert data["count"] == 1 and data["next"] is None
    assert client.get(url("case-list"), {"page": 2}).status_code == 404


# --- Enquiry ---------------------------------------------------------------------------------------


def test_practitioner_records_an_enquiry_and_becomes_case_manager(world, api):
    response = api(world.case_manager).post(url("case-list"), enquiry(world), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    case = Case.objects.get(pk=data["id"])
    assert case.state == "signal" and case.team == world.team_a and case.setting == "community"
    assert data["tandem"]["case_manager"]["id"] == world.case_manager.pk
    assert [a["role"] for a in data["assignments"]] == ["case_manager"]
    assert case.client.full_name == "Tomasz Wieczorek" and case.client.alias_list() == ["Tom W."]
    assert case.client.date_of_birth == "2001-07-14"
    assert not IDENTITY_KEYS & set(data)
    assert b"Tomasz" not in response.content
    found = api(world.case_manager).post(url("client-lookup"), {"name": "Tom W."}, format="json").json()
    assert [row["id"] for row in found["results"]] == [data["id"]]


def test_supervisor_records_an_enquiry_for_the_team_without_joining_the_tandem(world, api):
    response = api(world.supervisor).post(url("case-list"), enquiry(world), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["assignments"] == []
    assert response.json()["tandem"] == {"case_manager": None, "co_worker": None}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"team": "abc"}, "team"),
        ({"team": 10**30}, "team"),
        ({"team": None}, "team"),
        ({"setting": "moon"}, "setting"),
        ({"referral_source": 3}, "referral_source"),
        ({"security_relevant": "perhaps"}, "security_relevant"),
        ({"opened_on": "yesterday"}, "opened_on"),
        ({"identity": {"given_name": "A", "email": "not an address"}}, "identity"),
        ({"identity": {"given_name": "A\ud800"}}, "identity"),
        ({"identity": "Tom"}, "identity"),
        ({"identity": {"given_name": "A", "nickname": "B"}}, "identity"),
        ({"state": "active"}, "state"),
    ],
)
def test_bad_enquiry_is_400_and_writes_nothing(world, api, overrides, field):
    clients, cases = Client.objects.count(), Case.objects.count()
    # Sent as escaped JSON text so that a lone surrogate reaches the server as a client would send it.
    response = api(world.case_manager).post(
        url("case-list"), json.dumps(enquiry(world, **overrides)), content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert (Client.objects.count(), Case.objects.count()) == (clients, cases)


@pytest.mark.parametrize(
    ("identity", "field"),
    [
        ({"given_name": "A", "date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"given_name": "A", "date_of_birth": "0001-01-01"}, "date_of_birth"),
        ({"given_name": " ", "phone": "123"}, "given_name"),
    ],
)
def test_enquiry_refused_by_a_rule_is_409_and_writes_nothing(world, api, identity, field):
    clients, cases = Client.objects.count(), Case.objects.count()
    response = api(world.case_manager).post(url("case-list"), enquiry(world, identity=identity), format="json")
    assert response.status_code == 409, response.content
    assert field in response.json()["identity"]
    assert (Client.objects.count(), Case.objects.count()) == (clients, cases)


def test_enquiry_for_a_team_the_practitioner_is_not_in_is_409(world, api):
    for team in (world.team_b, world.foreign_case.team):
        response = api(world.case_manager).post(url("case-list"), enquiry(world, team=team.pk), format="json")
        assert response.status_code == 409 and "team" in response.json()


@pytest.mark.parametrize("body", ["[]", "null", "{", '"text"', "123"])
def test_malformed_bodies_are_400(world, api, body):
    client = api(world.case_manager)
    response = client.post(url("case-list"), body, content_type="application/json")
    assert response.status_code == 400
    response = client.patch(url("case-detail", case_id=world.case.pk), body, content_type="application/json")
    assert response.status_code == 400


# --- Detail and attributes -------------------------------------------------------------------------


def test_case_detail_has_assignments_and_version(world, api):
    data = api(world.case_manager).get(url("case-detail", case_id=world.case.pk)).json()
    assert data["version"] == world.case.version
    assert {(a["role"], a["staff"]["id"]) for a in data["assignments"]} == {
        ("case_manager", world.case_manager.pk),
        ("co_worker", world.co_worker.pk),
    }
    assert all(a["starts_on"] and a["ends_on"] is None for a in data["assignments"])
    assert not IDENTITY_KEYS & set(data)


def test_patch_changes_attributes_and_bumps_the_version(world, api):
    client = api(world.case_manager)
    response = client.patch(
        url("case-detail", case_id=world.case.pk),
        {"risk_level": "high", "security_relevant": True, "team": world.team_b.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    world.case.refresh_from_db()
    assert (world.case.risk_level, world.case.security_relevant, world.case.team) == ("high", True, world.team_b)
    assert response.json()["version"] == world.case.version
    assert response.json()["team"]["id"] == world.team_b.pk


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"risk_level": "extreme"},
        {"risk_level": None},
        {"security_relevant": None},
        {"team": 10**20},
        {"team": "x"},
        {"state": "closed"},
        {"version": 1},
    ],
)
def test_bad_patch_is_400_and_changes_nothing(world, api, body):
    version = world.case.version
    response = api(world.case_manager).patch(url("case-detail", case_id=world.case.pk), body, format="json")
    assert response.status_code == 400, response.content
    world.case.refresh_from_db()
    assert world.case.version == version and world.case.state == "active"


def test_patch_to_a_team_of_another_programme_is_409(world, api):
    response = api(world.case_manager).patch(
        url("case-detail", case_id=world.case.pk), {"team": world.foreign_case.team_id}, format="json"
    )
    assert response.status_code == 409 and "team" in response.json()


# --- Identity --------------------------------------------------------------------------------------


def test_identity_is_shown_and_audited(world, api):
    response = api(world.case_manager).get(url("case-identity", case_id=world.case.pk))
    assert response.status_code == 200
    assert response.json() == {
        "pseudonym": world.case.client.pseudonym,
        "given_name": "Mira",
        "family_name": "Okonkwo-Lindqvist",
        "aliases": ["Mimi O."],
        "date_of_birth": "1994-03-02",
        "phone": "+49 30 5550 1234",
        "email": "",
        "address": "",
    }
    entry = AuditEntry.objects.filter(action="client.identity_view").last()
    assert (entry.actor_id, entry.object_id, entry.outcome, entry.channel) == (
        world.case_manager.pk,
        str(world.case.pk),
        "ok",
        "api",
    )


def test_denied_identity_read_is_audited_as_denied(world, api):
    api(world.other_practitioner).get(url("case-identity", case_id=world.case.pk))
    assert AuditEntry.objects.filter(
        action="client.identity_view", outcome="denied", actor_id=world.other_practitioner.pk
    ).exists()


# --- Transitions -----------------------------------------------------------------------------------


def test_transitions_list_and_close(world, api):
    client = api(world.case_manager)
    history = client.get(url("case-transitions", case_id=world.case.pk)).json()["results"]
    assert [t["to_state"] for t in history] == [
        "signal",
        "screening",
        "engagement",
        "assessment",
        "agreement",
        "active",
    ]
    response = client.post(
        url("case-transitions", case_id=world.case.pk),
        {"to_state": "closed", "closure_reason": "distanced", "note": "Left the scene"},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["from_state"], data["to_state"], data["closure_reason"], data["note"]) == (
        "active",
        "closed",
        "distanced",
        "Left the scene",
    )
    assert data["by"]["id"] == world.case_manager.pk
    world.case.refresh_from_db()
    assert world.case.state == "closed"


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"to_state": "heaven"}, "to_state", 400),
        ({"to_state": None}, "to_state", 400),
        ({"to_state": "suspended", "at": 12}, "at", 400),
        # Well-formed, refused by the lifecycle's rules or the years Tandem records:
        ({"to_state": "signal"}, "to_state", 409),
        ({"to_state": "closed"}, "closure_reason", 409),
        ({"to_state": "suspended", "closure_reason": "deceased"}, "closure_reason", 409),
        ({"to_state": "suspended", "at": "2999-01-01T10:00:00Z"}, "at", 409),
        ({"to_state": "suspended", "at": "9999-12-31T23:59:59-12:00"}, "at", 409),
        ({"to_state": "suspended", "at": "0001-01-01T00:00:00"}, "at", 409),
    ],
)
def test_bad_transition_is_refused_and_writes_nothing(world, api, body, field, status):
    before = CaseTransition.objects.filter(case=world.case).count()
    response = api(world.case_manager).post(url("case-transitions", case_id=world.case.pk), body, format="json")
    assert response.status_code == status, response.content
    assert field in response.json()
    assert CaseTransition.objects.filter(case=world.case).count() == before
    world.case.refresh_from_db()
    assert world.case.state == "active"


def test_moving_to_a_worked_state_without_a_tandem_is_409(world, api):
    created = api(world.supervisor).post(url("case-list"), enquiry(world), format="json").json()
    client = api(world.supervisor)
    assert (
        client.post(
            url("case-transitions", case_id=created["id"]), {"to_state": "screening"}, format="json"
        ).status_code
        == 201
    )
    response = client.post(url("case-transitions", case_id=created["id"]), {"to_state": "engagement"}, format="json")
    assert response.status_code == 409 and "to_state" in response.json()
    assert CaseAssignment.objects.filter(case_id=created["id"]).count() == 0


def test_empty_filters_are_400_as_the_schema_says(world, api):
    response = api(world.case_manager).get(url("case-list"), {"state": "", "setting": "", "worker": "", "q": ""})
    assert response.status_code == 400 and set(response.json()) == {"state", "setting", "worker", "q"}


# --- The contract of every request -----------------------------------------------------------------


@pytest.mark.parametrize("page", ["0", "-1", "x", "1.5", str(2**31)])
def test_a_page_number_that_is_not_a_whole_number_from_1_is_400(world, api, page):
    response = api(world.case_manager).get(url("case-list"), {"page": page})
    assert response.status_code == 400 and "page" in response.json()


def test_a_page_past_the_last_is_404(world, api):
    assert api(world.case_manager).get(url("case-list"), {"page": 2}).status_code == 404


@pytest.mark.parametrize(
    ("route", "method", "body", "field"),
    [
        ("client-lookup", "post", {"name": 123}, "name"),
        ("case-detail", "patch", {"security_relevant": "true"}, "security_relevant"),
        ("case-detail", "patch", {"security_relevant": 1}, "security_relevant"),
        ("case-detail", "patch", {"team": "1"}, "team"),
        ("case-detail", "patch", {"team": True}, "team"),
        ("case-needs", "post", {"domain": "social", "description": 5}, "description"),
    ],
)
def test_values_of_another_json_type_are_400_not_converted(world, api, route, method, body, field):
    kwargs = {} if route == "client-lookup" else {"case_id": world.case.pk}
    response = getattr(api(world.case_manager), method)(url(route, **kwargs), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
