"""The everyday requests send the same number of queries however much data there is.

Each test measures a request at a small and at a larger amount of data (contacts on the timeline, cases in
the caseload or the list, notes of an erased client) and asserts the counts are equal. Speed itself is
measured by the benchmark suite (`make bench`), never here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.services import api_token_issue
from cases.models import Client, Contact
from conftest import make_case
from programmes.models import Topic


def add_contacts(case, count: int, actor) -> None:
    """`count` contacts with sealed notes (every third with topics), straight into the table."""
    when = timezone.now() - dt.timedelta(days=2)
    contacts = Contact.objects.bulk_create(
        [
            Contact(
                case=case,
                occurred_at=when - dt.timedelta(hours=3 * n),
                duration_minutes=30,
                kind="phone",
                participants=["client"],
                recorded_by=actor,
                note=f"Synthetic note {n}.",
            )
            for n in range(count)
        ]
    )
    topics = list(Topic.objects.filter(programme_id=case.programme_id)[:2])
    for contact in contacts[::3]:
        contact.topics.set(topics)


def add_cases(world, count: int) -> None:
    for i in range(count):
        make_case(
            world.supervisor,
            world.programme,
            world.team_a,
            manager=world.case_manager,
            co_worker=world.co_worker,
            given=f"Synthetic{i}",
            family=f"Person{i}",
        )


def queries(client, method: str, url: str, data=None, **extra) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = (
            getattr(client, method)(url, data, **extra) if data is not None else getattr(client, method)(url, **extra)
        )
    return len(ctx.captured_queries), response


def test_case_page_query_count_does_not_grow_with_the_timeline(client, world):
    client.force_login(world.case_manager)
    url = reverse("case_detail", args=[world.case.pk])
    add_contacts(world.case, 5, world.case_manager)
    client.get(url)  # warm caches that are per process, not per request
    few, response = queries(client, "get", url)
    assert response.status_code == 200
    add_contacts(world.case, 55, world.case_manager)
    many, response = queries(client, "get", url)
    assert response.status_code == 200 and "Older entries" in response.content.decode()
    assert many == few
    older, response = queries(client, "get", url, {"timeline": 2})
    assert response.status_code == 200 and "Newer entries" in response.content.decode()
    assert older == few


def test_timeline_pages_hold_every_entry_once_newest_first(world):
    from cases import selectors

    add_contacts(world.case, 60, world.case_manager)
    seen = []
    page = selectors.timeline(world.case, 1)
    while True:
        seen += [entry.item.pk for entry in page]
        if not page.has_older:
            break
        page = selectors.timeline(world.case, page.older_number)
    expected = world.case.contacts.count() + world.case.transitions.count()
    assert len(seen) == len(set(seen)) == expected
    first = selectors.timeline(world.case, 1).entries
    assert [e.at for e in first] == sorted((e.at for e in first), reverse=True)
    assert selectors.timeline(world.case, "junk").number == 1


def test_caseload_query_count_does_not_grow_with_the_caseload(client, world):
    client.force_login(world.case_manager)
    client.get(reverse("caseload"))
    few, response = queries(client, "get", reverse("caseload"))
    assert response.status_code == 200
    add_cases(world, 8)
    many, response = queries(client, "get", reverse("caseload"))
    assert response.status_code == 200 and response.content.decode().count("Synthetic") == 0  # pseudonyms only
    assert many == few


def test_filtered_case_list_and_name_lookup_query_counts_do_not_grow(client, world):
    client.force_login(world.supervisor)
    url = reverse("case_list")
    client.get(url, {"state": "active"})
    few_list, _ = queries(client, "get", url, {"state": "active"})
    few_lookup, response = queries(client, "get", url, {"q": "Mira Okonkwo-Lindqvist"})
    assert world.case.client.pseudonym in response.content.decode()
    add_cases(world, 8)
    many_list, response = queries(client, "get", url, {"state": "active"})
    assert "9 cases" in response.content.decode() or "10 cases" in response.content.decode()
    many_lookup, _ = queries(client, "get", url, {"q": "Mira Okonkwo-Lindqvist"})
    assert (many_list, many_lookup) == (few_list, few_lookup)


def test_add_contact_query_count_does_not_grow_with_the_timeline(client, world):
    client.force_login(world.case_manager)
    url = reverse("contact_new", args=[world.case.pk])
    when = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    form = {"occurred_at": when, "duration_minutes": "30", "kind": "phone", "participants": ["client"], "note": "x"}
    client.post(url, form)
    few, response = queries(client, "post", url, form)
    assert response.status_code == 302
    add_contacts(world.case, 60, world.case_manager)
    many, response = queries(client, "post", url, form)
    assert response.status_code == 302 and many == few


def test_api_detail_and_lookup_query_counts_do_not_grow(client, world):
    _token, raw = api_token_issue(user=world.case_manager, name="test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    detail = reverse("api:case-detail", args=[world.case.pk])
    lookup = reverse("api:client-lookup")
    body = {"name": "Mira Okonkwo-Lindqvist"}
    client.get(detail, **auth)
    few_detail, response = queries(client, "get", detail, **auth)
    assert response.status_code == 200
    few_lookup, response = queries(client, "post", lookup, body, content_type="application/json", **auth)
    assert response.status_code == 200 and len(response.json()["results"]) == 1
    add_contacts(world.case, 60, world.case_manager)
    add_cases(world, 5)
    many_detail, _ = queries(client, "get", detail, **auth)
    many_lookup, response = queries(client, "post", lookup, body, content_type="application/json", **auth)
    assert len(response.json()["results"]) == 1
    assert (many_detail, many_lookup) == (few_detail, few_lookup)


def test_erasure_query_count_does_not_depend_on_the_number_of_notes(client, world):
    from bench.runner import prepare_erasable_clients
    from bench.targets import Targets

    targets = Targets(
        case_manager=world.case_manager.username,
        supervisor=world.supervisor.username,
        long_case_id=str(world.case.pk),
        exact_name="",
        list_state="active",
        team_id=world.team_a.pk,
    )
    client.force_login(world.supervisor)
    counts = []
    for notes in (5, 5, 500):
        case = prepare_erasable_clients(targets, 1, notes=notes)[0]
        count, response = queries(
            client, "post", reverse("case_erase", args=[case.pk]), {"pseudonym": case.client.pseudonym}
        )
        assert response.status_code == 302
        assert Client.objects.filter(pk=case.client_id, erased_at__isnull=False).exists()
        counts.append(count)
    assert counts[1] == counts[2]


@pytest.mark.urls("bench.urls")
def test_floor_view_needs_a_signed_in_user_and_answers(client, world):
    assert client.get("/__bench/floor/").status_code == 302
    client.force_login(world.case_manager)
    count, response = queries(client, "get", "/__bench/floor/")
    assert response.status_code == 200 and response.content == b"ok"
