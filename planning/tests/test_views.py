"""The agreement and plan pages: allowed and denied, conflicts, validation, htmx and query counts."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from planning import services
from planning.models import AgreementRevision, Goal, Need, Service
from planning.selectors import case_plan_context

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, case, **kwargs) -> str:
    return reverse(f"planning:{name}", kwargs={"case_id": case.pk, **kwargs})


def agreement_data(**overrides) -> dict:
    data = {
        "objectives": "I want to see my daughter again.\nI want a job on the harbour.",
        "commitments": "Weekly meetings; help with the job centre.",
        "agreed_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "confirmation": "verbal",
        "base_number": "0",
    }
    return data | overrides


def first_revision(world) -> AgreementRevision:
    return services.agreement_revise(
        actor=world.case_manager,
        case=world.case,
        objectives="Stay out of the scene.",
        commitments="Meet every week.",
        agreed_on=timezone.localdate(),
        confirmation="signed",
        base_number=0,
    )


def plan_tree(world, case=None, goals: int = 1):
    case = case or world.case
    need = services.need_add(
        actor=world.case_manager, case=case, domain="functional", description="A flat after release"
    )
    goal = service = None
    for i in range(goals):
        goal = services.goal_add(actor=world.case_manager, need=need, description=f"Apply for flat {i}")
        service = services.service_add(
            actor=world.case_manager,
            goal=goal,
            kind="tangible",
            name="Supported housing",
            provider="external",
            provider_name="Wohnhilfe Nord",
        )
    return need, goal, service


@pytest.fixture
def cm(client, world):
    client.force_login(world.case_manager)
    return client


# Work agreement


def test_agreement_page_prefills_current_revision(cm, world):
    first_revision(world)
    response = cm.get(url("agreement_edit", world.case))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Stay out of the scene." in content
    assert 'name="base_number" value="1"' in content


def test_case_manager_can_revise_agreement_and_history_shows_both(cm, world):
    first_revision(world)
    response = cm.post(url("agreement_edit", world.case), agreement_data(base_number="1"))
    assert response.status_code == 302
    assert list(world.case.agreement_revisions.values_list("number", flat=True)) == [2, 1]
    history = cm.get(url("agreement_history", world.case))
    assert history.status_code == 200
    content = history.content.decode()
    assert "Version 2" in content and "Version 1" in content
    assert content.index("Version 2") < content.index("Version 1")
    assert world.case_manager.display_name in content


def test_co_worker_records_first_agreement(client, world):
    client.force_login(world.co_worker)
    response = client.post(url("agreement_edit", world.case), agreement_data())
    assert response.status_code == 302
    revision = world.case.agreement_revisions.get()
    assert revision.number == 1 and revision.recorded_by == world.co_worker
    assert revision.objectives.startswith("I want to see my daughter")


def test_stale_base_number_gets_409_keeps_text_and_creates_nothing(cm, world):
    first_revision(world)
    services.agreement_revise(
        actor=world.co_worker,
        case=world.case,
        objectives="Finish school.",
        agreed_on=timezone.localdate(),
        confirmation="verbal",
        base_number=1,
    )
    response = cm.post(
        url("agreement_edit", world.case), agreement_data(objectives="My own words, typed carefully.", base_number="1")
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "while you were editing" in content
    assert "My own words, typed carefully." in content
    assert "Finish school." in content  # the current version beside it
    assert 'name="base_number" value="2"' in content
    assert world.case.agreement_revisions.count() == 2


def test_empty_objectives_give_a_clear_message_and_write_nothing(cm, world):
    response = cm.post(
        url("agreement_edit", world.case), agreement_data(objectives="   ", commitments="Kept commitment text")
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Write down the client&#x27;s objectives in their own words." in content
    assert "Kept commitment text" in content
    assert not AgreementRevision.objects.exists()


def test_future_agreement_date_is_refused_by_the_service(cm, world):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = cm.post(url("agreement_edit", world.case), agreement_data(agreed_on=future))
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert not AgreementRevision.objects.exists()


def test_revision_view_and_compare(cm, world):
    first_revision(world)
    services.agreement_revise(
        actor=world.co_worker,
        case=world.case,
        objectives="Stay out of the scene <for good>.",
        agreed_on=timezone.localdate(),
        confirmation="verbal",
        base_number=1,
    )
    response = cm.get(url("agreement_revision", world.case, number=1))
    assert response.status_code == 200
    assert "Stay out of the scene." in response.content.decode()
    assert cm.get(url("agreement_revision", world.case, number=9)).status_code == 404
    compare = cm.get(url("agreement_compare", world.case) + "?from=1&to=2")
    assert compare.status_code == 200
    content = compare.content.decode()
    assert "<del>scene.</del><ins>scene &lt;for good&gt;.</ins>" in content


# Access


def planning_urls(world) -> list[tuple[str, str]]:
    need, goal, service = plan_tree(world)
    first_revision(world)
    case = world.case
    return [
        ("get", url("agreement_edit", case)),
        ("post", url("agreement_edit", case)),
        ("get", url("agreement_history", case)),
        ("get", url("agreement_revision", case, number=1)),
        ("get", url("agreement_compare", case)),
        ("get", url("plan", case)),
        ("get", url("need_new", case)),
        ("post", url("need_new", case)),
        ("get", url("goal_new", case, need_id=need.pk)),
        ("post", url("goal_new", case, need_id=need.pk)),
        ("get", url("service_new", case, goal_id=goal.pk)),
        ("post", url("service_new", case, goal_id=goal.pk)),
        ("post", url("need_status", case, need_id=need.pk)),
        ("post", url("goal_status", case, goal_id=goal.pk)),
        ("post", url("service_status", case, service_id=service.pk)),
    ]


@pytest.mark.parametrize("persona", ["other_practitioner", "foreign_practitioner", "administrator"])
def test_outsiders_get_404_on_every_planning_url(client, world, persona):
    client.force_login(world.personas()[persona])
    data = agreement_data(base_number="1") | {
        "domain": "social",
        "description": "x",
        "status": "achieved",
        "kind": "tangible",
        "name": "x",
        "provider": "internal",
    }
    counts = (AgreementRevision.objects.count, Need.objects.count, Goal.objects.count, Service.objects.count)
    for method, address in planning_urls(world):
        before = [count() for count in counts]
        response = getattr(client, method)(address, data) if method == "post" else client.get(address)
        assert response.status_code == 404, (method, address)
        assert [count() for count in counts] == before, (method, address)
    assert Need.objects.get().status == "open"


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(url("agreement_edit", world.case))
    assert response.status_code == 302 and "login" in response["Location"]


def test_objects_from_another_case_are_404(cm, world):
    other_need, other_goal, other_service = plan_tree(world, case=world.other_case)
    case = world.case
    assert cm.get(url("goal_new", case, need_id=other_need.pk)).status_code == 404
    assert (
        cm.post(url("goal_new", case, need_id=other_need.pk), {"description": "x", "owner": "client"}).status_code
        == 404
    )
    assert cm.post(url("need_status", case, need_id=other_need.pk), {"status": "addressed"}).status_code == 404
    assert cm.post(url("goal_status", case, goal_id=other_goal.pk), {"status": "achieved"}).status_code == 404
    assert (
        cm.post(
            url("service_new", case, goal_id=other_goal.pk), {"kind": "tangible", "name": "x", "provider": "internal"}
        ).status_code
        == 404
    )
    assert cm.post(url("service_status", case, service_id=other_service.pk), {"status": "ongoing"}).status_code == 404
    assert cm.post(url("need_status", case, need_id=uuid.uuid4()), {"status": "addressed"}).status_code == 404
    assert Goal.objects.count() == 1 and Service.objects.count() == 1
    other_need.refresh_from_db()
    assert other_need.status == "open"


# Plan


def test_add_need_goal_service_and_change_statuses(cm, world):
    case = world.case
    response = cm.post(url("need_new", case), {"domain": "social", "description": "Contact with his daughter"})
    assert response.status_code == 302
    need = Need.objects.get(case=case)
    assert need.description == "Contact with his daughter"

    target = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = cm.post(
        url("goal_new", case, need_id=need.pk),
        {"description": "Write a letter to the youth office", "owner": "client", "target_date": target},
    )
    assert response.status_code == 302
    goal = Goal.objects.get(need=need)
    assert goal.owner == "client" and goal.target_date.isoformat() == target

    response = cm.post(
        url("service_new", case, goal_id=goal.pk),
        {
            "kind": "intangible",
            "name": "Family work",
            "provider": "external",
            "provider_name": "Familienhilfe Nord",
            "status": "referred",
            "details": "Two sessions",
        },
    )
    assert response.status_code == 302
    service = Service.objects.get(goal=goal)
    assert (service.provider_name, service.status) == ("Familienhilfe Nord", "referred")

    assert cm.post(url("need_status", case, need_id=need.pk), {"status": "addressed"}).status_code == 302
    assert cm.post(url("goal_status", case, goal_id=goal.pk), {"status": "in_progress"}).status_code == 302
    assert cm.post(url("service_status", case, service_id=service.pk), {"status": "ongoing"}).status_code == 302
    need.refresh_from_db(), goal.refresh_from_db(), service.refresh_from_db()
    assert (need.status, goal.status, service.status) == ("addressed", "in_progress", "ongoing")

    page = cm.get(url("plan", case)).content.decode()
    assert "Write a letter to the youth office" in page and "Familienhilfe Nord" in page


def test_htmx_add_and_status_return_the_plan_section(cm, world):
    case = world.case
    response = cm.post(
        url("need_new", case), {"domain": "security", "description": "Threats from former friends"}, **HTMX
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="plan"' in content and "Threats from former friends" in content and "<html" not in content
    need = Need.objects.get()
    response = cm.post(url("need_status", case, need_id=need.pk), {"status": "no_longer_relevant"}, **HTMX)
    assert response.status_code == 200 and 'id="plan"' in response.content.decode()
    need.refresh_from_db()
    assert need.status == "no_longer_relevant"


def test_htmx_invalid_need_keeps_typed_text(cm, world):
    response = cm.post(url("need_new", world.case), {"domain": "", "description": "Typed but no domain"}, **HTMX)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Choose the area of life this need belongs to." in content
    assert "Typed but no domain" in content
    assert not Need.objects.exists()


def test_unknown_status_gives_a_clear_message_and_writes_nothing(cm, world):
    need, goal, service = plan_tree(world)
    for name, kwargs in (
        ("need_status", {"need_id": need.pk}),
        ("goal_status", {"goal_id": goal.pk}),
        ("service_status", {"service_id": service.pk}),
    ):
        response = cm.post(url(name, world.case, **kwargs), {"status": "finished-ish"})
        assert response.status_code == 400, name
        assert "Choose a status from the list." in response.content.decode()
    need.refresh_from_db(), goal.refresh_from_db(), service.refresh_from_db()
    assert (need.status, goal.status, service.status) == ("open", "planned", "proposed")


def test_external_provider_without_name_is_refused(cm, world):
    need, goal, _ = plan_tree(world)
    response = cm.post(
        url("service_new", world.case, goal_id=goal.pk),
        {
            "kind": "tangible",
            "name": "Tattoo removal",
            "provider": "external",
            "provider_name": " ",
            "status": "proposed",
            "details": "Left forearm",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Name the external provider." in content
    assert 'value="Tattoo removal"' in content and "Left forearm" in content
    assert Service.objects.count() == 1


def test_empty_need_and_goal_descriptions_are_refused(cm, world):
    response = cm.post(url("need_new", world.case), {"domain": "functional", "description": ""})
    assert response.status_code == 400 and "Describe the need." in response.content.decode()
    need, _, _ = plan_tree(world)
    response = cm.post(
        url("goal_new", world.case, need_id=need.pk),
        {"description": "", "owner": "client", "target_date": "not a date"},
    )
    assert response.status_code == 400
    assert "Enter the date as day, month and year." in response.content.decode()
    assert Need.objects.count() == 1 and Goal.objects.count() == 1


def test_case_sections_show_agreement_and_plan(world, rf):
    first_revision(world)
    plan_tree(world)
    request = rf.get("/")
    request.user = world.case_manager
    html = render_to_string(
        "planning/_case_sections.html", {"case": world.case, **case_plan_context(world.case)}, request=request
    )
    assert "Stay out of the scene." in html and "Signed by the client" in html
    assert "Functional reintegration" in html and "Wohnhilfe Nord" in html
    assert reverse("planning:agreement_history", kwargs={"case_id": world.case.pk}) in html


def _render_queries(world, rf) -> int:
    request = rf.get("/")
    request.user = world.case_manager
    with CaptureQueriesContext(connection) as queries:
        render_to_string(
            "planning/_case_sections.html", {"case": world.case, **case_plan_context(world.case)}, request=request
        )
    return len(queries)


def test_query_count_stays_flat_however_large_the_plan(world, rf):
    first_revision(world)
    plan_tree(world, goals=2)
    small = _render_queries(world, rf)
    for _ in range(3):
        plan_tree(world, goals=6)  # 4 needs, 20 goals, 20 services in all
    assert Goal.objects.count() == 20
    assert _render_queries(world, rf) == small


# Two staff changing the same status


def test_second_of_two_concurrent_status_changes_gets_a_conflict_and_loses_nothing(world):
    from accounts.testing import TandemClient

    _need, goal, _service = plan_tree(world)
    first, second = TandemClient(), TandemClient()
    first.force_login(world.case_manager)
    second.force_login(world.co_worker)
    # Both drew the plan while the goal was "planned".
    target = url("goal_status", world.case, goal_id=goal.pk)
    ok = first.post(target, {"status": "achieved", "seen_status": "planned"})
    assert ok.status_code == 302
    late = second.post(target, {"status": "dropped", "seen_status": "planned"})
    assert late.status_code == 409
    assert "Someone else changed this status to “Achieved”" in late.content.decode()
    goal.refresh_from_db()
    assert goal.status == "achieved"
    # Seeing the current status, the second practitioner can now decide deliberately.
    again = second.post(target, {"status": "dropped", "seen_status": "achieved"})
    assert again.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "dropped"


def test_htmx_status_conflict_redraws_the_plan_with_the_current_status(cm, world):
    need, _goal, _service = plan_tree(world)
    services.need_status_set(actor=world.co_worker, need=need, status="addressed")
    response = cm.post(
        url("need_status", world.case, need_id=need.pk), {"status": "no_longer_relevant", "seen_status": "open"}, **HTMX
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Nothing was changed" in body
    assert 'name="seen_status" value="addressed"' in body
    need.refresh_from_db()
    assert need.status == "addressed"


def test_status_form_carries_the_status_it_was_drawn_with(cm, world):
    _need, goal, _service = plan_tree(world)
    body = cm.get(url("plan", world.case)).content.decode()
    assert f'action="{url("goal_status", world.case, goal_id=goal.pk)}"' in body
    assert 'name="seen_status" value="planned"' in body
