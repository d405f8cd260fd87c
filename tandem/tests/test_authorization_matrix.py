"""Every URL pattern and API route, every role, on own and other cases: no case content outside need-to-know.

A route that is not in ROUTES fails the first test, so a new page or endpoint cannot be forgotten.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.services import api_token_issue
from accounts.testing import TandemClient as Client
from audit.models import AuditEntry

# name -> (scope, methods). Scopes: "case" (one case's content: outsiders get 404), "staff" (any signed-in
# staff member; shows only what the user may see), "public" (sign-in, language).
ROUTES: dict[str, tuple[str, set[str]]] = {
    "caseload": ("staff", {"GET"}),
    "case_list": ("staff", {"GET"}),
    "case_new": ("staff", {"GET", "POST"}),
    "case_detail": ("case", {"GET"}),
    "case_identity": ("case", {"GET"}),
    "contact_new": ("case", {"GET", "POST"}),
    "case_transition": ("case", {"GET", "POST"}),
    "case_attributes": ("case", {"GET", "POST"}),
    "case_team": ("case", {"GET", "POST"}),
    "case_erase": ("case", {"GET", "POST"}),
    "planning:agreement_edit": ("case", {"GET", "POST"}),
    "planning:agreement_history": ("case", {"GET"}),
    "planning:agreement_revision": ("case", {"GET"}),
    "planning:agreement_compare": ("case", {"GET"}),
    "planning:plan": ("case", {"GET"}),
    "planning:need_new": ("case", {"POST"}),
    "planning:need_status": ("case", {"POST"}),
    "planning:goal_new": ("case", {"POST"}),
    "planning:goal_status": ("case", {"POST"}),
    "planning:service_new": ("case", {"POST"}),
    "planning:service_status": ("case", {"POST"}),
    "rights:restriction": ("case", {"GET", "POST"}),
    "rights:legal_holds": ("case", {"GET", "POST"}),
    "rights:identity_correct": ("case", {"GET", "POST"}),
    "rights:identity_history": ("case", {"GET"}),
    "rights:access_report": ("case", {"GET", "POST"}),
    "rights:overview": ("staff", {"GET"}),
    "rights:retention": ("staff", {"GET", "POST"}),
    "rights:ropa": ("staff", {"GET"}),
    "rights:breach": ("staff", {"GET"}),
    "rights:statistics_csv": ("staff", {"GET"}),
    "assessments:index": ("case", {"GET"}),
    "assessments:new": ("case", {"GET", "POST"}),
    "assessments:compare": ("case", {"GET"}),
    "assessments:intake": ("case", {"GET", "POST"}),
    "assessments:external_new": ("case", {"GET", "POST"}),
    "assessments:plan_review_new": ("case", {"GET", "POST"}),
    "assessments:detail": ("case", {"GET"}),
    "assessments:judgement": ("case", {"GET", "POST"}),
    "assessments:goals": ("case", {"POST"}),
    "conferences:my_actions": ("staff", {"GET"}),
    "conferences:list": ("case", {"GET"}),
    "conferences:new": ("case", {"GET", "POST"}),
    "conferences:detail": ("case", {"GET"}),
    "conferences:pack": ("case", {"GET"}),
    "conferences:pack_send": ("case", {"POST"}),
    "conferences:participant_add": ("case", {"POST"}),
    "conferences:attendance": ("case", {"POST"}),
    "conferences:summary_write": ("case", {"POST"}),
    "conferences:summary_review": ("case", {"POST"}),
    "conferences:decision_add": ("case", {"POST"}),
    "conferences:action_add": ("case", {"POST"}),
    "conferences:identity_reveal": ("case", {"POST"}),
    "conferences:cancel": ("case", {"POST"}),
    "conferences:action_status": ("case", {"POST"}),
    "referrals:inbox": ("staff", {"GET"}),
    "referrals:inbound_new": ("staff", {"GET", "POST"}),
    "referrals:inbound_detail": ("programme", {"GET"}),
    "referrals:inbound_accept": ("programme", {"POST"}),
    "referrals:inbound_decline": ("programme", {"POST"}),
    "referrals:inbound_refer_on": ("programme", {"POST"}),
    "referrals:outbound_new": ("case", {"GET", "POST"}),
    "referrals:outbound_status": ("case", {"POST"}),
    "api:case-conferences": ("case", {"GET", "POST"}),
    "api:case-conference": ("case", {"GET"}),
    "api:case-conference-summary": ("case", {"GET"}),
    "api:case-conference-actions": ("case", {"GET", "POST"}),
    "api:case-conference-action": ("case", {"PATCH"}),
    "api:case-referrals": ("case", {"GET", "POST"}),
    "api:case-referral": ("case", {"PATCH"}),
    "login": ("public", {"GET", "POST"}),
    "logout": ("public", {"POST"}),
    "second_factor": ("public", {"GET", "POST"}),
    "otp_enrol": ("public", {"GET", "POST"}),
    "reauth": ("staff", {"GET", "POST"}),
    "api_tokens": ("staff", {"GET", "POST"}),
    "set_language": ("public", {"POST"}),
    "api:case-list": ("staff", {"GET", "POST"}),
    "api:case-detail": ("case", {"GET", "PATCH"}),
    "api:case-identity": ("case", {"GET"}),
    "api:case-transitions": ("case", {"GET", "POST"}),
    "api:case-contacts": ("case", {"GET", "POST"}),
    "api:case-agreement": ("case", {"GET", "POST"}),
    "api:case-plan": ("case", {"GET"}),
    "api:case-needs": ("case", {"POST"}),
    "api:case-need": ("case", {"PATCH"}),
    "api:case-need-goals": ("case", {"POST"}),
    "api:case-goal": ("case", {"PATCH"}),
    "api:case-goal-services": ("case", {"POST"}),
    "api:case-service": ("case", {"PATCH"}),
    "api:case-assessments": ("case", {"GET", "POST"}),
    "api:instrument-list": ("staff", {"GET"}),
    "api:client-lookup": ("staff", {"POST"}),
    "aftercare:release_plan": ("case", {"GET", "POST"}),
    "aftercare:release_contact_add": ("case", {"POST"}),
    "aftercare:release_contact_remove": ("case", {"POST"}),
    "aftercare:release_check_acknowledge": ("case", {"POST"}),
    "aftercare:conference_new": ("case", {"GET", "POST"}),
    "aftercare:conference_record": ("case", {"GET", "POST"}),
    "aftercare:on_call": ("staff", {"GET", "POST"}),
    "aftercare:on_call_remove": ("staff", {"POST"}),
    "aftercare:notifications": ("staff", {"GET"}),
    "aftercare:notification_read": ("staff", {"POST"}),
    "aftercare:notifications_read_all": ("staff", {"POST"}),
    "api:case-release-plan": ("case", {"GET", "PUT"}),
    "api:notification-list": ("staff", {"GET"}),
    "api:notification-read": ("staff", {"POST"}),
    "api:api-schema": ("staff", {"GET"}),
    "sharing:policy": ("staff", {"GET"}),
    "sharing:partner_list": ("staff", {"GET"}),
    "sharing:partner_new": ("staff", {"GET", "POST"}),
    "sharing:partner_edit": ("staff", {"GET", "POST"}),
    "sharing:register": ("staff", {"GET"}),
    "sharing:break_glass": ("staff", {"GET", "POST"}),
    "sharing:break_glass_review_list": ("staff", {"GET"}),
    "sharing:break_glass_review": ("staff", {"POST"}),
    "sharing:consent_new": ("case", {"GET", "POST"}),
    "sharing:consent_withdraw": ("case", {"POST"}),
    "sharing:disclosure_new": ("case", {"GET", "POST"}),
    "sharing:concern_new": ("case", {"GET", "POST"}),
    "sharing:concern_approve": ("case", {"POST"}),
    "api:case-consents": ("case", {"GET", "POST"}),
    "api:case-consent-withdraw": ("case", {"POST"}),
    "api:case-disclosures": ("case", {"GET", "POST"}),
}

INSIDERS = {"case_manager", "co_worker", "supervisor"}
# Routes that only some insiders may use; the others know the case exists, so they get 403, not 404.
RESTRICTED = {"case_erase": {"supervisor"}}
OUTSIDERS = {
    "other_practitioner",
    "specialist",
    "programme_manager",
    "evaluator",
    "administrator",
    "foreign_practitioner",
}


def all_patterns(resolver=None, prefix: str = "", namespace: str = ""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace + (pattern.namespace + ":" if pattern.namespace else "")
            yield from all_patterns(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or ""), prefix + str(pattern.pattern)


def non_admin_patterns() -> dict[str, str]:
    return {name: path for name, path in all_patterns() if not name.startswith("admin:")}


def test_every_route_is_in_the_matrix():
    found = non_admin_patterns()
    assert "" not in found, "every URL pattern needs a name"
    assert set(found) == set(ROUTES), (
        f"routes missing from the matrix: {sorted(set(found) - set(ROUTES))}; "
        f"stale entries: {sorted(set(ROUTES) - set(found))}"
    )


def _fill_case(world, case, marker: str):
    from cases import services
    from planning import services as plan

    services.contact_record(
        actor=world.supervisor if case.team_id == world.team_a.pk else case.assignments.first().staff,
        case=case,
        occurred_at=timezone.now(),
        duration_minutes=30,
        kind="phone",
        participants=["client"],
        note=f"{marker} contact note",
    )
    actor = case.assignments.first().staff
    plan.agreement_revise(
        actor=actor,
        case=case,
        objectives=f"{marker} objectives",
        agreed_on=timezone.localdate(),
        confirmation="verbal",
        base_number=0,
    )
    need = plan.need_add(actor=actor, case=case, domain="functional", description=f"{marker} need")
    goal = plan.goal_add(actor=actor, need=need, description=f"{marker} goal")
    service = plan.service_add(actor=actor, goal=goal, kind="tangible", name="Housing", details=f"{marker} service")
    from assessments.tests.factories import record as assessment_record

    assessment = assessment_record(actor, case, rationale=f"{marker} rationale")
    return {
        "case_id": case.pk,
        "need_id": need.pk,
        "goal_id": goal.pk,
        "service_id": service.pk,
        "number": 1,
        "assessment_id": assessment.pk,
        **_fill_sharing(world, case, actor, marker),
    }


def _fill_sharing(world, case, actor, marker: str) -> dict:
    """A consent, a security concern, a partner of the case's organisation and (own case) a break-glass grant."""
    import uuid

    from sharing import services as sharing

    consent = sharing.consent_record(
        actor=actor,
        case=case,
        data_categories=["identity"],
        recipient_category="health",
        purpose="health_care",
        form="written",
        given_on=timezone.localdate(),
        note=f"{marker} consent note",
    )
    concern = sharing.concern_raise(
        actor=actor,
        case=case,
        kind="danger_to_client",
        justification=f"{marker} threatened by former comrades this week",
    )
    partner = (
        sharing.partner_create(actor=world.supervisor, name=f"Partner {uuid.uuid4().hex[:6]}", category="health")
        if case.programme.organisation_id == world.org.pk
        else None
    )
    grant = (
        sharing.break_glass_open(actor=world.supervisor, case=case, justification="Matrix: urgent cover tonight.")
        if case.pk == world.case.pk
        else None
    )
    return {
        "consent_id": consent.pk,
        "concern_id": concern.pk,
        "partner_id": partner.pk if partner else 999999,
        "grant_id": grant.pk if grant else uuid.uuid4(),
    }


