"""Sharing policies: which data may go to which recipient, and on what ground, read from YAML files.

A policy file names, per recipient category, a rule for every data category. Presets live in
sharing/policies/; a deployment chooses one with TANDEM_SHARING_POLICY or brings its own file with
TANDEM_SHARING_POLICY_FILE; a programme's `sharing_policy` names a preset for that programme.
Files are validated on load against policy.schema.json and for the rules that join fields: every problem
names the file, the key path and what is wrong.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tandem.key_paths import key_path

PRESET_DIR = Path(__file__).resolve().parent / "policies"
SCHEMA = json.loads((Path(__file__).resolve().parent / "policy.schema.json").read_text(encoding="utf-8"))
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


class RecipientCategory(models.TextChoices):
    POLICE = "police", _("Police")
    INTELLIGENCE = "intelligence", _("Intelligence services")
    PRISON = "prison", _("Prison")
    PROBATION = "probation", _("Probation service")
    COURT = "court", _("Court")
    PROSECUTOR = "prosecutor", _("Public prosecutor")
    IMMIGRATION = "immigration", _("Immigration authority")
    SOCIAL_WELFARE = "social_welfare", _("Social and welfare services")
    HEALTH = "health", _("Health services")
    EMPLOYMENT = "employment", _("Job centre and employers")
    EDUCATION = "education", _("Schools and education")
    OTHER_NGO = "other_ngo", _("Other non-governmental organisations")
    DATA_SUBJECT = "data_subject", _("The client (a copy of their own data)")


class DataCategory(models.TextChoices):
    IDENTITY = "identity", _("Identity (name, date of birth)")
    CONTACT_DETAILS = "contact_details", _("Contact details")
    ATTENDANCE = "attendance", _("Attendance (takes part or not)")
    PROGRESS_SUMMARY = "progress_summary", _("Progress summary")
    NEEDS_AND_PLAN = "needs_and_plan", _("Needs and support plan")
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment")
    CASE_NOTES = "case_notes", _("Case notes")
    SECURITY_CONCERN = "security_concern", _("Security concern")


class Purpose(models.TextChoices):
    HOUSING = "housing", _("Housing")
    WELFARE_BENEFITS = "welfare_benefits", _("Welfare benefits and finances")
    HEALTH_CARE = "health_care", _("Health care and therapy")
    EMPLOYMENT = "employment", _("Work and training")
    EDUCATION = "education", _("School and education")
    DOCUMENTS = "documents", _("Documents and residence")
    RELEASE_PLANNING = "release_planning", _("Release planning")
    CASE_CONFERENCE = "case_conference", _("Case conference")
    REFERRAL = "referral", _("Referral to another service")
    SUPERVISION = "supervision", _("Probation supervision and conditions")
    COURT_REPORT = "court_report", _("Report to a court")
    SAFETY = "safety", _("Safety of the client or others")
    DATA_SUBJECT_ACCESS = "data_subject_access", _("The client's request for their own data")


class Ground(models.TextChoices):
    CONSENT = "consent", _("The client's consent")
    IMMINENT_DANGER = "imminent_danger", _("Imminent danger to life or limb")
    COURT_ORDER = "court_order", _("Court order")
    STATUTORY_DUTY = "statutory_duty", _("Statutory duty")


LEGAL_GROUNDS = tuple(g for g in Ground.values if g != Ground.CONSENT)


class Rule(models.TextChoices):
    NEVER = "never", _("Never")
    WITH_CONSENT = "with_consent", _("Only with the client's consent")
    ON_LEGAL_GROUND = "on_legal_ground", _("Only on a legal ground")
    ALWAYS_ON_LEGAL_BASIS = "always_on_legal_basis", _("On a stated legal basis")


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the file, the key path and the problem."""

    def __init__(self, source: str, path: str, problem: str) -> None:
        self.source, self.path, self.problem = source, path, problem
        where = f"{source}: {path}" if path else source
        super().__init__(f"Sharing policy {where}: {problem}")


