"""Reads for sharing pages: registers, the policy in plain words, the case page section."""

from __future__ import annotations

from dataclasses import dataclass

import access
from accounts.models import Role, User

from .models import BreakGlassGrant, ConcernStatus, Consent, Disclosure, Partner, SecurityConcern
from .policy import DataCategory, Ground, Policy, Purpose, RecipientCategory, Rule, policy_for_programme

REGISTER_LIMIT = 200


def case_section_context(case, user: User) -> dict:
    consents = list(Consent.objects.filter(case=case).select_related("partner"))
    disclosures = list(Disclosure.objects.filter(case=case).select_related("partner", "by"))
    concerns = list(SecurityConcern.objects.filter(case=case).select_related("raised_by", "approved_by"))
    rows: list[Consent | Disclosure | SecurityConcern] = [*consents, *disclosures, *concerns]
    for row in rows:
        row.case = case  # already loaded: not joined again (sealed fields read its client)
    supervisor = access.supervises(user, case)
    return {
        "sharing_consents": consents,
        "sharing_disclosures": disclosures,
        "sharing_concerns": concerns,
        "sharing_can_approve": supervisor,
        "sharing_pending": ConcernStatus.ALERT_PENDING,
        "sharing_break_glass": access.break_glass_grant(user, case),
    }


def partners_for(user: User):
    return (
        Partner.objects.filter(organisation_id=user.organisation_id).prefetch_related("contacts")
        if user.organisation_id
        else Partner.objects.none()
    )


def programme_register(user: User):
    """Disclosures and refused attempts on the cases this supervisor may see."""
    return Disclosure.objects.filter(case__in=access.cases_for(user)).select_related("case__client", "partner", "by")[
        :REGISTER_LIMIT
    ]


def grants_for_review(user: User):
    if not user.has_role(Role.PROGRAMME_MANAGER) or not user.organisation_id:
        return BreakGlassGrant.objects.none()
    return BreakGlassGrant.objects.filter(case__programme__organisation_id=user.organisation_id).select_related(
        "case__programme", "case__team", "user", "reviewed_by"
    )


@dataclass
class RecipientLine:
    recipient: str
    never: list[str]
    consent: list[tuple[str, str]]  # (category, purposes)
    legal: list[tuple[str, str]]  # (category, grounds)
    statutory: list[tuple[str, str]]  # (category, legal basis)


def policy_in_plain_words(policy: Policy) -> list[RecipientLine]:
    cat_labels, purpose_labels = dict(DataCategory.choices), dict(Purpose.choices)
    ground_labels = dict(Ground.choices)
    lines: list[RecipientLine] = []
    for recipient, label in RecipientCategory.choices:
        line = RecipientLine(str(label), [], [], [], [])
        for category in DataCategory.values:
            rule = policy.rule(recipient, category)
            name = str(cat_labels[category])
            grounds = ", ".join(str(ground_labels[g]) for g in sorted(rule.grounds))
            if rule.rule == Rule.NEVER:
                line.never.append(name)
            elif rule.rule == Rule.WITH_CONSENT:
                line.consent.append((name, ", ".join(str(purpose_labels[p]) for p in sorted(rule.purposes))))
                if rule.grounds:
                    line.legal.append((name, grounds))
            elif rule.rule == Rule.ON_LEGAL_GROUND:
                line.legal.append((name, grounds))
            else:
                line.statutory.append((name, rule.legal_basis))
        lines.append(line)
    return lines


def programme_policy(programme) -> Policy:
    return policy_for_programme(programme)