def _fill_conferences_and_referrals(world, case, marker: str) -> dict:
    """A conference with a decision and an action, an outbound referral and an inbound referral in the inbox."""
    import datetime as dt

    from conferences import services as conferences
    from referrals import services as referrals
    from sharing import services as sharing
    from sharing.models import Partner

    actor = case.assignments.filter(role="case_manager").first().staff
    partner, _ = Partner.objects.get_or_create(
        organisation_id=case.programme.organisation_id, name="Wohnhilfe Matrix", defaults={"category": "social_welfare"}
    )
    conference = conferences.conference_schedule(
        actor=actor,
        case=case,
        scheduled_at=timezone.now() + dt.timedelta(days=1),
        purpose="progress_review",
        client_involvement="informed",
        mode="online",
        chair=actor,
        purpose_note=f"{marker} conference purpose",
    )
    conferences.participant_add(actor=actor, conference=conference, partner=partner, role="Housing officer")
    conferences.decision_record(actor=actor, conference=conference, text=f"{marker} decision")
    action = conferences.action_add(
        actor=actor, conference=conference, description=f"{marker} action", owner_staff=actor
    )
    sharing.consent_record(
        actor=actor,
        case=case,
        data_categories=["contact_details", "needs_and_plan"],
        purpose="housing",
        form="written",
        given_on=timezone.localdate(),
        partner=partner,
    )
    referral = referrals.outbound_refer(
        actor=actor, case=case, partner=partner, service_area="housing", content=f"{marker} referral text"
    )
    inbound = referrals.inbound_record(
        actor=actor,
        programme=case.programme,
        referrer_category="probation",
        channel="phone",
        reason="Worried about renewed contact to the scene",
    )
    return {
        "conference_id": conference.pk,
        "action_id": action.pk,
        "referral_id": referral.pk,
        "inbound_id": inbound.pk,
    }


