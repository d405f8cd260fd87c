"""Acceptance: under independent-ngo a client's pause, withdrawal or dropping out never leaves the programme."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from cases import services as case_services
from sharing import decisions, services
from sharing.models import Disclosure, Outcome
from sharing.policy import DataCategory, load_policy_file, preset_path

WITHDRAWAL_WORDS = [
    "suspend",
    "ausgesetzt",
    "pause",
    "ended by the client",
    "declined",
    "withdr",
    "dropped",
    "abgebrochen",
    "beendet",
    "closed",
    "geschlossen",
    "no (",
]


def _all_allowed_by_consent(world, case):
    """Disclose every category the policy lets go with consent, to every recipient, and return the texts."""
    policy = load_policy_file(str(preset_path("independent-ngo")))
    texts = []
    for recipient, rules in policy.rules.items():
        by_purpose: dict[str, list[str]] = {}
        for category, rule in rules.items():
            for purpose in rule.purposes:
                by_purpose.setdefault(purpose, []).append(category)
        for purpose, categories in by_purpose.items():
            services.consent_record(
                actor=world.case_manager,
                case=case,
                data_categories=categories,
                recipient_category=recipient,
                purpose=purpose,
                form="written",
                given_on=timezone.localdate(),
            )
            texts.append(
                services.disclose(
                    actor=world.case_manager,
                    case=case,
                    recipient_category=recipient,
                    data_categories=categories,
                    purpose=purpose,
                    ground="consent",
                    content="Please get in touch about the appointment.",
                ).content
            )
    return texts


def _assert_silent(texts):
    assert texts
    for text in texts:
        lowered = text.lower()
        for word in WITHDRAWAL_WORDS:
            assert word not in lowered, (word, text)


@pytest.mark.parametrize("language", ["en", "de"])
def test_suspended_client_is_never_reported_as_suspended(world, use_policy, language):
    case = use_policy("independent-ngo")
    case_services.case_transition(
        actor=world.case_manager, case=case, to_state="suspended", note="Client needs a break."
    )
    case.refresh_from_db()
    with translation.override(language):
        _assert_silent(_all_allowed_by_consent(world, case))


@pytest.mark.parametrize("reason", ["ended_by_client", "declined_by_client"])
def test_dropped_out_client_is_never_reported_as_dropped_out(world, use_policy, reason):
    case = use_policy("independent-ngo")
    case_services.case_transition(actor=world.case_manager, case=case, to_state="suspended")
    case_services.case_transition(actor=world.case_manager, case=case, to_state="closed", closure_reason=reason)
    case.refresh_from_db()
    _assert_silent(_all_allowed_by_consent(world, case))
    assert Disclosure.objects.filter(case=case, outcome=Outcome.DISCLOSED).count() > 5


def test_resumed_client_history_of_suspension_is_not_passed_on(world, use_policy):
    case = use_policy("independent-ngo")
    case_services.case_transition(actor=world.case_manager, case=case, to_state="suspended")
    case_services.case_transition(actor=world.case_manager, case=case, to_state="active")
    case.refresh_from_db()
    texts = _all_allowed_by_consent(world, case)
    _assert_silent(texts)
    assert any("Takes part in the programme: yes" in t for t in texts)


def test_facts_helper_drops_withdrawal_unless_the_policy_makes_it_a_legal_duty(world):
    case = world.case
    case_services.case_transition(actor=world.case_manager, case=case, to_state="suspended")
    case.refresh_from_db()
    ngo = load_policy_file(str(preset_path("independent-ngo")))
    statutory = load_policy_file(str(preset_path("statutory")))
    everything = DataCategory.values
    for recipient in ngo.rules:
        facts = decisions.case_facts_for_disclosure(case, everything, ngo, recipient)
        assert all(f.category not in {"attendance", "progress_summary"} for f in facts)
    # Statutory: the probation service must hear of non-attendance (a legal duty in the policy file).
    facts = decisions.case_facts_for_disclosure(case, ["attendance"], statutory, "probation")
    assert facts and "no (" in facts[0].value
    # ... but the job centre does not, even under the statutory policy.
    assert decisions.case_facts_for_disclosure(case, ["attendance"], statutory, "employment") == []
