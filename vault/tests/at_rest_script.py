"""Run inside a real Tandem process (manage.py shell) by test_at_rest: fills every sealed field."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.apps import apps
from django.utils import timezone

from vault.crypto import key_scope
from vault.fields import SealedField


def sealed_fields() -> list[tuple[type, str]]:
    return [(m, f.attname) for m in apps.get_models() for f in m._meta.concrete_fields if isinstance(f, SealedField)]


SENTINEL_DATE = "1907-02-19"  # a date no fixture uses, searched for like the marker


def populate(marker: str) -> None:
    from accounts.services import staff_create
    from cases import services
    from planning import services as plan
    from programmes.services import organisation_create, programme_create, team_create
    from vault.models import ClientKey

    with key_scope():
        tag = hashlib.sha256(marker.encode()).hexdigest()[:10]  # unique per run, and not the marker itself
        org = organisation_create(name=f"Organisation {tag}", slug=f"org-{tag}")
        programme = programme_create(organisation=org, name="Sentinel programme")
        team = team_create(programme=programme, name="Sentinel team")
        a = staff_create(username=f"s1-{org.slug}", password=None, organisation=org, roles=[("practitioner", team)])
        b = staff_create(username=f"s2-{org.slug}", password=None, organisation=org, roles=[("practitioner", team)])
        identity = {f: f"{marker}-{f}" for f in services.IDENTITY_FIELDS}
        identity["date_of_birth"] = SENTINEL_DATE
        case = services.enquiry_create(
            actor=a,
            programme=programme,
            team=team,
            identity=identity,
            referral_source="self",
            setting="community",
            participation="voluntary",
            ideology="islamist",
        )
        services.client_identity_update(
            actor=a,
            client=case.client,
            date_of_birth=SENTINEL_DATE,
            aliases=f"{marker}-aliases\n{marker}-alias2",
            reason=f"{marker}-correction",
        )
        services.assignment_add(actor=a, case=case, staff=a, role="case_manager")
        services.assignment_add(actor=a, case=case, staff=b, role="co_worker")
        services.case_transition(actor=a, case=case, to_state="screening", note=f"{marker}-transition")
        services.contact_record(
            actor=a,
            case=case,
            occurred_at=timezone.now() - dt.timedelta(hours=1),
            duration_minutes=30,
            kind="phone",
            participants=["client"],
            note=f"{marker}-contact",
        )
        plan.agreement_revise(
            actor=a,
            case=case,
            objectives=f"{marker}-objectives",
            commitments=f"{marker}-commitments",
            agreed_on=timezone.localdate(),
            confirmation="verbal",
            base_number=0,
        )
        need = plan.need_add(actor=a, case=case, domain="functional", description=f"{marker}-need")
        goal = plan.goal_add(actor=a, need=need, description=f"{marker}-goal")
        plan.service_add(actor=a, goal=goal, kind="tangible", name="Housing", details=f"{marker}-service")
        from rights import services as rights

        rights.restriction_set(actor=a, client=case.client, reason=f"{marker}-restriction")
        rights.restriction_lift(actor=a, client=case.client, reason=f"{marker}-lifted")
        hold = rights.legal_hold_place(actor=a, client=case.client, basis="other", reason=f"{marker}-hold")
        rights.legal_hold_release(actor=a, hold=hold)
        _populate_apps(marker, tag, org, programme, team, case, a, b)
        # Every sealed field of every model must now hold the marker somewhere, or the test is incomplete.
        missing = []
        for model, attname in sealed_fields():
            if not any(
                marker in (v := getattr(obj, attname) or "") or v == SENTINEL_DATE for obj in model.objects.all()
            ):
                missing.append(f"{model._meta.label}.{attname}")
        wrapped = bytes(ClientKey.objects.get(client_id=case.client_id).wrapped).hex()
    print("AT_REST " + json.dumps({"missing": missing, "client": str(case.client_id), "wrapped": wrapped}))


def _populate_apps(marker: str, tag: str, org, programme, team, case, a, b) -> None:
    """The sealed fields of assessments, aftercare, sharing, conferences and referrals, each through its app's services.

    Only text carries the marker: names of partners, places, roles and channels are not sealed and stay plain.
    """
    from accounts.services import staff_create
    from aftercare import services as aftercare
    from assessments import services as assessments
    from assessments.tests.factories import answers
    from cases import services
    from conferences import services as conferences
    from programmes.services import team_create
    from referrals import services as referrals
    from sharing import services as sharing
    from sharing.policy import LEGAL_GROUNDS, DataCategory, Ground, RecipientCategory, policy_for_programme

    today = timezone.localdate()
    second_team = team_create(programme=programme, name="Sentinel second team")
    supervisor = staff_create(username=f"s3-{org.slug}", password=None, organisation=org, roles=[("supervisor", team)])
    outside = staff_create(
        username=f"s4-{org.slug}", password=None, organisation=org, roles=[("supervisor", second_team)]
    )
    manager = staff_create(
        username=f"s5-{org.slug}", password=None, organisation=org, roles=[("programme_manager", None)]
    )

    # Assessments: the answers and domain ratings (content), the rationale, intake, external result, plan review.
    assessment = assessments.assessment_record(
        actor=a,
        case=case,
        instrument_key="tandem-open",
        assessed_on=today,
        answers=answers("tandem-open"),
        sources=["interview", "file"],
        final_level="moderate",
        rationale=f"{marker}-rationale",
        domain_ratings={
            _first_domain("tandem-open"): {"rating": "moderate", "for": f"{marker}-for", "against": f"{marker}-against"}
        },
    )
    assessments.judgement_revise(
        actor=b, assessment=assessment, final_level="moderate", rationale=f"{marker}-revised-rationale"
    )
    assessments.intake_screening_record(
        actor=a,
        case=case,
        screened_on=today,
        target_group_fit="yes",
        position="follower",
        outcome="accept",
        note=f"{marker}-screening",
    )
    assessments.external_result_record(
        actor=a,
        case=case,
        instrument_name="Licensed instrument",
        rated_on=today,
        rating="moderate",
        summary=f"{marker}-external-summary",
        assessed_by=f"{marker}-external-assessor",
    )
    assessments.plan_review_record(
        actor=a, case=case, assessment=assessment, reviewed_on=today, notes=f"{marker}-plan-review"
    )

    # Sharing: a partner, a consent, a disclosure on a legal ground, an approved alert, a break-glass grant.
    partner = sharing.partner_create(actor=supervisor, name=f"Partner {tag}", category="social_welfare")
    sharing.consent_record(
        actor=a,
        case=case,
        data_categories=["contact_details", "needs_and_plan"],
        partner=partner,
        purpose="housing",
        form="written",
        given_on=today,
        note=f"{marker}-consent",
    )
    recipient, category, ground = _legal_ground_cell(
        policy_for_programme(programme),
        RecipientCategory,
        DataCategory,
        [g for g in LEGAL_GROUNDS if g != Ground.IMMINENT_DANGER],
    )
    sharing.disclose(
        actor=a,
        case=case,
        recipient_category=recipient,
        data_categories=[category],
        purpose="court_report",
        ground=ground,
        legal_basis=f"{marker}-legal-basis",
        content=f"{marker}-disclosure",
    )
    concern = sharing.concern_raise(
        actor=a,
        case=case,
        kind="danger_to_others",
        justification=f"{marker}-justification: announced an attack for tomorrow",
        alert=True,
        recipient_category="police",
        data_categories=["security_concern"],
        alert_content=f"{marker}-alert",
    )
    sharing.concern_approve_alert(actor=supervisor, concern=concern)
    grant = sharing.break_glass_open(
        actor=outside, case=case, justification=f"{marker}-break-glass: urgent cover tonight"
    )
    sharing.break_glass_review(actor=manager, grant=grant, note=f"{marker}-review")

    # Conferences: scheduled without informing the client (with the reason), summary reviewed by a second person.
    conference = conferences.conference_schedule(
        actor=a,
        case=case,
        scheduled_at=timezone.now() + dt.timedelta(days=1),
        purpose="progress_review",
        client_involvement="not_informed",
        involvement_reason=f"{marker}-not-informed",
        mode="online",
        chair=a,
        purpose_note=f"{marker}-purpose",
        staff_participants=[b],
    )
    conferences.summary_write(actor=a, conference=conference, text=f"{marker}-summary")
    conferences.summary_review(actor=b, conference=conference)
    conferences.decision_record(actor=a, conference=conference, text=f"{marker}-decision")
    conferences.action_add(actor=a, conference=conference, description=f"{marker}-action", owner_staff=a)
    colleague = conference.participants.get(staff=b)
    conferences.identity_reveal(
        actor=a, conference=conference, ground="consent", ground_note=f"{marker}-reveal", participant_ids=[colleague.pk]
    )

    # Referrals: an inbound referral declined with a note, an outbound referral on the client's consent.
    inbound = referrals.inbound_record(
        actor=a,
        programme=programme,
        referrer_category="probation",
        channel="phone",
        reason=f"{marker}-inbound-reason",
        person_name=f"{marker}-person",
    )
    referrals.inbound_decline(actor=a, referral=inbound, decline_reason="no_capacity", note=f"{marker}-declined")
    referrals.outbound_refer(actor=a, case=case, partner=partner, service_area="housing", content=f"{marker}-referral")

    # Aftercare: the client is in prison; a release plan with every text, and a release conference that was held.
    services.case_attributes_update(actor=a, case=case, setting="prison")
    aftercare.release_plan_save(
        actor=a,
        case=case,
        release_on=today + dt.timedelta(days=30),
        **{name: f"{marker}-{name}" for name in aftercare.PLAN_TEXT_FIELDS},
    )
    aftercare.conference_record(
        actor=a,
        case=case,
        kind="release",
        held_on=today,
        groups=["family", "professionals"],
        participant_count=3,
        outcome=f"{marker}-outcome",
    )


def _first_domain(instrument_key: str) -> str:
    from assessments import instruments

    return instruments.get(instrument_key).domains[0].key


def _legal_ground_cell(policy, recipients, categories, grounds) -> tuple[str, str, str]:
    """A recipient, a kind of information and a legal ground the programme's policy allows together."""
    for recipient in recipients.values:
        for category in categories.values:
            rule = policy.rule(recipient, category)
            for ground in grounds:
                if rule.allows_ground(ground):
                    return recipient, category, ground
    raise LookupError("the sharing policy allows no disclosure on a legal ground")


def erase(client_id: str) -> None:
    from cases import services
    from cases.models import Client

    with key_scope():
        services.client_erase(actor=None, client=Client.objects.get(pk=client_id))
    print("ERASED")


def try_open(client_id: str) -> None:
    """Try every sealed value of the client; print how many opened."""
    from vault.crypto import VaultError

    opened, refused = 0, 0
    with key_scope():
        for model, attname in sealed_fields():
            for obj in model.objects.all():
                if str(obj.vault_client_id()) != client_id or obj.__dict__.get(attname) is None:
                    continue
                try:
                    getattr(obj, attname)
                    opened += 1
                except VaultError:
                    refused += 1
    print("OPEN " + json.dumps({"opened": opened, "refused": refused}))
