"""Data-subject rights: restriction, access, rectification, legal holds, retention, RoPA, breach support, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

import access
from audit.models import AuditEntry
from cases import services as case_services
from cases.models import Client
from conftest import make_case
from rights import services
from rights.breach import clients_opened_by
from rights.models import IdentityRevision, LegalHold, RetentionRun
from rights.ropa import record_of_processing
from tandem.exports import safe_cell
from tandem.tests.test_authorization_matrix import ROUTES, build_path, matrix, non_admin_patterns, request  # noqa: F401
from vault.models import ClientKey


def _row_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if hasattr(m, "data_classification") and m._meta.app_label not in {"audit"}
    }


def _login(user) -> HttpClient:
    try:  # a complete sign-in, with the second factor and a fresh re-authentication, where strong sign-in exists
        from accounts.testing import TandemClient as client_class
    except ImportError:
        client_class = HttpClient
    client = client_class()
    client.force_login(user)
    return client


# Restriction (Art. 18)

# Write routes that stay open on a restricted record, each for a reason Art. 18(2) GDPR allows:
ALLOWED_WHILE_RESTRICTED = {
    "rights:access_report",  # the data subject's own copy (Art. 15 is not restricted)
    "sharing:consent_withdraw",
    "api:case-consent-withdraw",  # the client's will; it reduces processing
    "sharing:concern_new",
    "sharing:concern_approve",  # protection of the rights of another person (safety)
    "sharing:disclosure_new",  # the disclosure service refuses and records the refusal (test below)
}


def test_restriction_blocks_every_write_route_and_lifting_restores(world, matrix):  # noqa: F811 - the fixture imported above
    all_ids, _secrets, tokens = matrix
    ids, token = all_ids["own"], tokens["case_manager"]
    services.restriction_set(actor=world.supervisor, client=world.case.client, reason="Client contests the record")
    client = _login(world.case_manager)
    patterns = non_admin_patterns()
    walked, failures = 0, []
    for name, (scope, methods) in ROUTES.items():
        if scope != "case" or name in ALLOWED_WHILE_RESTRICTED:
            continue
        path = build_path(patterns[name], ids)
        for method in sorted(methods - {"GET"}):
            before = _row_counts()
            data = {"note": "while restricted", "reason": "x", "action": "add", "to_state": "suspended"}
            response = request(client, method, path, token, data)
            if response.status_code != 403 or _row_counts() != before:
                failures.append(f"{name} {method}: {response.status_code}")
            walked += 1
    assert not failures, f"write routes open on a restricted record: {failures}"
    assert walked >= 20
    page = request(client, "POST", reverse("contact_new", kwargs={"case_id": world.case.pk}), None, {})
    assert "restricted (GDPR Art. 18)" in page.content.decode()
    api = request(client, "POST", f"/api/v1/cases/{world.case.pk}/contacts/", token, {})
    assert "restricted (GDPR Art. 18)" in api.json()["detail"]
    # Reading still works, and the refusal is audited.
    assert client.get(reverse("case_detail", kwargs={"case_id": world.case.pk})).status_code == 200
    assert AuditEntry.objects.filter(outcome="denied", detail="restricted", actor_id=world.case_manager.pk).exists()
    with pytest.raises(access.Restricted):
        access.get_case_for(world.case_manager, world.case.pk, write=True)

    services.restriction_lift(actor=world.supervisor, client=world.case.client, reason="Accuracy confirmed")
    assert access.get_case_for(world.case_manager, world.case.pk, write=True) == world.case
    response = client.post(
        reverse("contact_new", kwargs={"case_id": world.case.pk}),
        {
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "30",
            "kind": "phone",
            "participants": ["client"],
            "note": "after lifting",
        },
    )
    assert response.status_code == 302


def test_restriction_is_set_and_lifted_by_a_supervisor_through_the_page(world):
    path = reverse("rights:restriction", kwargs={"case_id": world.case.pk})
    assert _login(world.case_manager).post(path, {"reason": "x"}).status_code == 403
    supervisor = _login(world.supervisor)
    assert supervisor.post(path, {"reason": ""}).status_code == 400
    assert supervisor.post(path, {"reason": "Client objected"}).status_code == 302
    world.case.client.refresh_from_db()
    assert world.case.client.restricted_at is not None
    page = supervisor.get(path).content.decode()
    assert "Client objected" in page
    assert supervisor.post(path, {"reason": "Objection withdrawn"}).status_code == 302
    world.case.client.refresh_from_db()
    assert world.case.client.restricted_at is None


def test_restriction_blocks_disclosures(world):
    if not apps.is_installed("sharing"):
        pytest.skip("sharing is not installed")
    from sharing.services import DisclosureRefused, disclose

    services.restriction_set(actor=world.supervisor, client=world.case.client, reason="contested")
    case = access.get_case_for(world.case_manager, world.case.pk)
    with pytest.raises(DisclosureRefused):
        disclose(
            actor=world.case_manager,
            case=case,
            recipient_category="health",
            data_categories=["attendance"],
            purpose="health_care",
            ground="consent",
        )


# Access (Art. 15)


def test_access_report_html_and_json_hold_the_clients_data(world):
    from planning import services as plan

    case_services.contact_record(
        actor=world.case_manager,
        case=world.case,
        occurred_at=timezone.now(),
        duration_minutes=20,
        kind="phone",
        participants=["client"],
        note="QUOKKA contact note",
    )
    plan.agreement_revise(
        actor=world.case_manager,
        case=world.case,
        objectives="QUOKKA objectives",
        agreed_on=timezone.localdate(),
        confirmation="verbal",
        base_number=0,
    )
    need = plan.need_add(actor=world.case_manager, case=world.case, domain="functional", description="QUOKKA need")
    plan.goal_add(actor=world.case_manager, need=need, description="QUOKKA goal")
    from sharing.models import Disclosure

    Disclosure.objects.create(
        case=world.case,
        recipient_category="health",
        data_categories=["attendance"],
        purpose="health_care",
        ground="consent",
        outcome="disclosed",
        by=world.case_manager,
        policy_name="independent-ngo",
        content="QUOKKA shared",
    )
    path = reverse("rights:access_report", kwargs={"case_id": world.case.pk})
    client = _login(world.case_manager)
    assert client.get(path).status_code == 200
    assert client.post(path, {"format": "html"}).status_code == 400  # the request must be confirmed
    html = client.post(path, {"format": "html", "confirm": "on"}).content.decode()
    for expected in (
        "Mira",
        "Okonkwo-Lindqvist",
        "QUOKKA contact note",
        "QUOKKA objectives",
        "QUOKKA need",
        "QUOKKA goal",
        "Co Worker",
        "Case Manager",
        world.case.client.pseudonym,
    ):
        assert expected in html, expected
    response = client.post(path, {"format": "json", "confirm": "on"})
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["client"] == world.case.client.pseudonym
    by_model = {s["model"]: s["records"] for s in data["sections"]}
    assert by_model["cases.Client"][0]["given_name"] == "Mira"
    assert any(r["note"] == "QUOKKA contact note" for r in by_model["cases.Contact"])
    assert {r["to_state"] for r in by_model["cases.CaseTransition"]} >= {"signal", "active"}
    assert {r["staff"] for r in by_model["cases.CaseAssignment"]} >= {"Case Manager", "Co Worker"}
    assert by_model["planning.AgreementRevision"][0]["objectives"] == "QUOKKA objectives"
    assert "cases.ClientName" not in by_model  # digests are not the client's data
    assert any(r["content"] == "QUOKKA shared" for r in by_model["sharing.Disclosure"])
    # Each copy given to the client is itself recorded as a disclosure to the data subject.
    assert (
        Disclosure.objects.filter(case=world.case, recipient_category="data_subject", outcome="disclosed").count() == 2
    )
    assert (
        AuditEntry.objects.filter(
            action="client.access_report",
            object_id=str(world.case.pk),
            actor_id=world.case_manager.pk,
            detail__endswith="records",
        ).count()
        == 2
    )
    # Outsiders get nothing.
    for outsider in (world.other_practitioner, world.programme_manager, world.foreign_practitioner):
        assert _login(outsider).post(path, {"format": "json", "confirm": "on"}).status_code == 404


# Rectification (Art. 16)


def test_identity_correction_keeps_sealed_history(world):
    client = _login(world.case_manager)
    path = reverse("rights:identity_correct", kwargs={"case_id": world.case.pk})
    form = client.get(path).content.decode()
    assert "Okonkwo-Lindqvist" in form
    assert (
        client.post(
            path,
            {
                "given_name": "Mira",
                "family_name": "Okonkwo",
                "date_of_birth": "1994-03-02",
                "aliases": "Mimi O.",
                "phone": "+49 30 5550 1234",
            },
        ).status_code
        == 400
    )  # no reason
    response = client.post(
        path,
        {
            "given_name": "Mira",
            "family_name": "Okonkwo",
            "date_of_birth": "1994-03-02",
            "aliases": "Mimi O.",
            "phone": "+49 30 5550 1234",
            "reason": "Passport shown",
        },
    )
    assert response.status_code == 302
    revision = IdentityRevision.objects.get(client=world.case.client)
    assert revision.changed_fields == ["family_name"]
    assert revision.previous() == {"family_name": "Okonkwo-Lindqvist"}
    assert revision.by == world.case_manager and revision.reason == "Passport shown"
    raw = IdentityRevision.objects.filter(pk=revision.pk).values_list("previous_values", flat=True).get()
    assert b"Okonkwo-Lindqvist" not in bytes(raw)  # sealed
    history = _login(world.co_worker).get(reverse("rights:identity_history", kwargs={"case_id": world.case.pk}))
    assert "Okonkwo-Lindqvist" in history.content.decode() and "Passport shown" in history.content.decode()
    world.case.client.refresh_from_db()
    assert world.case.client.family_name == "Okonkwo"
    assert (
        _login(world.other_practitioner)
        .get(reverse("rights:identity_history", kwargs={"case_id": world.case.pk}))
        .status_code
        == 404
    )


# Erasure with legal hold


def test_legal_hold_blocks_erasure_until_released(world):
    client_obj = world.case.client
    supervisor = _login(world.supervisor)
    holds = reverse("rights:legal_holds", kwargs={"case_id": world.case.pk})
    assert (
        _login(world.case_manager).post(holds, {"action": "place", "basis": "litigation", "reason": "x"}).status_code
        == 403
    )
    assert (
        supervisor.post(holds, {"action": "place", "basis": "litigation", "reason": "File 12 O 345/25"}).status_code
        == 302
    )
    hold = LegalHold.objects.get(client=client_obj)
    with pytest.raises(ValidationError, match="legal hold"):
        case_services.client_erase(actor=world.supervisor, client=client_obj)
    erase = reverse("case_erase", kwargs={"case_id": world.case.pk})
    response = supervisor.post(erase, {"pseudonym": client_obj.pseudonym})
    assert response.status_code == 400 and "legal hold" in response.content.decode()
    assert ClientKey.objects.get(client_id=client_obj.pk).wrapped is not None
    assert AuditEntry.objects.filter(action="client.erase", outcome="denied").exists()
    assert supervisor.post(holds, {"action": "release", "hold": str(hold.pk)}).status_code == 302
    assert supervisor.post(erase, {"pseudonym": client_obj.pseudonym}).status_code == 302
    assert Client.objects.filter(pk=client_obj.pk, erased_at__isnull=False).exists()


def test_an_expired_hold_does_not_block(world):
    hold = services.legal_hold_place(
        actor=world.supervisor, client=world.case.client, basis="other", reason="r", until=timezone.localdate()
    )
    LegalHold.objects.filter(pk=hold.pk).update(until=timezone.localdate() - dt.timedelta(days=1))
    case_services.client_erase(actor=world.supervisor, client=world.case.client)


# Retention


def _close(case, actor, reason):
    case_services.case_transition(actor=actor, case=case, to_state="closed", closure_reason=reason)


def test_retention_erases_expired_clients_skips_holds_and_restrictions_and_reports(world):
    team, sup = world.team_a, world.supervisor
    distanced = world.case
    _close(distanced, sup, "distanced")
    declined = make_case(
        sup,
        world.programme,
        team,
        manager=world.case_manager,
        co_worker=world.co_worker,
        given="Dana",
        family="Declined",
        state="screening",
    )
    _close(declined, sup, "declined_by_client")
    held = make_case(
        sup, world.programme, team, manager=world.case_manager, co_worker=world.co_worker, given="Hald", family="Held"
    )
    _close(held, sup, "ended_by_client")
    services.legal_hold_place(actor=sup, client=held.client, basis="criminal_proceedings", reason="pending")
    restricted = make_case(
        sup,
        world.programme,
        team,
        manager=world.case_manager,
        co_worker=world.co_worker,
        given="Rhea",
        family="Restricted",
    )
    _close(restricted, sup, "relocated")
    services.restriction_set(actor=sup, client=restricted.client, reason="contested")
    still_open = world.other_case
    today = timezone.localdate()

    report = services.retention_apply(today=today + dt.timedelta(days=30))
    assert report.erased == 0
    # After 13 months only the declined signal (12 months) has passed its period.
    report = services.retention_apply(today=today + dt.timedelta(days=400), organisation=world.org)
    run = report.runs[0]
    assert (run.erased, run.pseudonyms) == (1, [declined.client.pseudonym])
    # After 61 months the closed case goes too; the held and the restricted client stay, the open case is untouched.
    out = io.StringIO()
    call_command("apply_retention", "--date", (today + dt.timedelta(days=61 * 31)).isoformat(), stdout=out)
    run = RetentionRun.objects.filter(organisation=world.org).first()
    assert (run.erased, run.skipped_held, run.skipped_restricted) == (1, 1, 1)
    assert run.pseudonyms == [distanced.client.pseudonym]
    assert distanced.client.pseudonym in out.getvalue() and "1 kept under a legal hold" in out.getvalue()
    erased = set(Client.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    assert erased == {declined.client_id, distanced.client_id}
    assert ClientKey.objects.get(client_id=distanced.client_id).wrapped is None
    assert still_open.client_id not in erased
    # Idempotent: a second run the same day erases nothing more.
    again = services.retention_apply(today=today + dt.timedelta(days=61 * 31), organisation=world.org).runs[0]
    assert (again.erased, again.skipped_held, again.skipped_restricted) == (0, 1, 1)
    # Programme managers see the runs; practitioners do not.
    page = _login(world.programme_manager).get(reverse("rights:retention"))
    assert page.status_code == 200 and distanced.client.pseudonym in page.content.decode()
    assert _login(world.case_manager).get(reverse("rights:retention")).status_code == 403


def test_retention_periods_are_set_per_programme_by_programme_managers(world):
    _close(world.case, world.supervisor, "distanced")
    manager = _login(world.programme_manager)
    path = reverse("rights:retention")
    assert (
        manager.post(
            path,
            {"programme": world.programme.pk, "retention_closed_months": "0", "retention_not_taken_up_months": "6"},
        ).status_code
        == 400
    )
    assert (
        manager.post(
            path,
            {"programme": world.programme.pk, "retention_closed_months": "2", "retention_not_taken_up_months": "1"},
        ).status_code
        == 302
    )
    world.programme.refresh_from_db()
    assert world.programme.retention_closed_months == 2
    other = world.foreign_case.programme
    assert (
        manager.post(
            path, {"programme": other.pk, "retention_closed_months": "1", "retention_not_taken_up_months": "1"}
        ).status_code
        == 400
    )
    report = services.retention_apply(today=timezone.localdate() + dt.timedelta(days=70), organisation=world.org)
    assert report.runs[0].pseudonyms == [world.case.client.pseudonym]
    assert (
        _login(world.administrator)
        .post(
            path,
            {"programme": world.programme.pk, "retention_closed_months": "3", "retention_not_taken_up_months": "1"},
        )
        .status_code
        == 403
    )


def test_retention_task_runs_the_job(world):
    from rights.tasks import daily_retention

    result = daily_retention.call(day=timezone.localdate().isoformat())
    assert result["erased"] == 0 and RetentionRun.objects.count() == 2


# Record of processing (Art. 30)


def test_record_of_processing_lists_every_model_field_with_its_class(world):
    record = record_of_processing(organisation=world.org)
    listed = {(m.label, f.name): f for m in record.models for f in m.fields}
    for model in apps.get_models():
        if not hasattr(model, "data_classification"):
            continue
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            assert (model._meta.label, f.name) in listed, f"{model._meta.label}.{f.name} missing"
            assert listed[(model._meta.label, f.name)].data_class != "unclassified"
    assert (
        listed[("cases.Client", "given_name")].sealed
        and listed[("cases.Client", "given_name")].data_class == "identifying"
    )
    assert not listed[("cases.Case", "state")].sealed
    assert record.retention[0]["closed_months"] == 60
    manager = _login(world.programme_manager)
    assert "cases.Contact" in manager.get(reverse("rights:ropa")).content.decode()
    md = manager.get(reverse("rights:ropa") + "?format=md")
    assert md["Content-Disposition"].startswith("attachment;") and b"| `note` |" in md.content
    data = json.loads(manager.get(reverse("rights:ropa") + "?format=json").content)
    assert any(m["label"] == "rights.LegalHold" for m in data["models"])
    assert _login(world.case_manager).get(reverse("rights:ropa")).status_code == 403


# Breach support


def test_breach_query_returns_exactly_the_clients_opened_in_the_window(world):
    second = make_case(
        world.supervisor,
        world.programme,
        world.team_a,
        manager=world.case_manager,
        co_worker=world.co_worker,
        given="Sven",
        family="Second",
    )
    third = make_case(
        world.supervisor,
        world.programme,
        world.team_a,
        manager=world.case_manager,
        co_worker=world.co_worker,
        given="Tara",
        family="Third",
    )
    cm = _login(world.case_manager)
    cm.get(reverse("case_detail", kwargs={"case_id": world.case.pk}))  # before the window
    start = timezone.now()
    cm.get(reverse("case_identity", kwargs={"case_id": second.pk}))
    case_services.contact_record(
        actor=world.case_manager,
        case=access.get_case_for(world.case_manager, second.pk),
        occurred_at=timezone.now(),
        duration_minutes=10,
        kind="phone",
        participants=["client"],
    )
    cm.get(reverse("case_detail", kwargs={"case_id": world.other_case.pk}))  # refused: not theirs
    cm.get(reverse("case_list"))
    end = timezone.now()
    cm.get(reverse("case_detail", kwargs={"case_id": third.pk}))  # after the window
    report = clients_opened_by(actor_id=world.case_manager.pk, start=start, end=end)
    assert [c.pseudonym for c in report.clients] == [second.client.pseudonym]
    assert {"client.identity_view", "contact.create"} <= report.clients[0].actions
    assert report.denied == 1 and report.list_views == 1
    out = io.StringIO()
    call_command(
        "breach_report",
        "--username",
        "case_manager",
        "--from",
        start.isoformat(),
        "--to",
        end.isoformat(),
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert [c["pseudonym"] for c in data["clients"]] == [second.client.pseudonym]
    page = _login(world.programme_manager).get(
        reverse("rights:breach"),
        {
            "username": "case_manager",
            "start": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M:%S"),
            "end": timezone.localtime(end + dt.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S"),
        },
    )
    body = page.content.decode()
    assert page.status_code == 200 and second.client.pseudonym in body and "Sven" not in body
    assert _login(world.case_manager).get(reverse("rights:breach")).status_code == 403
    assert AuditEntry.objects.filter(action="breach.query").count() == 2


# CSV exports


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("plain", "plain"),
        ("", ""),
        (None, ""),
        (12, "12"),
        ("a=b", "a=b"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_programme_statistics_csv_escapes_and_suppresses_small_cells(world):
    from programmes.models import Programme

    Programme.objects.filter(pk=world.programme.pk).update(name="=cmd|' /C calc'!A0")
    for n in range(5):
        make_case(
            world.supervisor,
            world.programme,
            world.team_a,
            manager=world.case_manager,
            co_worker=world.co_worker,
            given=f"P{n}",
            family="Many",
            state="signal",
        )
    response = _login(world.evaluator).get(reverse("rights:statistics_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Programme", "Dimension", "Category", "Cases"]
    assert all(not r[0].startswith(("=", "+", "-", "@")) for r in rows[1:])
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    counts = {(r[1], r[2]): r[3] for r in rows[1:]}
    # Active work is the programme's one small cell, so the next smallest (Signal, 5) is suppressed with it.
    assert counts[("State", "Active work")] == "<5"
    assert counts[("State", "Signal")] == "≥5"
    assert "Mira" not in response.content.decode()
    assert _login(world.case_manager).get(reverse("rights:statistics_csv")).status_code == 403


def test_retention_job_is_enqueued_once_a_day_for_the_worker(world):
    from django_tasks_db.models import DBTaskResult

    from rights.scheduler import TASK_PATH, enqueue_retention_if_due

    today = timezone.localdate()
    assert enqueue_retention_if_due(today) is True
    assert enqueue_retention_if_due(today) is False
    queued = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert queued.args_kwargs["kwargs"] == {"day": today.isoformat()}