def _fill_release(world, case, marker: str) -> dict:
    """A release plan with a reachable contact, its follow-up conference, an on-call shift and a notification."""
    import datetime as dt

    from aftercare import selectors as aftercare_selectors
    from aftercare import services as aftercare
    from aftercare.reminders import _notify_case
    from cases import services

    actor = case.assignments.first().staff
    services.case_attributes_update(actor=actor, case=case, setting="prison")
    plan = aftercare.release_plan_save(
        actor=actor, case=case, release_on=timezone.localdate() + dt.timedelta(days=30), housing=f"{marker} housing"
    )
    start = aftercare_selectors.release_start(plan)
    contact = aftercare.release_contact_add(
        actor=actor, plan=plan, staff=actor, starts_at=start, ends_at=start + dt.timedelta(hours=8)
    )
    shift = aftercare.on_call_shift_add(
        actor=actor, programme=case.programme, staff=actor, starts_at=start, ends_at=start + dt.timedelta(hours=12)
    )
    _notify_case(case, timezone.localdate())
    return {
        "release_contact_id": contact.pk,
        "check_kind": "unreachable",
        "social_net_id": case.social_net_conferences.get().pk,
        "on_call_shift_id": shift.pk,
        "notification_id": actor.notifications.filter(case=case).first().pk,
    }


