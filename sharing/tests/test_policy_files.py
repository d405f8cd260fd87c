"""Acceptance: a malformed policy file is rejected with a message naming the problem and its place."""

from __future__ import annotations

import jsonschema
import pytest
import yaml
from django.core.checks import run_checks

from sharing.policy import (
    LEGAL_GROUNDS,
    SCHEMA,
    DataCategory,
    PolicyError,
    Purpose,
    RecipientCategory,
    Rule,
    deployment_policy,
    load_policy_file,
    parse_policy,
    preset_names,
    preset_path,
)

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


def test_schema_is_valid_and_knows_every_category_the_code_knows():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    defs = SCHEMA["$defs"]
    assert defs["recipient_category"]["enum"] == RecipientCategory.values
    assert defs["data_category"]["enum"] == DataCategory.values
    assert defs["rule_name"]["enum"] == Rule.values
    assert defs["purpose"]["enum"] == Purpose.values
    assert defs["legal_ground"]["enum"] == list(LEGAL_GROUNDS)
    assert preset_names() == ["independent-ngo", "statutory"]  # the schema is not taken for a preset


def test_every_preset_is_valid_against_the_schema():
    for name in preset_names():
        assert not list(
            jsonschema.Draft202012Validator(SCHEMA).iter_errors(yaml.safe_load(preset_path(name).read_text()))
        )


def test_schema_problems_name_the_key_path():
    identity = "identity: {rule: on_legal_ground, grounds: [imminent_danger]}"
    assert _problem(GOOD.replace(identity, "identity: {rule: on_legal_ground, grounds: imminent_danger}", 1)).endswith(
        "recipients.police.categories.identity.grounds: expected a list"
    )
    assert _problem(GOOD.replace(identity, identity[:-1] + ", why: x}", 1)).endswith(
        "recipients.police.categories.identity.why: unknown key "
        "(expected one of: grounds, legal_basis, purposes, report_withdrawal, rule)"
    )
    assert _problem(GOOD.replace("recipients:\n", "recipients:\n  aliens: {default: never}\n", 1)).startswith(
        "Sharing policy my-policy.yaml: recipients.aliens: unknown recipient category (expected one of: police, "
    )
    assert _problem(GOOD.replace("format: 1\n", "", 1)).endswith("my-policy.yaml: format: missing (required)")
    assert _problem(GOOD.replace("format: 1", "format: 1\ncolour: blue", 1)).endswith(
        "colour: unknown key (expected one of: format, name, recipients, summary, title)"
    )
    assert _problem(GOOD.replace("default: never", "default: [never]", 1)).endswith(
        "recipients.police.default: expected text or a mapping"
    )


def test_never_rule_takes_no_grounds():
    message = _problem(GOOD.replace("default: never", "default: {rule: never, grounds: [court_order]}", 1))
    assert message.endswith(
        "recipients.police.default: a 'never' rule takes no purposes, grounds, legal basis or report_withdrawal"
    )
