"""Acceptance: the service allows or refuses exactly as each preset's policy file says, and records it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from sharing import services
from sharing.models import ConcernStatus, Disclosure, Outcome
from sharing.policy import DataCategory, Ground, Purpose, RecipientCategory, load_policy_file, preset_path

PRESETS = ["independent-ngo", "statutory"]
LEGAL_BASIS = "Section 1 of the test act"


def _attempt(actor, case, **kwargs) -> bool:
    try:
        services.disclose(actor=actor, case=case, content="A short note.", **kwargs)
    except services.DisclosureRefused:
        return False
    return True


def _approved_concern(world, case):
    concern = services.concern_raise(
        actor=world.case_manager,
        case=case,
        kind="danger_to_others",
        justification="Announced an attack on a named person for tomorrow.",
        alert=True,
        recipient_category="police",
        data_categories=["security_concern"],
        alert_content="Imminent danger, please call us.",
    )
    services.concern_approve_alert(actor=world.supervisor, concern=concern)
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ALERT_SENT
    return concern


@pytest.mark.parametrize("preset", PRESETS)
def test_every_cell_of_the_policy_decides_as_the_file_says(world, use_policy, preset):
    case = use_policy(preset)
    policy = load_policy_file(str(preset_path(preset)))
    actor = world.case_manager
    concern = _approved_concern(world, case)
    before = Disclosure.objects.count()
    calls, mismatches = 0, []
    for recipient in RecipientCategory.values:
        for category in DataCategory.values:
            rule = policy.rule(recipient, category)
            purpose = sorted(rule.purposes)[0] if rule.purposes else Purpose.REFERRAL
            common = dict(recipient_category=recipient, data_categories=[category], purpose=purpose)
            cell = f"{recipient}/{category}"
            # Without consent and without a legal ground: always refused.
            calls += 1
            if _attempt(actor, case, ground=Ground.CONSENT, **common):
                mismatches.append(f"{cell}: allowed without consent")
            # With a valid consent for exactly this recipient, category and purpose.
            consent = services.consent_record(
                actor=actor,
                case=case,
                data_categories=[category],
                recipient_category=recipient,
                purpose=purpose,
                form="written",
                given_on=timezone.localdate(),
            )
            calls += 1
            if _attempt(actor, case, ground=Ground.CONSENT, **common) != rule.allows_consent(purpose):
                mismatches.append(f"{cell}: consent decided against the file")
            # Withdrawn: refused at once.
            services.consent_withdraw(actor=actor, consent=consent)
            calls += 1
            if _attempt(actor, case, ground=Ground.CONSENT, **common):
                mismatches.append(f"{cell}: allowed after withdrawal")
            # Each legal ground, documented.
            for ground in (Ground.COURT_ORDER, Ground.STATUTORY_DUTY, Ground.IMMINENT_DANGER):
                calls += 1
                allowed = _attempt(
                    actor,
                    case,
                    ground=ground,
                    legal_basis=LEGAL_BASIS,
                    concern=concern if ground == Ground.IMMINENT_DANGER else None,
                    **common,
                )
                if allowed != rule.allows_ground(ground):
                    mismatches.append(f"{cell}: {ground} decided against the file")
    assert mismatches == []
    # Every decision is recorded, refused ones with their reason.
    recorded = Disclosure.objects.filter(case=case).exclude(source="security_concern")
    assert Disclosure.objects.count() - before == calls
    assert recorded.count() == calls
    assert not recorded.filter(outcome=Outcome.REFUSED, reason="").exists()
    refused = recorded.filter(outcome=Outcome.REFUSED).count()
    assert AuditEntry.objects.filter(action="disclosure.refused").count() == refused
    assert AuditEntry.objects.filter(action="disclosure.create").count() == recorded.count() - refused + 1


def _consent(world, case, recipient, categories, purpose):
    return services.consent_record(
        actor=world.case_manager,
        case=case,
        data_categories=categories,
        recipient_category=recipient,
        purpose=purpose,
        form="verbal_witnessed",
        witness="Co-worker",
        given_on=timezone.localdate(),
    )


def test_independent_ngo_police_never_gets_progress_even_with_consent(world, use_policy):
    case = use_policy("independent-ngo")
    _consent(world, case, "police", ["progress_summary"], "safety")
    with pytest.raises(services.DisclosureRefused, match="never allows"):
        services.disclose(
            actor=world.case_manager,
            case=case,
            recipient_category="police",
            data_categories=["progress_summary"],
            purpose="safety",
            ground="consent",
        )
    assert Disclosure.objects.get(case=case).outcome == Outcome.REFUSED


def test_statutory_probation_attendance_on_statutory_duty_is_allowed(world, use_policy):
    case = use_policy("statutory")
    disclosure = services.disclose(
        actor=world.case_manager,
        case=case,
        recipient_category="probation",
        data_categories=["attendance"],
        purpose="supervision",
        ground="statutory_duty",
    )
    assert disclosure.outcome == Outcome.DISCLOSED
    assert "Criminal Code" in disclosure.legal_basis  # the policy's stated basis when none is typed
    assert "Takes part in the programme" in disclosure.content


def test_independent_ngo_health_needs_consent_for_that_purpose(world, use_policy):
    case = use_policy("independent-ngo")
    kwargs = dict(
        actor=world.case_manager,
        case=case,
        recipient_category="health",
        data_categories=["identity", "needs_and_plan"],
        purpose="health_care",
        ground="consent",
    )
    with pytest.raises(services.DisclosureRefused, match="No valid consent"):
        services.disclose(**kwargs)
    _consent(world, case, "health", ["identity"], "health_care")
    with pytest.raises(services.DisclosureRefused, match="Needs and support plan"):
        services.disclose(**kwargs)  # consent must cover every category
    _consent(world, case, "health", ["needs_and_plan"], "housing")
    with pytest.raises(services.DisclosureRefused):
        services.disclose(**kwargs)  # ... and the purpose
    _consent(world, case, "health", ["needs_and_plan"], "health_care")
    disclosure = services.disclose(**kwargs)
    assert disclosure.consent is not None and "Mira" in disclosure.content


def test_independent_ngo_refuses_any_risk_assessment_and_court(world, use_policy):
    case = use_policy("independent-ngo")
    # The client's own right of access (GDPR Art. 15) is the one door open for their risk assessment.
    for recipient in [r for r in RecipientCategory.values if r != RecipientCategory.DATA_SUBJECT]:
        with pytest.raises(services.DisclosureRefused):
            services.disclose(
                actor=world.case_manager,
                case=case,
                recipient_category=recipient,
                data_categories=["risk_assessment"],
                purpose="referral",
                ground="statutory_duty",
                legal_basis="x",
            )
    with pytest.raises(services.DisclosureRefused):
        services.disclose(
            actor=world.case_manager,
            case=case,
            recipient_category="court",
            data_categories=["attendance"],
            purpose="court_report",
            ground="court_order",
            legal_basis="Order of 1 March",
        )
    copy = services.disclose(
        actor=world.case_manager,
        case=case,
        recipient_category=RecipientCategory.DATA_SUBJECT,
        data_categories=["risk_assessment"],
        purpose="data_subject_access",
        ground="statutory_duty",
        legal_basis="GDPR Art. 15",
    )
    assert copy.pk


def test_expired_consent_does_not_count(world, use_policy):
    case = use_policy("independent-ngo")
    services.consent_record(
        actor=world.case_manager,
        case=case,
        data_categories=["identity"],
        recipient_category="employment",
        purpose="employment",
        form="written",
        given_on=timezone.localdate() - dt.timedelta(days=60),
        valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    with pytest.raises(services.DisclosureRefused):
        services.disclose(
            actor=world.case_manager,
            case=case,
            recipient_category="employment",
            data_categories=["identity"],
            purpose="employment",
            ground="consent",
        )


def test_partner_specific_consent_covers_that_partner_only(world, use_policy):
    case = use_policy("independent-ngo")
    job_centre = services.partner_create(actor=world.supervisor, name="Job centre Nord", category="employment")
    other = services.partner_create(actor=world.supervisor, name="Job centre Süd", category="employment")
    services.consent_record(
        actor=world.case_manager,
        case=case,
        partner=job_centre,
        data_categories=["identity"],
        purpose="employment",
        form="written",
        given_on=timezone.localdate(),
    )
    kwargs = dict(
        actor=world.case_manager, case=case, data_categories=["identity"], purpose="employment", ground="consent"
    )
    assert services.disclose(partner=job_centre, **kwargs).partner == job_centre
    with pytest.raises(services.DisclosureRefused):
        services.disclose(partner=other, **kwargs)


def test_staff_off_the_case_and_restricted_clients_are_refused(world, use_policy):
    case = use_policy("statutory")
    with pytest.raises(services.DisclosureRefused, match="Only staff"):
        services.disclose(
            actor=world.other_practitioner,
            case=case,
            recipient_category="probation",
            data_categories=["attendance"],
            purpose="supervision",
            ground="statutory_duty",
        )
    case.client.restricted_at = timezone.now()  # the rights app sets this field; the service reads it
    with pytest.raises(services.DisclosureRefused, match="restricted"):
        services.disclose(
            actor=world.case_manager,
            case=case,
            recipient_category="probation",
            data_categories=["attendance"],
            purpose="supervision",
            ground="statutory_duty",
        )
    assert Disclosure.objects.filter(outcome=Outcome.REFUSED).count() == 2


def test_imminent_danger_with_one_approver_stays_pending(world, use_policy):
    case = use_policy("independent-ngo")
    concern = services.concern_raise(
        actor=world.supervisor,
        case=case,
        kind="danger_to_client",
        justification="Former comrades threatened to 'settle accounts' this week.",
        alert=True,
        recipient_category="police",
        data_categories=["identity", "security_concern"],
        alert_content="Threat.",
    )
    assert concern.status == ConcernStatus.ALERT_PENDING
    with pytest.raises(services.DisclosureRefused, match="approved by a supervisor other than"):
        services.disclose(
            actor=world.supervisor,
            case=case,
            recipient_category="police",
            data_categories=["security_concern"],
            purpose="safety",
            ground="imminent_danger",
            legal_basis="danger",
            concern=concern,
        )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.concern_approve_alert(actor=world.supervisor, concern=concern)  # the raiser cannot approve
    with pytest.raises(ValidationError):
        services.concern_approve_alert(actor=world.case_manager, concern=concern)  # not a supervisor
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ALERT_PENDING
    assert not Disclosure.objects.filter(case=case, outcome=Outcome.DISCLOSED).exists()


def test_alert_goes_out_after_a_second_supervisor_approves(world, use_policy):
    from conftest import make_staff

    case = use_policy("independent-ngo")
    second = make_staff("second_supervisor", world.org, ("supervisor", world.team_a))
    concern = services.concern_raise(
        actor=world.supervisor,
        case=case,
        kind="danger_to_others",
        justification="Described a concrete plan to attack a mosque on Friday.",
        alert=True,
        recipient_category="police",
        data_categories=["identity", "security_concern"],
        alert_content="Call us now.",
    )
    disclosure = services.concern_approve_alert(actor=second, concern=concern)
    assert disclosure.ground == "imminent_danger" and disclosure.concern == concern
    assert disclosure.outcome == Outcome.DISCLOSED and "Call us now." in disclosure.content


# ---- the API -----------------------------------------------------------------------------------


def _api_url(name, **kwargs):
    return reverse(f"api:{name}", kwargs=kwargs)


@pytest.fixture
def reauthenticated(monkeypatch):
    """The API caller has sent a current second-factor code (the TOTP check itself is tested in accounts)."""
    monkeypatch.setattr("api.sharing_views.api_reauth_ok", lambda request: True)


def test_api_disclosure_needs_a_fresh_second_factor(world, use_policy):
    from accounts.testing import TEST_TOTP_SECRET, totp_code
    from api.tests.conftest import client_for

    case = use_policy("statutory")
    body = {
        "recipient_category": "probation",
        "data_categories": ["attendance"],
        "purpose": "supervision",
        "ground": "statutory_duty",
    }
    api = client_for(world.case_manager)
    response = api.post(_api_url("case-disclosures", case_id=case.pk), body, format="json")
    assert response.status_code == 403
    assert not Disclosure.objects.exists()
    fresh = api.post(
        _api_url("case-disclosures", case_id=case.pk),
        body,
        format="json",
        HTTP_X_TANDEM_REAUTH=totp_code(TEST_TOTP_SECRET),
    )
    assert fresh.status_code == 201, fresh.content


@pytest.mark.parametrize("flag", ["emergency", "override"])
def test_api_flag_without_the_permission_is_forbidden(world, use_policy, flag):
    from api.tests.conftest import client_for

    case = use_policy("independent-ngo")
    body = {
        "recipient_category": "police",
        "data_categories": ["identity"],
        "purpose": "safety",
        "ground": "imminent_danger",
        "content": "x",
        flag: True,
    }
    for user in (world.case_manager, world.co_worker):
        response = client_for(user).post(_api_url("case-disclosures", case_id=case.pk), body, format="json")
        assert response.status_code == 403, response.content
    assert not Disclosure.objects.exists()
    assert AuditEntry.objects.filter(action="disclosure.override", outcome="denied").count() == 2


def test_api_emergency_from_a_supervisor_waits_for_a_second_approver(world, use_policy, reauthenticated):
    from api.tests.conftest import client_for

    case = use_policy("independent-ngo")
    body = {
        "recipient_category": "police",
        "data_categories": ["identity", "security_concern"],
        "purpose": "safety",
        "ground": "imminent_danger",
        "content": "Call us.",
        "emergency": True,
        "justification": "Client announced an attack on a named person tomorrow.",
    }
    response = client_for(world.supervisor).post(_api_url("case-disclosures", case_id=case.pk), body, format="json")
    assert response.status_code == 202 and response.json()["status"] == ConcernStatus.ALERT_PENDING
    assert not Disclosure.objects.exists()
    override = client_for(world.supervisor).post(
        _api_url("case-disclosures", case_id=case.pk), body | {"emergency": False, "override": True}, format="json"
    )
    assert override.status_code == 403  # nobody can override the sharing policy, supervisors included


def test_api_disclosure_allowed_refused_and_listed(world, use_policy, reauthenticated):
    from api.tests.conftest import client_for

    case = use_policy("independent-ngo")
    api = client_for(world.case_manager)
    consent = api.post(
        _api_url("case-consents", case_id=case.pk),
        {
            "recipient_category": "social_welfare",
            "data_categories": ["identity", "needs_and_plan"],
            "purpose": "housing",
            "form": "written",
            "given_on": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert consent.status_code == 201, consent.content
    ok = api.post(
        _api_url("case-disclosures", case_id=case.pk),
        {
            "recipient_category": "social_welfare",
            "data_categories": ["identity"],
            "purpose": "housing",
            "ground": "consent",
            "content": "Needs a flat.",
        },
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["outcome"] == "disclosed"
    refused = api.post(
        _api_url("case-disclosures", case_id=case.pk),
        {
            "recipient_category": "police",
            "data_categories": ["progress_summary"],
            "purpose": "safety",
            "ground": "consent",
        },
        format="json",
    )
    assert refused.status_code == 409 and refused.json()["attempt"]
    listed = api.get(_api_url("case-disclosures", case_id=case.pk)).json()
    assert [row["outcome"] for row in listed["results"]] == ["refused", "disclosed"]
    withdrawn = api.post(_api_url("case-consent-withdraw", case_id=case.pk, consent_id=consent.json()["id"]))
    assert withdrawn.status_code == 200 and withdrawn.json()["valid_today"] is False
    outsider = client_for(world.other_practitioner).get(_api_url("case-disclosures", case_id=case.pk))
    assert outsider.status_code == 404