def markers_of(case, marker: str) -> list[str]:
    client = case.client
    return [client.pseudonym, client.given_name, client.family_name, marker]


@pytest.fixture
def matrix(world):
    ids = {
        "own": _fill_case(world, world.case, "ZEBRAOWN"),
        "other": _fill_case(world, world.other_case, "ZEBRAOTHER"),
        "foreign": _fill_case(world, world.foreign_case, "ZEBRAFOREIGN"),
    }
    for which, case, marker in (
        ("own", world.case, "ZEBRAOWN"),
        ("other", world.other_case, "ZEBRAOTHER"),
        ("foreign", world.foreign_case, "ZEBRAFOREIGN"),
    ):
        ids[which].update(_fill_conferences_and_referrals(world, case, marker))
    for which, case, marker in (
        ("own", world.case, "ZEBRAOWN"),
        ("other", world.other_case, "ZEBRAOTHER"),
        ("foreign", world.foreign_case, "ZEBRAFOREIGN"),
    ):
        ids[which].update(_fill_release(world, case, marker))
    secrets = {
        "own": markers_of(world.case, "ZEBRAOWN"),
        "other": markers_of(world.other_case, "ZEBRAOTHER"),
        "foreign": markers_of(world.foreign_case, "ZEBRAFOREIGN"),
    }
    tokens = {name: api_token_issue(user=user)[1] for name, user in world.personas().items()}
    return ids, secrets, tokens


def shows(secret: str, body: str) -> bool:
    """Whether a page shows a value as a word of its own ("Lea" is a secret, "Leader" is not)."""
    return re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", body) is not None


