"""Acceptance: a malformed policy file is rejected with a message naming the problem and its place."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks

from sharing.policy import PolicyError, deployment_policy, load_policy_file, parse_policy, preset_path

GOOD = preset_path("independent-ngo").read_text()


def _problem(text: str) -> str:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, "my-policy.yaml")
    return str(info.value)


def test_unknown_rule_names_the_key_path():
    text = GOOD.replace(
        "identity: {rule: on_legal_ground, grounds: [imminent_danger]}",
        "identity: {rule: sometimes, grounds: [imminent_danger]}",
        1,
    )
    message = _problem(text)
    assert "my-policy.yaml" in message and "recipients.police.categories.identity.rule" in message
    assert "unknown rule 'sometimes'" in message


def test_unknown_ground_and_category_and_missing_recipient():
    assert "recipients.police.categories.identity.grounds[0]" in _problem(
        GOOD.replace("grounds: [imminent_danger]", "grounds: [gut_feeling]", 1)
    )
    assert "recipients.police.categories.shoe_size" in _problem(
        GOOD.replace("      identity: {rule: on_legal_ground", "      shoe_size: {rule: on_legal_ground", 1)
    )
    missing = GOOD.replace("  prosecutor:\n    default: never\n", "", 1)
    assert "recipients.prosecutor: missing" in _problem(missing)


def test_consent_rule_without_purpose_and_withdrawal_reporting_without_legal_duty():
    assert "needs at least one purpose" in _problem(
        GOOD.replace("identity: {rule: with_consent, purposes: [documents]}", "identity: {rule: with_consent}", 1)
    )
    assert "report_withdrawal" in _problem(
        GOOD.replace(
            "identity: {rule: with_consent, purposes: [documents]}",
            "identity: {rule: with_consent, purposes: [documents], report_withdrawal: true}",
            1,
        )
    )


def test_broken_yaml_names_line_and_column():
    message = _problem("format: 1\nname: x\nrecipients: [unclosed\n")
    assert "my-policy.yaml: line" in message and "not valid YAML" in message


def test_start_up_check_rejects_the_deployment_file(settings, tmp_path):
    bad = tmp_path / "ours.yaml"
    bad.write_text(GOOD.replace("format: 1", "format: 7"))
    settings.TANDEM_SHARING_POLICY_FILE = str(bad)
    load_policy_file.cache_clear()
    errors = [e for e in run_checks() if e.id == "sharing.E001"]
    assert errors and str(bad) in errors[0].msg and "format" in errors[0].msg
    with pytest.raises(PolicyError):
        deployment_policy()


def test_deployment_chooses_a_preset_or_its_own_file(settings, tmp_path):
    settings.TANDEM_SHARING_POLICY = "statutory"
    assert deployment_policy().name == "statutory"
    own = tmp_path / "own.yaml"
    own.write_text(GOOD.replace("name: independent-ngo", "name: our-own", 1))
    settings.TANDEM_SHARING_POLICY_FILE = str(own)
    assert deployment_policy().name == "our-own"
    settings.TANDEM_SHARING_POLICY_FILE = ""
    settings.TANDEM_SHARING_POLICY = "nonsense"
    with pytest.raises(PolicyError, match="TANDEM_SHARING_POLICY"):
        deployment_policy()
