"""Case conferences: scheduling and recording, the pseudonymised pack, disclosure through the one door out."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from cases import services as case_services
from conferences import services
from conferences.models import Conference, ConferenceAction, ConferenceDecision, IdentityReveal
from conferences.summary import build_summary
from planning import services as plan
from sharing import services as sharing
from sharing.models import Disclosure

pytestmark = pytest.mark.django_db

PLANTED = [
    "Mira",
    "Okonkwo-Lindqvist",
    "1994-03-02",
    "+49 30 5550 1234",
    "Mimi O.",
    "QXPHONE-777",
    "qx.secret@example.org",
    "Quellgasse 17",
    "QXCONTACTNOTE",
    "QXAGREEMENT",
    "QXCOMMITMENT",
    "QXTRANSITION",
    "QXNEED",
    "QXGOAL",
    "QXSERVICE",
    "QXPURPOSE",
    "QXREASON",
    "QXDECISION",
    "QXACTION",
    "QXUNREVIEWED",
]


@pytest.fixture
def partners(world):
    def make(name, category):
        return sharing.partner_create(actor=world.supervisor, name=name, category=category)

    return {
        "police": make("Polizei Nord", "police"),
        "welfare": make("Sozialamt Nord", "social_welfare"),
        "probation": make("Bewährungshilfe Nord", "probation"),
    }


def schedule(world, **overrides) -> Conference:
    values = dict(
        actor=world.case_manager,
        case=world.case,
        scheduled_at=timezone.now() + dt.timedelta(days=3),
        purpose="progress_review",
        client_involvement="prepared_together",
        mode="online",
        place="Video",
        chair=world.case_manager,
        staff_participants=[world.co_worker],
    )
    return services.conference_schedule(**values | overrides)


def fresh_sign_in(client) -> None:
    session = client.session
    session["tandem_reauth_at"] = time.time()
    session.save()


def consent_for(world, partner, categories):
    return sharing.consent_record(
        actor=world.case_manager,
        case=world.case,
        data_categories=categories,
        purpose="case_conference",
        form="written",
        given_on=timezone.localdate(),
        partner=partner,
    )


def test_schedule_participants_attendance_decisions_and_actions(world, partners):
    conference = schedule(world)
    assert {p.staff for p in conference.participants.all()} == {world.case_manager, world.co_worker}
    officer = services.participant_add(
        actor=world.case_manager,
        conference=conference,
        partner=partners["probation"],
        name="K. Weber",
        role="Probation officer",
    )
    services.attendance_record(actor=world.case_manager, conference=conference, attended_ids=[officer.pk])
    conference.refresh_from_db()
    assert conference.status == "held"
    assert conference.participants.get(pk=officer.pk).attended is True
    assert conference.participants.get(staff=world.co_worker).attended is False
    decision = services.decision_record(actor=world.case_manager, conference=conference, text="Continue weekly.")
    assert ConferenceDecision.objects.get(pk=decision.pk).text == "Continue weekly."
    mine = services.action_add(
        actor=world.case_manager,
        conference=conference,
        description="Call the job centre",
        owner_participant=conference.participants.get(staff=world.co_worker),
        due_on=timezone.localdate(),
    )
    theirs = services.action_add(
        actor=world.case_manager, conference=conference, description="Check conditions", owner_participant=officer
    )
    assert mine.owner_staff == world.co_worker and theirs.owner_participant == officer
    with pytest.raises(ValidationError):
        services.action_add(
            actor=world.case_manager, conference=conference, description="x", owner_staff=world.other_practitioner
        )
    services.action_status_set(actor=world.co_worker, action=theirs, status="done")
    assert ConferenceAction.objects.get(pk=theirs.pk).completed_at is not None


def test_client_not_informed_needs_a_reason_and_a_chair(world):
    with pytest.raises(ValidationError) as exc:
        schedule(world, client_involvement="not_informed", chair=None)
    assert {"involvement_reason", "chair"} <= set(exc.value.message_dict)
    assert not Conference.objects.exists()


def test_pages_schedule_detail_and_my_actions(client, world, partners):
    client.force_login(world.case_manager)
    when = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("conferences:new", args=[world.case.pk]),
        {
            "scheduled_at": when,
            "mode": "in_person",
            "place": "Office",
            "purpose": "intervention",
            "client_involvement": "informed",
            "chair": world.case_manager.pk,
        },
    )
    assert response.status_code == 302
    conference = Conference.objects.get()
    detail = reverse("conferences:detail", args=[world.case.pk, conference.pk])
    assert (
        client.post(
            reverse("conferences:participant_add", args=[world.case.pk, conference.pk]),
            {"partner": partners["welfare"].pk, "role": "Case worker"},
        ).status_code
        == 302
    )
    me = conference.participants.get(staff=world.case_manager)
    assert (
        client.post(
            reverse("conferences:action_add", args=[world.case.pk, conference.pk]),
            {"description": "Book the flat viewing", "owner": str(me.pk)},
        ).status_code
        == 302
    )
    page = client.get(detail)
    assert page.status_code == 200 and "Book the flat viewing" in page.content.decode()
    mine = client.get(reverse("conferences:my_actions"))
    assert "Book the flat viewing" in mine.content.decode()
    case_page = client.get(reverse("case_detail", args=[world.case.pk])).content.decode()
    assert "Case conferences" in case_page and "Referrals to other services" in case_page
    # The co-worker does not own it; the other team never sees it.
    client.force_login(world.other_practitioner)
    assert "Book the flat viewing" not in client.get(reverse("conferences:my_actions")).content.decode()
    assert client.get(detail).status_code == 404


def test_invalid_schedule_is_400_and_writes_nothing(client, world):
    client.force_login(world.case_manager)
    response = client.post(
        reverse("conferences:new", args=[world.case.pk]),
        {"scheduled_at": "soon", "purpose": "party", "client_involvement": "not_informed"},
    )
    assert response.status_code == 400
    assert not Conference.objects.exists()


def _plant_identifying_values(world):
    case = world.case
    case_services.client_identity_update(
        actor=world.case_manager,
        client=case.client,
        phone="QXPHONE-777",
        email="qx.secret@example.org",
        address="Quellgasse 17",
    )
    case_services.contact_record(
        actor=world.case_manager,
        case=case,
        occurred_at=timezone.now(),
        duration_minutes=45,
        kind="face_to_face",
        participants=["client"],
        note="QXCONTACTNOTE about Mira",
    )
    plan.agreement_revise(
        actor=world.case_manager,
        case=case,
        objectives="QXAGREEMENT Mira wants",
        commitments="QXCOMMITMENT",
        agreed_on=timezone.localdate(),
        confirmation="verbal",
        base_number=0,
    )
    need = plan.need_add(actor=world.case_manager, case=case, domain="functional", description="QXNEED")
    goal = plan.goal_add(actor=world.case_manager, need=need, description="QXGOAL", target_date=timezone.localdate())
    plan.service_add(actor=world.case_manager, goal=goal, kind="tangible", name="Housing", details="QXSERVICE")
    case_services.case_transition(
        actor=world.case_manager, case=case, to_state="transition", note="QXTRANSITION Okonkwo-Lindqvist"
    )


def test_no_identifying_value_reaches_the_summary_the_pack_page_the_api_or_the_disclosure(client, world, partners):
    _plant_identifying_values(world)
    conference = schedule(
        world, purpose_note="QXPURPOSE", client_involvement="not_informed", involvement_reason="QXREASON"
    )
    services.decision_record(actor=world.case_manager, conference=conference, text="QXDECISION")
    welfare = services.participant_add(
        actor=world.case_manager, conference=conference, partner=partners["welfare"], role="Housing officer"
    )
    services.action_add(
        actor=world.case_manager, conference=conference, description="QXACTION", owner_participant=welfare
    )
    services.summary_write(actor=world.case_manager, conference=conference, text="QXUNREVIEWED")
    consent_for(world, partners["welfare"], ["progress_summary", "needs_and_plan"])

    summary = build_summary(Conference.objects.get(pk=conference.pk))
    rendered = [str(summary.as_dict()), summary.as_text()]
    client.force_login(world.case_manager)
    rendered.append(client.get(reverse("conferences:pack", args=[world.case.pk, conference.pk])).content.decode())
    token = ApiToken.issue(user=world.case_manager)[1]
    api = client.get(
        f"/api/v1/cases/{world.case.pk}/case-conferences/{conference.pk}/summary/", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert api.status_code == 200
    rendered.append(api.content.decode())
    results = services.pack_send(actor=world.case_manager, conference=conference)
    assert [r.sent for r in results] == [True], results
    disclosure = Disclosure.objects.get(pk=results[0].participant.pack_disclosure)
    rendered.append(disclosure.content)

    assert summary.pseudonym == world.case.client.pseudonym and summary.goals and summary.contacts_by_kind
    for text in rendered:
        assert world.case.client.pseudonym in text
        for value in PLANTED:
            assert value not in text, f"{value!r} leaked into pseudonymised output"


def test_reviewed_summary_joins_the_pack_only_after_someone_else_reviews_it(world):
    conference = schedule(world)
    services.summary_write(actor=world.case_manager, conference=conference, text="Engaged and stable.")
    with pytest.raises(ValidationError):
        services.summary_review(actor=world.case_manager, conference=conference)
    assert build_summary(conference).summary_text == ""
    services.summary_review(actor=world.co_worker, conference=conference)
    assert build_summary(conference).summary_text == "Engaged and stable."


def test_pack_to_police_is_refused_under_the_independent_ngo_policy(client, world, partners):
    conference = schedule(world)
    police = services.participant_add(
        actor=world.case_manager, conference=conference, partner=partners["police"], role="State security"
    )
    client.force_login(world.case_manager)
    url = reverse("conferences:pack_send", args=[world.case.pk, conference.pk])
    data = {"participants": [str(police.pk)], "ground": "consent"}
    session = client.session
    session.pop("tandem_reauth_at", None)
    session.save()
    assert client.post(url, data).status_code == 302  # strong sign-in first; nothing is sent before it
    assert not Disclosure.objects.exists()
    fresh_sign_in(client)
    response = client.post(url, data)
    assert response.status_code == 403
    assert "Pack NOT sent" in response.content.decode()
    police.refresh_from_db()
    assert police.pack_sent_at is None
    refused = Disclosure.objects.get(case=world.case, partner=partners["police"])
    assert refused.outcome == "refused" and refused.source == "conference"


POLICE_FRIENDLY = """
format: 1
name: police-friendly
title: {en: Test}
summary: {en: Test}
recipients:
""" + "".join(
    f"  {r}:\n    default: {{rule: with_consent, purposes: [case_conference]}}\n"
    for r in (
        "police",
        "intelligence",
        "prison",
        "probation",
        "court",
        "prosecutor",
        "immigration",
        "social_welfare",
        "health",
        "employment",
        "education",
        "other_ngo",
        "data_subject",
    )
)


def test_pack_to_police_goes_out_when_the_policy_allows_it(world, partners, tmp_path):
    policy_file = tmp_path / "police-friendly.yaml"
    policy_file.write_text(POLICE_FRIENDLY)
    world.programme.sharing_policy = ""
    world.programme.save(update_fields=["sharing_policy"])
    with override_settings(TANDEM_SHARING_POLICY_FILE=str(policy_file)):
        world.case.programme.sharing_policy = ""
        conference = schedule(world)
        police = services.participant_add(
            actor=world.case_manager, conference=conference, partner=partners["police"], role="State security"
        )
        consent_for(world, partners["police"], ["progress_summary", "needs_and_plan", "risk_assessment"])
        results = services.pack_send(actor=world.case_manager, conference=conference)
    assert [r.sent for r in results] == [True], results
    police.refresh_from_db()
    assert police.pack_sent_at is not None
    assert "risk_assessment" in Disclosure.objects.get(pk=police.pack_disclosure).data_categories


def test_identity_reveal_needs_a_recorded_decision_and_a_disclosure(world, partners):
    conference = schedule(world)
    police = services.participant_add(
        actor=world.case_manager, conference=conference, partner=partners["police"], role="State security"
    )
    colleague = conference.participants.get(staff=world.co_worker)
    with pytest.raises(ValidationError) as exc:
        services.identity_reveal(
            actor=world.case_manager,
            conference=conference,
            ground="consent",
            ground_note="",
            participant_ids=[police.pk],
        )
    assert "ground_note" in exc.value.message_dict
    # The independent NGO never gives the identity to the police on consent: nothing is revealed to anyone.
    with pytest.raises(services.RevealRefused):
        services.identity_reveal(
            actor=world.case_manager,
            conference=conference,
            ground="consent",
            ground_note="The team concluded a security risk.",
            participant_ids=[police.pk, colleague.pk],
        )
    assert not IdentityReveal.objects.exists()
    assert Disclosure.objects.get(partner=partners["police"]).outcome == "refused"


def test_identity_reveal_under_a_statutory_duty_is_recorded_and_disclosed(world, partners):
    world.programme.sharing_policy = "statutory"
    world.programme.save(update_fields=["sharing_policy"])
    world.case.programme.sharing_policy = "statutory"
    conference = schedule(world)
    probation = services.participant_add(
        actor=world.case_manager, conference=conference, partner=partners["probation"], role="Probation officer"
    )
    reveal = services.identity_reveal(
        actor=world.supervisor,
        conference=conference,
        ground="statutory_duty",
        ground_note="Supervision of conduct requires it.",
        participant_ids=[probation.pk],
    )
    assert reveal.decided_by == world.supervisor and list(reveal.participants.all()) == [probation]
    disclosure = Disclosure.objects.get(pk=reveal.disclosures[0])
    assert disclosure.outcome == "disclosed" and disclosure.data_categories == ["identity"]
    assert "Okonkwo-Lindqvist" in disclosure.content