def build_path(template: str, values: dict) -> str:
    def replace(match: re.Match) -> str:
        name = match.group("name")
        assert name in values, f"the matrix has no value for URL parameter {name!r} in {template!r}"
        return str(values[name])

    return "/" + re.sub(r"<(?:\w+:)?(?P<name>\w+)>", replace, template)


def request(client: Client, method: str, path: str, token: str | None, data: dict | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token and path.startswith("/api/") else {}
    if method == "GET":
        return client.get(path, **headers)
    if path.startswith("/api/"):
        return getattr(client, method.lower())(path, data=data or {}, content_type="application/json", **headers)
    return client.post(path, data=data or {}, **headers)


def visible_secrets(world, persona: str, secrets: dict) -> list[str]:
    """What this persona must never see in any response."""
    hidden = []
    for which, values in secrets.items():
        sees = (
            (which == "own" and persona in INSIDERS)
            or (which == "other" and persona == "other_practitioner")
            or (which == "foreign" and persona == "foreign_practitioner")
        )
        if not sees:
            hidden += values
    return hidden


@pytest.mark.parametrize("persona", sorted(INSIDERS | OUTSIDERS))
def test_case_routes_by_persona(world, matrix, persona):
    ids, secrets, tokens = matrix
    user = world.personas()[persona]
    client = Client()
    client.force_login(user)
    patterns = non_admin_patterns()
    hidden = visible_secrets(world, persona, secrets)
    for name, (scope, methods) in ROUTES.items():
        if scope != "case":
            continue
        path = build_path(patterns[name], ids["own"])
        for method in sorted(methods):
            if name in {"case_erase"} and method == "POST":
                continue  # erasure is exercised on its own below; it would end the case for the rest
            before = AuditEntry.objects.count()
            response = request(client, method, path, tokens[persona])
            body = response.content.decode(errors="replace")
            assert response.status_code < 500, f"{persona} {method} {path}: {response.status_code}"
            if persona in OUTSIDERS:
                assert response.status_code == 404, f"{persona} {method} {path} gave {response.status_code}"
            elif name in RESTRICTED and persona not in RESTRICTED[name]:
                assert response.status_code == 403, f"{persona} {method} {path} gave {response.status_code}"
            elif method == "GET":
                assert response.status_code in {200, 302}, f"{persona} {method} {path} gave {response.status_code}"
                reads = AuditEntry.objects.filter(
                    seq__gt=before, object_id=str(ids["own"]["case_id"]), actor_id=user.pk
                )
                assert reads.exists(), f"{method} {path} read case data without an audit entry"
            for secret in hidden:
                assert not shows(secret, body), f"{persona} {method} {path} shows {secret!r}"


@pytest.mark.parametrize("persona", sorted(INSIDERS | OUTSIDERS))
def test_other_organisations_case_is_404_for_everyone_here(world, matrix, persona):
    ids, secrets, tokens = matrix
    client = Client()
    client.force_login(world.personas()[persona])
    patterns = non_admin_patterns()
    if persona == "foreign_practitioner":
        return
    for name, (scope, methods) in ROUTES.items():
        if scope == "case" and "GET" in methods:
            response = request(client, "GET", build_path(patterns[name], ids["foreign"]), tokens[persona])
            assert response.status_code == 404, f"{persona} GET {name} of a foreign case: {response.status_code}"


@pytest.mark.parametrize("persona", sorted(INSIDERS | OUTSIDERS))
def test_staff_routes_show_only_what_the_persona_may_see(world, matrix, persona):
    ids, secrets, tokens = matrix
    client = Client()
    client.force_login(world.personas()[persona])
    patterns = non_admin_patterns()
    hidden = visible_secrets(world, persona, secrets)
    probes = [("GET", "/", None), ("GET", "/cases/", None), ("GET", "/api/v1/cases/", None)]
    for name in ("Jonas Brandtmeier", "Lea Vukovic-Hansen", "Mira Okonkwo-Lindqvist"):
        probes += [("GET", f"/cases/?q={name}", None), ("POST", "/api/v1/clients/lookup/", {"name": name})]
    for which in ("other", "foreign"):
        probes.append(("GET", f"/cases/?q={secrets[which][0]}", None))
    for name, (scope, methods) in ROUTES.items():
        if scope == "staff" and "GET" in methods:
            probes.append(("GET", build_path(patterns[name], ids["own"]), None))
    for method, path, data in probes:
        response = request(client, method, path, tokens[persona], data)
        assert response.status_code < 500, f"{persona} {method} {path}: {response.status_code}"
        body = response.content.decode(errors="replace")
        typed = f"{path} {data or ''}"  # the search box shows back what the user typed; that is no leak
        for secret in hidden:
            if secret not in typed:
                assert not shows(secret, body), f"{persona} {method} {path} shows {secret!r}"
        if "q=" in path or data:
            assert "ZEBRA" not in body.replace(typed, "") or persona in INSIDERS, f"{persona} {path} found a case"


def test_anonymous_gets_nothing(world, matrix):
    ids, secrets, tokens = matrix
    client = Client()
    patterns = non_admin_patterns()
    for name, (scope, methods) in ROUTES.items():
        if scope == "public":
            continue
        path = build_path(patterns[name], ids["own"])
        for method in sorted(methods):
            response = request(client, method, path, None)
            if path.startswith("/api/"):
                assert response.status_code in {401, 403}, f"anonymous {method} {path}: {response.status_code}"
            else:
                assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
                    f"anonymous {method} {path}: {response.status_code}"
                )
            body = response.content.decode(errors="replace")
            assert not any(s in body for values in secrets.values() for s in values)


