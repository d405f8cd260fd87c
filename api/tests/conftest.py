"""API test helpers: real tokens through the real service, sent as `Authorization: Bearer …`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import api_token_issue
from planning import services as plan_services
from tandem.tests.live import LiveServer


def client_for(user) -> APIClient:
    _token, raw = api_token_issue(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer " + raw)
    return client


@pytest.fixture
def api():
    """api(user) -> an APIClient that authenticates as that user with a fresh token."""
    return client_for


@pytest.fixture
def plan(world):
    """A need with a goal with a service on world.case, and the same on world.other_case."""
    actor = world.case_manager
    need = plan_services.need_add(actor=actor, case=world.case, domain="social", description="Somewhere to live")
    goal = plan_services.goal_add(
        actor=actor,
        need=need,
        description="Apply for supported housing",
        target_date=timezone.localdate() + dt.timedelta(days=20),
    )
    service = plan_services.service_add(
        actor=actor,
        goal=goal,
        kind="tangible",
        name="Supported housing",
        provider="external",
        provider_name="Wohnhilfe Nord",
    )
    other_need = plan_services.need_add(
        actor=world.other_practitioner, case=world.other_case, domain="functional", description="Work"
    )
    other_goal = plan_services.goal_add(actor=world.other_practitioner, need=other_need, description="Training place")
    other_service = plan_services.service_add(
        actor=world.other_practitioner, goal=other_goal, kind="intangible", name="Mentoring"
    )
    return {
        "need": need,
        "goal": goal,
        "service": service,
        "other_need": other_need,
        "other_goal": other_goal,
        "other_service": other_service,
    }


def url(name: str, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs={key: str(value) for key, value in kwargs.items()})


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """A real server with the demo programme on its own database, shared by the tests over HTTP (the generated
    client, then the fuzzing). Without a rate limit: the fuzzing sends far more requests than anyone would."""
    server = LiveServer.demo(tmp_path_factory.mktemp("demo-server"))
    server.env["TANDEM_API_RATE"] = "off"
    yield server.start()
    server.stop()
