"""What the sharing policy decides, and what a disclosure may say about a case: reads, no writes.

`sharing.services.disclose` asks `decide` and writes what it answers; pages ask it to explain a refusal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.lifecycle import ClosureReason, State

from .models import Consent, Partner, SecurityConcern
from .policy import DataCategory, Ground, Policy, Purpose, RecipientCategory, Rule

if TYPE_CHECKING:
    from django.db.models import TextChoices

    from cases.models import Case

WITHDRAWN_REASONS = frozenset({ClosureReason.ENDED_BY_CLIENT, ClosureReason.DECLINED_BY_CLIENT})


def _label(choices: type[TextChoices], value: str) -> str:
    return str(dict(choices.choices).get(value, value))


def _labels(choices: type[TextChoices], values: Iterable[str]) -> str:
    return ", ".join(_label(choices, v) for v in values)


# ---- what may be said about a case -------------------------------------------------------------


def client_has_withdrawn(case: Case) -> bool:
    """Paused or dropped out: facts that must never be held against the client or passed on."""
    return case.state == State.SUSPENDED or (case.state == State.CLOSED and case.closure_reason in WITHDRAWN_REASONS)


@dataclass(frozen=True)
class Fact:
    category: str
    label: str
    value: str


def case_facts_for_disclosure(
    case: Case, categories: Iterable[str], policy: Policy, recipient_category: str
) -> list[Fact]:
    """The facts the system itself writes into a disclosure, per data category.

    Withdrawal, suspension and dropping out (and the history of them) are left out unless the
    policy makes reporting them a legal duty for this recipient and category.
    """
    categories = [c for c in DataCategory.values if c in set(categories)]
    withdrawn = client_has_withdrawn(case)
    client = case.client
    facts: list[Fact] = []

    def add(category: str, label: str, value: object) -> None:
        if value not in (None, ""):
            facts.append(Fact(category, label, str(value)))

    for category in categories:
        duty = policy.rule(recipient_category, category).report_withdrawal
        if category == DataCategory.IDENTITY:
            add(category, _("Pseudonym"), client.pseudonym)
            add(category, _("Name"), client.full_name)
            add(category, _("Date of birth"), client.date_of_birth)
        elif category == DataCategory.CONTACT_DETAILS:
            add(category, _("Phone"), client.phone)
            add(category, _("E-mail"), client.email)
            add(category, _("Address"), client.address)
        elif category == DataCategory.ATTENDANCE:
            if withdrawn and duty:
                add(
                    category,
                    _("Takes part in the programme"),
                    _("no (%(state)s since %(date)s)")
                    % {
                        "state": _label(ClosureReason, case.closure_reason)
                        if case.closure_reason
                        else _label(State, case.state),
                        "date": formats.date_format(timezone.localtime(case.state_changed_at).date(), "DATE_FORMAT"),
                    },
                )
            elif not withdrawn and case.state != State.CLOSED:
                add(
                    category,
                    _("Takes part in the programme"),
                    _("yes, since %(date)s") % {"date": formats.date_format(case.opened_on, "DATE_FORMAT")},
                )
        elif category == DataCategory.PROGRESS_SUMMARY:
            if not withdrawn or duty:
                add(category, _("Stage of the work"), _label(State, case.state))
                add(category, _("Setting"), case.get_setting_display())
                if case.last_contact_at and not withdrawn:
                    add(
                        category,
                        _("Last contact"),
                        formats.date_format(timezone.localtime(case.last_contact_at).date(), "DATE_FORMAT"),
                    )
        elif category == DataCategory.RISK_ASSESSMENT:
            add(category, _("Risk level"), case.get_risk_level_display())
    return facts


def compose_content(facts: list[Fact], message: str) -> str:
    lines = [f"{fact.label}: {fact.value}" for fact in facts]
    if message.strip():
        lines += ["", message.strip()] if lines else [message.strip()]
    return "\n".join(lines)


# ---- the decision ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    consent: Consent | None = None
    legal_basis: str = ""


def _matching_consents(
    case: Case, recipient_category: str, partner: Partner | None, purpose: str, day: dt.date
) -> list[Consent]:
    consents = Consent.objects.valid_on(day).filter(case=case, purpose=purpose, recipient_category=recipient_category)
    # A consent naming one partner covers that partner only; one naming a category covers any partner in it.
    return [c for c in consents if c.partner_id is None or (partner is not None and c.partner_id == partner.pk)]


def decide(
    *,
    policy: Policy,
    case: Case,
    recipient_category: str,
    partner: Partner | None,
    data_categories: list[str],
    purpose: str,
    ground: str,
    legal_basis: str,
    concern: SecurityConcern | None = None,
) -> Decision:
    """Whether the policy allows this disclosure, without recording anything."""
    recipient = _label(RecipientCategory, recipient_category)
    rules = {c: policy.rule(recipient_category, c) for c in data_categories}
    never = [c for c, r in rules.items() if r.rule == Rule.NEVER]
    if never:
        return Decision(
            False,
            _("The sharing policy “%(policy)s” never allows %(categories)s to go to %(recipient)s.")
            % {"policy": policy.name, "categories": _labels(DataCategory, never), "recipient": recipient},
        )
    if ground == Ground.CONSENT:
        no_consent_rule = [c for c, r in rules.items() if not r.allows_consent(purpose)]
        if no_consent_rule:
            return Decision(
                False,
                _(
                    "Under the sharing policy “%(policy)s”, consent for the purpose “%(purpose)s” "
                    "does not allow %(categories)s to go to %(recipient)s."
                )
                % {
                    "policy": policy.name,
                    "purpose": _label(Purpose, purpose),
                    "categories": _labels(DataCategory, no_consent_rule),
                    "recipient": recipient,
                },
            )
        consents = _matching_consents(case, recipient_category, partner, purpose, timezone.localdate())
        covered = {c for consent in consents for c in consent.data_categories}
        missing = [c for c in data_categories if c not in covered]
        if missing:
            return Decision(
                False,
                _(
                    "No valid consent of the client covers %(categories)s for %(recipient)s and the "
                    "purpose “%(purpose)s”."
                )
                % {
                    "categories": _labels(DataCategory, missing),
                    "recipient": recipient,
                    "purpose": _label(Purpose, purpose),
                },
            )
        return Decision(True, consent=consents[0])
    not_on_ground = [c for c, r in rules.items() if not r.allows_ground(ground)]
    if not_on_ground:
        return Decision(
            False,
            _(
                "Under the sharing policy “%(policy)s”, the ground “%(ground)s” does not allow "
                "%(categories)s to go to %(recipient)s."
            )
            % {
                "policy": policy.name,
                "ground": _label(Ground, ground),
                "categories": _labels(DataCategory, not_on_ground),
                "recipient": recipient,
            },
        )
    if ground == Ground.IMMINENT_DANGER:
        approved = (
            concern is not None
            and concern.case_id == case.pk
            and concern.approved_by_id is not None
            and concern.approved_by_id != concern.raised_by_id
        )
        if not approved:
            return Decision(
                False,
                _(
                    "An imminent-danger alert needs a recorded security concern approved by a "
                    "supervisor other than the person who raised it."
                ),
            )
    basis = legal_basis.strip() or "; ".join(sorted({r.legal_basis for r in rules.values() if r.legal_basis}))
    if not basis:
        return Decision(False, _("Name the legal basis for this disclosure (the law, the court order or the danger)."))
    return Decision(True, legal_basis=basis)