def _row_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"cases", "planning", "vault", "accounts", "programmes"}
    }


GARBAGE = [
    {},
    {
        "occurred_at": "yesterday-ish",
        "duration_minutes": "-5",
        "kind": "x" * 500,
        "participants": "nobody",
        "to_state": "heaven",
        "closure_reason": "?",
        "base_number": "NaN",
        "agreed_on": "31/02/2020",
        "status": "\x00",
        "staff": "999999999999",
        "role": "boss",
        "domain": "🙂",
        "target_date": "soon",
        "setting": ["a", "b"],
        "team": "'; DROP TABLE cases_case; --",
        "given_name": "",
        "topic_ids": "1,2,x",
    },
]


@pytest.mark.parametrize("garbage", range(len(GARBAGE)))
def test_bad_input_to_every_write_route_is_a_clear_4xx_and_writes_nothing(world, matrix, garbage):
    ids, secrets, tokens = matrix
    client = Client()
    client.force_login(world.case_manager)
    patterns = non_admin_patterns()
    for name, (_scope, methods) in ROUTES.items():
        if name in {"login", "logout", "set_language"}:
            continue
        path = build_path(patterns[name], ids["own"])
        for method in sorted(methods - {"GET"}):
            before = _row_counts()
            response = request(client, method, path, tokens["case_manager"], GARBAGE[garbage])
            assert response.status_code < 500, f"{method} {path} with bad input: {response.status_code}"
            if response.status_code >= 400 or (not path.startswith("/api/") and response.status_code == 200):
                assert _row_counts() == before, f"{method} {path} wrote rows although the input was refused"


# The referral inbox belongs to a programme: its practitioners and supervisors, nobody else.
PROGRAMME_INSIDERS = {"case_manager", "co_worker", "supervisor", "other_practitioner"}


@pytest.mark.parametrize("persona", sorted(INSIDERS | OUTSIDERS))
def test_programme_routes_by_persona(world, matrix, persona):
    ids, secrets, tokens = matrix
    client = Client()
    client.force_login(world.personas()[persona])
    patterns = non_admin_patterns()
    for name, (scope, methods) in ROUTES.items():
        if scope != "programme":
            continue
        for which in ("own", "foreign"):
            path = build_path(patterns[name], ids[which])
            for method in sorted(methods):
                response = request(client, method, path, tokens[persona])
                inside = persona in PROGRAMME_INSIDERS if which == "own" else persona == "foreign_practitioner"
                if inside:
                    assert response.status_code in {200, 302, 400}, f"{persona} {method} {path}: {response.status_code}"
                else:
                    assert response.status_code == 404, f"{persona} {method} {path}: {response.status_code}"