@dataclass(frozen=True)
class CategoryRule:
    rule: str
    purposes: frozenset[str] = frozenset()  # with_consent: the purposes consent can cover
    grounds: frozenset[str] = frozenset()  # legal grounds that allow it without consent
    legal_basis: str = ""  # always_on_legal_basis: the law it rests on, shown to the client
    report_withdrawal: bool = False  # a legal duty to report withdrawal or suspension

    def allows_consent(self, purpose: str) -> bool:
        return self.rule == Rule.WITH_CONSENT and purpose in self.purposes

    def allows_ground(self, ground: str) -> bool:
        return self.rule != Rule.NEVER and ground in self.grounds


@dataclass(frozen=True)
class Policy:
    name: str
    source: str
    title: dict[str, str]
    summary: dict[str, str]
    rules: dict[str, dict[str, CategoryRule]] = field(repr=False)

    def rule(self, recipient: str, data_category: str) -> CategoryRule:
        return self.rules[recipient][data_category]

    def text(self, which: str, language: str | None = None) -> str:
        texts = getattr(self, which)
        lang = (language or get_language() or "en")[:2]
        return texts.get(lang) or texts.get("en", "")


_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "boolean": "true or false",
    "null": "nothing",
}


def _choices_text(values) -> str:
    return ", ".join(values)


def _schema_problem(error: jsonschema.ValidationError) -> tuple[str, str]:
    """The key path and the problem of a schema error, in the words of the policy file's author."""
    path = list(error.absolute_path)
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    instance: Any = error.instance
    expected: Any = error.validator_value
    if error.validator == "enum" and "propertyNames" in error.schema_path:
        choices = _choices_text(expected)
        return key_path([*path, str(instance)]), f"unknown {schema['title']} (expected one of: {choices})"
    if error.validator == "enum":
        return key_path(path), f"unknown {schema['title']} {instance!r} (expected one of: {_choices_text(expected)})"
    if error.validator == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        extra = sorted(str(key) for key in instance if key not in known)[0]
        return key_path([*path, extra]), f"unknown key (expected one of: {_choices_text(known)})"
    if error.validator == "required":
        missing = next(key for key in expected if key not in instance)
        return key_path([*path, missing]), "missing (required)"
    if error.validator == "type":
        types = [expected] if isinstance(expected, str) else expected
        return key_path(path), "expected " + " or ".join(_TYPE_WORDS.get(t, t) for t in types)
    if error.validator == "const":
        return key_path(path), f"expected {key_path(path)}: {expected}"
    if error.validator == "pattern":
        return key_path(path), "expected text, not empty"
    return key_path(path), error.message


def _first_schema_problem(source: str, raw: object) -> PolicyError | None:
    def place(error: jsonschema.ValidationError) -> list[str]:
        return [f"{part:09d}" if isinstance(part, int) else part for part in error.absolute_path]

    # The first place in the file; there, the error of the outermost schema (a wrong type before its details).
    errors = sorted(_VALIDATOR.iter_errors(raw), key=lambda e: (place(e), len(e.absolute_schema_path), e.message))
    return PolicyError(source, *_schema_problem(errors[0])) if errors else None


def _rule(source: str, path: str, raw: str | dict) -> CategoryRule:
    """A rule the schema has let through, checked for what its kind needs."""
    if isinstance(raw, str):
        raw = {"rule": raw}
    rule = raw["rule"]
    purposes, grounds = frozenset(raw.get("purposes", [])), frozenset(raw.get("grounds", []))
    legal_basis, report_withdrawal = raw.get("legal_basis", "").strip(), raw.get("report_withdrawal", False)
    if rule == Rule.NEVER and (purposes or grounds or legal_basis or report_withdrawal):
        raise PolicyError(source, path, "a 'never' rule takes no purposes, grounds, legal basis or report_withdrawal")
    if rule == Rule.WITH_CONSENT and not purposes:
        raise PolicyError(source, f"{path}.purposes", "'with_consent' needs at least one purpose")
    if rule == Rule.ON_LEGAL_GROUND and not grounds:
        raise PolicyError(source, f"{path}.grounds", "'on_legal_ground' needs at least one legal ground")
    if rule == Rule.ALWAYS_ON_LEGAL_BASIS:
        if not grounds:
            raise PolicyError(source, f"{path}.grounds", "'always_on_legal_basis' needs at least one legal ground")
        if not legal_basis:
            raise PolicyError(
                source, f"{path}.legal_basis", "'always_on_legal_basis' needs the legal basis it rests on"
            )
    elif report_withdrawal:
        raise PolicyError(
            source,
            f"{path}.report_withdrawal",
            "only a legal duty ('always_on_legal_basis') may report withdrawal or suspension",
        )
    if rule != Rule.WITH_CONSENT and purposes:
        raise PolicyError(source, f"{path}.purposes", "purposes belong to 'with_consent' rules only")
    return CategoryRule(
        rule=rule, purposes=purposes, grounds=grounds, legal_basis=legal_basis, report_withdrawal=report_withdrawal
    )


