"""Referrals: the inbox, inbound referral to enquiry in one step, outbound referral through the one door out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from planning import services as plan
from referrals import services
from referrals.models import InboundReferral, OutboundReferral
from sharing import services as sharing
from sharing.models import Disclosure
from vault.models import ClientKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def housing(world):
    return sharing.partner_create(actor=world.supervisor, name="Wohnhilfe Nord", category="social_welfare")


def record(world, **overrides) -> InboundReferral:
    values = dict(
        actor=world.co_worker,
        programme=world.programme,
        referrer_category="helpline",
        channel="helpline",
        person_name="Tariq B.",
        reason="Mother worried about online radicalisation",
        urgency="soon",
        contact_consent="yes",
    )
    return services.inbound_record(**values | overrides)


def test_inbox_is_the_programmes_and_nobody_elses(client, world):
    referral = record(world)
    for persona in ("case_manager", "supervisor", "other_practitioner"):
        client.force_login(getattr(world, persona))
        assert client.get(reverse("referrals:inbound_detail", args=[referral.pk])).status_code == 200
        assert "Tariq B." in client.get(reverse("referrals:inbound_detail", args=[referral.pk])).content.decode()
    for persona in ("specialist", "programme_manager", "evaluator", "administrator", "foreign_practitioner"):
        client.force_login(getattr(world, persona))
        assert client.get(reverse("referrals:inbound_detail", args=[referral.pk])).status_code == 404
        assert "Tariq" not in client.get(reverse("referrals:inbox")).content.decode()


def test_inbound_referral_becomes_an_enquiry_in_one_step(world):
    referral = record(world)
    own_key = referral.key_id
    case = services.inbound_accept(
        actor=world.co_worker,
        referral=referral,
        team=world.team_a,
        identity={"given_name": "Tariq", "family_name": "", "aliases": "Tariq B."},
        setting="community",
        participation="voluntary",
        ideology="islamist",
    )
    referral = InboundReferral.objects.select_related("case").get(pk=referral.pk)
    assert referral.status == "accepted" and referral.case == case
    assert case.referral_source == "helpline" and case.state == "signal"
    assert case.assignments.get(staff=world.co_worker).role == "case_manager"
    # The referral's sealed values now open with the client's key; its own key is gone.
    assert referral.key_id == case.client_id and referral.reason == "Mother worried about online radicalisation"
    assert ClientKey.objects.get(client_id=own_key).wrapped is None
    with pytest.raises(ValidationError):
        services.inbound_decline(actor=world.co_worker, referral=referral, decline_reason="no_capacity")


def test_declining_needs_a_reason_and_referring_on_names_the_partner(world, housing):
    referral = record(world)
    with pytest.raises(ValidationError):
        services.inbound_decline(actor=world.co_worker, referral=referral, decline_reason="other")
    services.inbound_decline(actor=world.co_worker, referral=referral, decline_reason="outside_target_group")
    assert InboundReferral.objects.get(pk=referral.pk).status == "declined"
    second = record(world)
    services.inbound_refer_on(actor=world.co_worker, referral=second, partner=housing, note="Regional partner")
    assert InboundReferral.objects.get(pk=second.pk).referred_on_to == housing


def test_bad_inbound_input_is_400_and_writes_nothing(client, world):
    client.force_login(world.case_manager)
    response = client.post(
        reverse("referrals:inbound_new"),
        {"programme": world.programme.pk, "reason": "", "referrer_category": "aliens", "received_on": "soon"},
    )
    assert response.status_code == 400
    assert not InboundReferral.objects.exists()


def test_outbound_referral_is_disclosed_then_followed(world, housing):
    need = plan.need_add(actor=world.case_manager, case=world.case, domain="functional", description="A flat")
    goal = plan.goal_add(actor=world.case_manager, need=need, description="Apply for a flat")
    service = plan.service_add(
        actor=world.case_manager,
        goal=goal,
        kind="tangible",
        name="Supported housing",
        provider="external",
        provider_name="Wohnhilfe Nord",
    )
    sharing.consent_record(
        actor=world.case_manager,
        case=world.case,
        data_categories=["contact_details", "needs_and_plan"],
        purpose="housing",
        form="written",
        given_on=timezone.localdate(),
        partner=housing,
    )
    referral = services.outbound_refer(
        actor=world.case_manager,
        case=world.case,
        partner=housing,
        service_area="housing",
        content="Needs a flat after release",
        plan_service=service,
        sent_on=timezone.localdate() - dt.timedelta(days=5),
    )
    disclosure = Disclosure.objects.get(pk=referral.disclosure)
    assert disclosure.outcome == "disclosed" and disclosure.source == "referral" and disclosure.partner == housing
    service.refresh_from_db()
    assert service.status == "referred"
    services.outbound_status_set(
        actor=world.case_manager, referral=referral, status="accepted", on=timezone.localdate() - dt.timedelta(days=3)
    )
    services.outbound_status_set(actor=world.case_manager, referral=referral, status="first_appointment")
    with pytest.raises(ValidationError):
        services.outbound_status_set(actor=world.case_manager, referral=referral, status="declined")
    services.outbound_status_set(actor=world.case_manager, referral=referral, status="ended")
    assert [e.status for e in referral.events.all()] == ["sent", "accepted", "first_appointment", "ended"]
    service.refresh_from_db()
    assert service.status == "ongoing"


def test_outbound_referral_without_consent_is_refused_and_recorded(client, world, housing):
    with pytest.raises(services.ReferralRefused):
        services.outbound_refer(actor=world.case_manager, case=world.case, partner=housing, service_area="housing")
    assert not OutboundReferral.objects.exists()
    assert Disclosure.objects.get(partner=housing).outcome == "refused"
    # Outsiders never reach the form.
    client.force_login(world.other_practitioner)
    assert client.get(reverse("referrals:outbound_new", args=[world.case.pk])).status_code == 404
    assert Case.objects.count() == 3
