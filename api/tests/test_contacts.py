from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services
from cases.models import Contact

from .conftest import url


def contact(**overrides) -> dict:
    body = {
        "occurred_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
        "duration_minutes": 50,
        "kind": "prison_visit",
        "participants": ["client", "professionals"],
        "topics": ["housing", "scene"],
        "note": "Talked about the release date and where to live.",
    }
    body.update(overrides)
    return body


def test_contact_round_trip(world, api):
    client = api(world.case_manager)
    created = client.post(url("case-contacts", case_id=world.case.pk), contact(), format="json")
    assert created.status_code == 201, created.content
    assert created.json()["topics"] == ["housing", "scene"]
    listed = client.get(url("case-contacts", case_id=world.case.pk)).json()
    assert listed["count"] == 1
    row = listed["results"][0]
    assert row["id"] == created.json()["id"]
    assert (row["kind"], row["duration_minutes"], row["participants"]) == (
        "prison_visit",
        50,
        ["client", "professionals"],
    )
    assert sorted(row["topics"]) == ["housing", "scene"]
    assert row["note"] == "Talked about the release date and where to live."
    assert row["recorded_by"] == {"id": world.case_manager.pk, "display_name": "Case Manager"}
    stored = Contact.objects.get(pk=row["id"])
    assert stored.case == world.case and stored.note == row["note"]
    world.case.refresh_from_db()
    assert world.case.last_contact_at == stored.occurred_at
    # The note is sealed in the database.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT note FROM cases_contact WHERE id = %s",
            [stored.pk.hex if connection.vendor == "sqlite" else stored.pk],
        )
        assert b"release date" not in bytes(cursor.fetchone()[0])


def test_contacts_are_listed_newest_first(world, api):
    now = timezone.now()
    for hours in (30, 2, 10):
        services.contact_record(
            actor=world.case_manager,
            case=world.case,
            occurred_at=now - dt.timedelta(hours=hours),
            duration_minutes=30,
            kind="phone",
            participants=["client"],
        )
    rows = api(world.co_worker).get(url("case-contacts", case_id=world.case.pk)).json()["results"]
    times = [row["occurred_at"] for row in rows]
    assert times == sorted(times, reverse=True) and len(times) == 3


def test_contact_list_query_count_does_not_grow_with_contacts(world, api):
    client = api(world.case_manager)

    def record(n: int) -> None:
        for i in range(n):
            services.contact_record(
                actor=world.case_manager,
                case=world.case,
                duration_minutes=20,
                kind="phone",
                occurred_at=timezone.now() - dt.timedelta(days=i + 1),
                participants=["client"],
                topic_ids=world.programme.topics.values_list("pk", flat=True)[:2],
                note=f"n{i}",
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("case-contacts", case_id=world.case.pk)).status_code == 200
        return len(captured)

    record(3)
    few = queries()
    record(17)
    assert queries() == few


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"occurred_at": None}, "occurred_at"),
        ({"occurred_at": "last Tuesday"}, "occurred_at"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 1441}, "duration_minutes"),
        ({"duration_minutes": 10**40}, "duration_minutes"),
        ({"duration_minutes": "long"}, "duration_minutes"),
        ({"duration_minutes": 12.5}, "duration_minutes"),
        ({"kind": "telepathy"}, "kind"),
        ({"kind": ["phone"]}, "kind"),
        ({"participants": []}, "participants"),
        ({"participants": "client"}, "participants"),
        ({"participants": ["client", "neighbours"]}, "participants"),
        ({"topics": [1, 2]}, "topics"),
        ({"topics": None}, "topics"),
        ({"note": {"text": "x"}}, "note"),
        ({"note": "a\x00b"}, "note"),
        ({"note": "a\ud800b"}, "note"),
        ({"recorded_by": 1}, "recorded_by"),
    ],
)
def test_bad_contact_is_400_and_writes_nothing(world, api, overrides, field):
    response = api(world.case_manager).post(
        url("case-contacts", case_id=world.case.pk), json.dumps(contact(**overrides)), content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"occurred_at": "2999-05-01T10:00:00+02:00"}, "occurred_at"),
        ({"occurred_at": "0001-01-01T00:00:00"}, "occurred_at"),
        ({"topics": ["housing", "astrology"]}, "topics"),
    ],
)
def test_contact_refused_by_a_rule_is_409_and_writes_nothing(world, api, overrides, field):
    response = api(world.case_manager).post(
        url("case-contacts", case_id=world.case.pk), contact(**overrides), format="json"
    )
    assert response.status_code == 409, response.content
    assert field in response.json()
    assert Contact.objects.count() == 0


def test_topics_of_another_programme_are_refused(world, api):
    foreign_code = world.foreign_case.programme.topics.first().code
    world.programme.topics.filter(code=foreign_code).update(active=False)
    response = api(world.case_manager).post(
        url("case-contacts", case_id=world.case.pk), contact(topics=[foreign_code]), format="json"
    )
    assert response.status_code == 409 and "topics" in response.json()
    assert Contact.objects.count() == 0


def test_contact_on_a_closed_case_is_409(world, api):
    services.case_transition(actor=world.case_manager, case=world.case, to_state="closed", closure_reason="relocated")
    response = api(world.case_manager).post(url("case-contacts", case_id=world.case.pk), contact(), format="json")
    assert response.status_code == 409
    assert Contact.objects.count() == 0
