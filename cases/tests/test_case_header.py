"""The case header on every case page shows the case's current tandem (one selector loads it for all pages)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.testing import TandemClient
from tandem.tests.test_authorization_matrix import ROUTES, build_path, matrix, non_admin_patterns  # noqa: F401

# Every page that shows the case header; test_the_list_is_every_page_with_the_header keeps it complete.
HEADER_PAGES = [
    "case_detail",
    "case_identity",
    "contact_new",
    "case_transition",
    "case_attributes",
    "case_team",
    "case_erase",
    "conferences:list",
    "conferences:new",
    "conferences:detail",
    "conferences:pack",
    "referrals:outbound_new",
    "rights:restriction",
    "rights:legal_holds",
    "rights:identity_correct",
    "rights:identity_history",
    "rights:access_report",
    "sharing:consent_new",
    "sharing:disclosure_new",
    "sharing:concern_new",
]
HEADER = 'class="case-header"'


def assert_shows_the_tandem(body: str, where: str) -> None:
    assert HEADER in body, f"{where} shows no case header"
    for name, role in (("Case Manager", "Case manager"), ("Co Worker", "Co-worker")):
        member = f'<span class="tandem-member">{name} <span class="role">({role})</span></span>'
        assert member in body, f"{where} does not show {name} as {role}"
    assert "No tandem assigned" not in body, where


@pytest.fixture
def header_ids(world) -> dict:
    from conferences import services as conferences

    conference = conferences.conference_schedule(
        actor=world.case_manager,
        case=world.case,
        scheduled_at=timezone.now() + dt.timedelta(days=3),
        purpose="progress_review",
        client_involvement="prepared_together",
        mode="online",
        chair=world.case_manager,
    )
    return {"case_id": world.case.pk, "conference_id": conference.pk}


@pytest.mark.parametrize("name", HEADER_PAGES)
def test_case_page_header_shows_the_current_tandem(world, header_ids, name):
    client = TandemClient()
    client.force_login(world.supervisor)  # sees every page of the case (erasure too); not in the tandem
    path = build_path(non_admin_patterns()[name], header_ids)
    response = client.get(path)
    assert response.status_code == 200, (name, response.status_code)
    assert_shows_the_tandem(response.content.decode(), name)


@pytest.mark.parametrize("name", ["sharing:consent_new", "sharing:disclosure_new", "sharing:concern_new"])
def test_sharing_pages_show_the_tandem_to_its_members(client, world, name):
    client.force_login(world.co_worker)
    body = client.get(reverse(name, kwargs={"case_id": world.case.pk})).content.decode()
    assert_shows_the_tandem(body, name)


def test_the_list_is_every_page_with_the_header(world, request):
    ids, _secrets, _tokens = request.getfixturevalue("matrix")  # every object a case page can name
    client = TandemClient()
    client.force_login(world.supervisor)
    patterns = non_admin_patterns()
    with_header = set()
    for name, (scope, methods) in ROUTES.items():
        if scope != "case" or "GET" not in methods or name.startswith("api:"):
            continue
        response = client.get(build_path(patterns[name], ids["own"]))
        if response.status_code == 200 and HEADER in response.content.decode():
            with_header.add(name)
    assert with_header == set(HEADER_PAGES)
