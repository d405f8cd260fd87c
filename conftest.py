"""Personas built through the real services, shared by every app's tests."""

from __future__ import annotations

import datetime as dt
import os
import signal
from dataclasses import dataclass

import pytest
from django.utils import timezone

from vault.crypto import key_scope


@dataclass
class World:
    org: object
    other_org: object
    programme: object
    team_a: object
    team_b: object
    case_manager: object
    co_worker: object
    other_practitioner: object
    specialist: object
    supervisor: object
    programme_manager: object
    evaluator: object
    administrator: object
    foreign_practitioner: object
    case: object
    other_case: object
    foreign_case: object

    def personas(self) -> dict[str, object]:
        return {
            "case_manager": self.case_manager,
            "co_worker": self.co_worker,
            "other_practitioner": self.other_practitioner,
            "specialist": self.specialist,
            "supervisor": self.supervisor,
            "programme_manager": self.programme_manager,
            "evaluator": self.evaluator,
            "administrator": self.administrator,
            "foreign_practitioner": self.foreign_practitioner,
        }


def make_staff(username: str, org, *grants: tuple[str, object | None], **extra):
    from accounts.services import staff_create
    from accounts.testing import enrol_totp

    user = staff_create(
        username=username,
        password="correct horse battery staple",
        organisation=org,
        roles=list(grants),
        first_name=username.replace("_", " ").title(),
        **extra,
    )
    enrol_totp(user)  # everyone signs in with a second factor (accounts.testing.TEST_TOTP_SECRET)
    return user


@pytest.fixture
def client():
    """The test client; ``client.force_login(user)`` is a complete sign-in with the second factor."""
    from accounts.testing import TandemClient

    return TandemClient()


def make_case(actor, programme, team, *, manager, co_worker, given="Mira", family="Okonkwo-Lindqvist", state="active"):
    from cases import services
    from cases.lifecycle import State

    case = services.enquiry_create(
        actor=actor,
        programme=programme,
        team=team,
        identity={
            "given_name": given,
            "family_name": family,
            "date_of_birth": "1994-03-02",
            "phone": "+49 30 5550 1234",
            "aliases": "Mimi O.",
        },
        referral_source="probation",
        setting="probation",
        participation="voluntary",
        ideology="right_wing",
    )
    services.assignment_add(
        actor=actor,
        case=case,
        staff=manager,
        role="case_manager",
        starts_on=timezone.localdate() - dt.timedelta(days=30),
    )
    services.assignment_add(
        actor=actor,
        case=case,
        staff=co_worker,
        role="co_worker",
        starts_on=timezone.localdate() - dt.timedelta(days=30),
    )
    path = [State.SCREENING, State.ENGAGEMENT, State.ASSESSMENT, State.AGREEMENT, State.ACTIVE]
    if state in path:
        for target in path[: path.index(state) + 1]:
            services.case_transition(actor=actor, case=case, to_state=target)
    case.refresh_from_db()
    return case


@pytest.fixture
def world(db) -> World:
    from programmes.services import organisation_create, programme_create, team_create

    with key_scope():
        org = organisation_create(name="Exit Nord e.V.", slug="exit-nord")
        other_org = organisation_create(name="Wegweiser Süd", slug="wegweiser-sued")
        programme = programme_create(organisation=org, name="Exit Nord community programme")
        other_programme = programme_create(organisation=other_org, name="Wegweiser prison work")
        team_a = team_create(programme=programme, name="Team Hafen")
        team_b = team_create(programme=programme, name="Team Heide")
        team_f = team_create(programme=other_programme, name="Team Fluss")
        case_manager = make_staff("case_manager", org, ("practitioner", team_a))
        co_worker = make_staff("co_worker", org, ("practitioner", team_a))
        other_practitioner = make_staff("other_practitioner", org, ("practitioner", team_b))
        specialist = make_staff("specialist", org, ("specialist", team_a))
        supervisor = make_staff("supervisor", org, ("supervisor", team_a))
        programme_manager = make_staff("programme_manager", org, ("programme_manager", None))
        evaluator = make_staff("evaluator", org, ("evaluator", None))
        administrator = make_staff("administrator", org, ("administrator", None))
        foreign_practitioner = make_staff("foreign_practitioner", other_org, ("practitioner", team_f))
        foreign_colleague = make_staff("foreign_colleague", other_org, ("practitioner", team_f))
        case = make_case(supervisor, programme, team_a, manager=case_manager, co_worker=co_worker)
        other_case = make_case(
            other_practitioner,
            programme,
            team_b,
            manager=other_practitioner,
            co_worker=make_staff("other_co_worker", org, ("practitioner", team_b)),
            given="Jonas",
            family="Brandtmeier",
        )
        foreign_case = make_case(
            foreign_practitioner,
            other_programme,
            team_f,
            manager=foreign_practitioner,
            co_worker=foreign_colleague,
            given="Lea",
            family="Vukovic-Hansen",
        )
    return World(
        org,
        other_org,
        programme,
        team_a,
        team_b,
        case_manager,
        co_worker,
        other_practitioner,
        specialist,
        supervisor,
        programme_manager,
        evaluator,
        administrator,
        foreign_practitioner,
        case,
        other_case,
        foreign_case,
    )


@pytest.fixture(autouse=True)
def _key_scope():
    with key_scope():
        yield


GUARDED_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM)


@pytest.fixture(autouse=True)
def _process_state_restored():
    """Each test leaves the process as it found it, so that tests may run beside each other in any order:
    signal handlers (a worker or command run in-process installs its own), the environment and the working
    directory come back after every test."""
    handlers = {number: signal.getsignal(number) for number in GUARDED_SIGNALS}
    environ = dict(os.environ)
    cwd = os.getcwd()
    yield
    for number, handler in handlers.items():
        if signal.getsignal(number) is not handler:
            signal.signal(number, handler)
    if os.environ != environ:
        os.environ.clear()
        os.environ.update(environ)
    if os.getcwd() != cwd:
        os.chdir(cwd)


# Browser tests: one real server with the demo programme and one Chromium for the whole run.


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    from tandem.tests.live import LiveServer, require_chromium

    require_chromium()
    live = LiveServer.demo(tmp_path_factory.mktemp("live")).start()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from tandem.tests.live import CHROMIUM, require_chromium

    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()