def parse_policy(text: str, source: str) -> Policy:
    """A Policy from YAML text; PolicyError names the place of the first problem.

    The shape, the keys and the values are checked against policy.schema.json; what joins several fields (what
    each rule needs, a rule for every recipient and data category) is checked here.
    """
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise PolicyError(source, where, f"not valid YAML ({getattr(exc, 'problem', None) or exc})") from exc
    if not isinstance(raw, dict):
        raise PolicyError(source, "", "expected a mapping at the top level")
    problem = _first_schema_problem(source, raw)
    if problem is not None:
        raise problem
    rules: dict[str, dict[str, CategoryRule]] = {}
    for recipient in RecipientCategory.values:
        path = f"recipients.{recipient}"
        entry = raw["recipients"].get(recipient)
        if entry is None:
            raise PolicyError(source, path, "missing: every recipient category needs its rules")
        default = _rule(source, f"{path}.default", entry["default"]) if "default" in entry else None
        categories = entry.get("categories") or {}
        rules[recipient] = {}
        for category in DataCategory.values:
            if category in categories:
                rules[recipient][category] = _rule(source, f"{path}.categories.{category}", categories[category])
            elif default is not None:
                rules[recipient][category] = default
            else:
                raise PolicyError(
                    source, f"{path}.categories.{category}", "missing, and no 'default' for this recipient"
                )
    return Policy(
        name=raw["name"].strip(),
        source=source,
        title={str(k): v.strip() for k, v in raw["title"].items()},
        summary={str(k): v.strip() for k, v in raw["summary"].items()},
        rules=rules,
    )


@lru_cache(maxsize=32)
def load_policy_file(path: str) -> Policy:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(path, "", f"cannot be read ({exc.strerror or exc})") from exc
    return parse_policy(text, path)


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))


def preset_path(name: str) -> Path:
    return PRESET_DIR / f"{name}.yaml"


def deployment_policy_source() -> str:
    """The file the deployment's policy comes from (setting or environment)."""
    own = getattr(settings, "TANDEM_SHARING_POLICY_FILE", None) or os.environ.get("TANDEM_SHARING_POLICY_FILE")
    if own:
        return str(own)
    name = (
        getattr(settings, "TANDEM_SHARING_POLICY", None) or os.environ.get("TANDEM_SHARING_POLICY") or "independent-ngo"
    )
    if name not in preset_names():
        raise PolicyError(
            "TANDEM_SHARING_POLICY",
            "",
            f"unknown preset {name!r} (expected one of: "
            f"{_choices_text(preset_names())}, or set TANDEM_SHARING_POLICY_FILE)",
        )
    return str(preset_path(name))


def deployment_policy() -> Policy:
    return load_policy_file(deployment_policy_source())


def policy_named(name: str) -> Policy:
    """A preset by name, or the deployment's own file when it carries that name."""
    deployment = deployment_policy()
    if not name or name == deployment.name:
        return deployment
    if name in preset_names():
        return load_policy_file(str(preset_path(name)))
    raise PolicyError(
        f"programme sharing_policy {name!r}",
        "",
        f"no such policy (expected one of: {_choices_text(sorted({*preset_names(), deployment.name}))})",
    )


def policy_for_programme(programme) -> Policy:
    """The programme's own choice when it names one, else the deployment's policy."""
    return policy_named((getattr(programme, "sharing_policy", "") or "").strip())


def all_policy_problems() -> list[str]:
    """Every problem with the deployment's policy and the presets, for the start-up check."""
    problems: list[str] = []
    try:
        deployment_policy()
    except PolicyError as exc:
        problems.append(str(exc))
    for name in preset_names():
        try:
            load_policy_file(str(preset_path(name)))
        except PolicyError as exc:
            problems.append(str(exc))
    return problems
