"""The one door out: every piece of information that leaves the programme goes through `disclose`.

Other features (referrals, case conferences, reports) call `disclose(...)` and either get the
recorded Disclosure back or a `DisclosureRefused` whose `reason` a practitioner can read. A refused
attempt is recorded (and audited) in its own transaction before the exception is raised: a caller
that runs inside its own `transaction.atomic()` must catch DisclosureRefused inside that block, or
its rollback takes the record of the refusal with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.models import Outcome as AuditOutcome
from audit.services import audit_record

from .decisions import Decision, _label, case_facts_for_disclosure, compose_content, decide
from .models import (
    BreakGlassGrant,
    ConcernKind,
    ConcernStatus,
    Consent,
    ConsentForm,
    Disclosure,
    Outcome,
    Partner,
    PartnerContact,
    SecurityConcern,
)
from .policy import DataCategory, Ground, Purpose, RecipientCategory, policy_for_programme

if TYPE_CHECKING:
    from cases.models import Case

BREAK_GLASS_DEFAULT_HOURS = 4
BREAK_GLASS_MAX_HOURS = 12


class DisclosureRefused(Exception):
    """The disclosure was not allowed; `reason` says why, `attempt` is the recorded refusal."""

    def __init__(self, reason: str, attempt: Disclosure | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.attempt = attempt


def _on_case(user: User, case: Case) -> bool:
    import access

    return access.cases_for(user).filter(pk=case.pk).exists()


def _restricted(case: Case) -> bool:
    return getattr(case.client, "restricted_at", None) is not None


def _may_edit_partners(user: User) -> bool:
    return bool(user.organisation_id) and bool(user.role_codes() & {Role.SUPERVISOR, Role.PROGRAMME_MANAGER})


def _validate_request(
    *,
    actor: User,
    recipient_category: str,
    partner: Partner | None,
    data_categories: list[str],
    purpose: str,
    ground: str,
) -> str:
    errors: dict[str, str] = {}
    if partner is not None:
        if partner.organisation_id != actor.organisation_id:
            errors["partner"] = _("Choose a partner of your own organisation.")
        elif recipient_category and recipient_category != partner.category:
            errors["recipient_category"] = _(
                "The partner belongs to the category “%(category)s”; choose that category or another partner."
            ) % {"category": _label(RecipientCategory, partner.category)}
        recipient_category = recipient_category or partner.category
    if recipient_category not in RecipientCategory.values:
        errors["recipient_category"] = _("Choose who receives the information.")
    if not data_categories:
        errors["data_categories"] = _("Choose at least one kind of information to share.")
    elif any(c not in DataCategory.values for c in data_categories):
        errors["data_categories"] = _("Choose kinds of information from the list.")
    if purpose not in Purpose.values:
        errors["purpose"] = _("Choose the purpose of sharing.")
    if ground not in Ground.values:
        errors["ground"] = _("Choose the ground: the client's consent or a legal ground.")
    if errors:
        raise ValidationError(errors)
    return recipient_category


def disclose(
    *,
    actor: User,
    case: Case,
    recipient_category: str = "",
    partner: Partner | None = None,
    data_categories: Iterable[str],
    purpose: str,
    ground: str,
    legal_basis: str = "",
    content: str = "",
    channel: str = "",
    concern: SecurityConcern | None = None,
    source: str = "sharing",
) -> Disclosure:
    """Share information about a case outside the programme, if the programme's policy allows it.

    Allowed: the Disclosure (categories, recipient, ground, actor, time, sealed content) is recorded
    and returned. Refused: the attempt and its reason are recorded, then DisclosureRefused is raised.
    Input a practitioner must correct raises ValidationError and records nothing.
    `content` is the practitioner's message; the system adds the case facts for the chosen
    categories itself (never withdrawal or suspension, unless the policy makes that a legal duty).
    """
    categories = [c for c in DataCategory.values if c in set(data_categories)] if data_categories else []
    unknown = set(data_categories or []) - set(DataCategory.values)
    recipient_category = _validate_request(
        actor=actor,
        recipient_category=recipient_category,
        partner=partner,
        data_categories=categories + sorted(unknown),
        purpose=purpose,
        ground=ground,
    )
    policy = policy_for_programme(case.programme)
    if not _on_case(actor, case):
        decision = Decision(False, _("Only staff who may open this case can share information about it."))
    elif _restricted(case):
        decision = Decision(False, _("The client's record is restricted: nothing from it may be shared."))
    else:
        decision = decide(
            policy=policy,
            case=case,
            recipient_category=recipient_category,
            partner=partner,
            data_categories=categories,
            purpose=purpose,
            ground=ground,
            legal_basis=legal_basis,
            concern=concern,
        )
    record = dict(
        case=case,
        recipient_category=recipient_category,
        partner=partner,
        data_categories=categories,
        purpose=purpose,
        ground=ground,
        channel=channel[:60],
        concern=concern,
        by=actor,
        policy_name=policy.name,
        source=source[:40],
    )
    if not decision.allowed:
        with transaction.atomic():
            attempt = Disclosure.objects.create(
                outcome=Outcome.REFUSED,
                reason=decision.reason[:300],
                legal_basis=legal_basis.strip(),
                content="",
                **record,
            )
            audit_record(
                "disclosure.refused",
                attempt,
                outcome=AuditOutcome.DENIED,
                detail=f"{recipient_category} {','.join(categories)} {ground}",
                actor=actor,
            )
        raise DisclosureRefused(decision.reason, attempt)
    facts = case_facts_for_disclosure(case, categories, policy, recipient_category)
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            outcome=Outcome.DISCLOSED,
            consent=decision.consent,
            legal_basis=decision.legal_basis,
            content=compose_content(facts, content),
            **record,
        )
        audit_record(
            "disclosure.create", disclosure, detail=f"{recipient_category} {','.join(categories)} {ground}", actor=actor
        )
    return disclosure


# ---- consent -----------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor: User,
    case: Case,
    data_categories: Iterable[str],
    purpose: str,
    form: str,
    given_on: dt.date,
    recipient_category: str = "",
    partner: Partner | None = None,
    witness: str = "",
    valid_until: dt.date | None = None,
    note: str = "",
) -> Consent:
    """Record the client's consent to share the named categories with one recipient for one purpose."""
    categories = [c for c in DataCategory.values if c in set(data_categories or [])]
    errors: dict[str, str] = {}
    if not _on_case(actor, case):
        raise ValidationError({"case": _("Only staff who may open this case can record a consent.")})
    if _restricted(case):
        raise ValidationError({"case": _("The client's record is restricted: record no new consent.")})
    if partner is not None:
        if partner.organisation_id != actor.organisation_id:
            errors["partner"] = _("Choose a partner of your own organisation.")
        elif recipient_category and recipient_category != partner.category:
            errors["recipient_category"] = _(
                "The partner belongs to another category; leave the category empty or choose the matching one."
            )
        recipient_category = partner.category
    if recipient_category not in RecipientCategory.values:
        errors["recipient_category"] = _("Choose a partner or a recipient category.")
    if not categories or len(categories) != len(set(data_categories)):
        errors["data_categories"] = _("Choose at least one kind of information from the list.")
    if purpose not in Purpose.values:
        errors["purpose"] = _("Choose the purpose the client agreed to.")
    if form not in ConsentForm.values:
        errors["form"] = _("Choose how the consent was given.")
    elif form == ConsentForm.VERBAL_WITNESSED and not witness.strip():
        errors["witness"] = _("Name the witness of a verbal consent.")
    if given_on > timezone.localdate():
        errors["given_on"] = _("The date the consent was given cannot be in the future.")
    if valid_until is not None and valid_until < given_on:
        errors["valid_until"] = _("“Valid until” must be on or after the day the consent was given.")
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        case=case,
        data_categories=categories,
        recipient_category=recipient_category,
        partner=partner,
        purpose=purpose,
        form=form,
        witness=witness.strip()[:200],
        given_on=given_on,
        valid_until=valid_until,
        note=note.strip(),
        recorded_by=actor,
    )
    audit_record("consent.create", consent, actor=actor)
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent) -> Consent:
    """Withdrawal takes effect at once: no disclosure can rest on this consent from now on."""
    consent = Consent.objects.select_for_update().select_related("case").get(pk=consent.pk)
    if not _on_case(actor, consent.case):
        raise ValidationError({"consent": _("Only staff who may open this case can record a withdrawal.")})
    if consent.withdrawn_at is not None:
        raise ValidationError({"consent": _("This consent was already withdrawn.")})
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_record("consent.withdraw", consent, actor=actor)
    return consent


# ---- partners ----------------------------------------------------------------------------------


def _partner_errors(*, organisation_id: int, name: str, category: str, exclude_pk: int | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    same_name = Partner.objects.filter(organisation_id=organisation_id, name__iexact=name.strip())
    if exclude_pk is not None:
        same_name = same_name.exclude(pk=exclude_pk)
    if not name.strip():
        errors["name"] = _("Enter the organisation's name.")
    elif same_name.exists():
        errors["name"] = _("A partner with this name is already in the directory.")
    if category not in RecipientCategory.values:
        errors["category"] = _("Choose the kind of organisation.")
    return errors


@transaction.atomic
def partner_create(*, actor: User, name: str, category: str, region: str = "", notes: str = "") -> Partner:
    organisation_id = actor.organisation_id
    if organisation_id is None or not _may_edit_partners(actor):
        raise ValidationError({"name": _("Only supervisors and programme managers edit the partner directory.")})
    errors = _partner_errors(organisation_id=organisation_id, name=name, category=category)
    if errors:
        raise ValidationError(errors)
    partner = Partner.objects.create(
        organisation_id=organisation_id,
        name=name.strip(),
        category=category,
        region=region.strip(),
        notes=notes.strip(),
    )
    audit_record("partner.create", partner, actor=actor)
    return partner


@transaction.atomic
def partner_update(
    *, actor: User, partner: Partner, name: str, category: str, region: str = "", notes: str = "", active: bool = True
) -> Partner:
    if not _may_edit_partners(actor) or partner.organisation_id != actor.organisation_id:
        raise ValidationError({"name": _("Only supervisors and programme managers edit the partner directory.")})
    errors = _partner_errors(
        organisation_id=partner.organisation_id, name=name, category=category, exclude_pk=partner.pk
    )
    if errors:
        raise ValidationError(errors)
    partner.name, partner.category, partner.region = name.strip(), category, region.strip()
    partner.notes, partner.active = notes.strip(), active
    partner.save(update_fields=["name", "category", "region", "notes", "active"])
    audit_record("partner.update", partner, actor=actor)
    return partner


@transaction.atomic
def partner_contact_add(
    *, actor: User, partner: Partner, name: str, role: str = "", phone: str = "", email: str = ""
) -> PartnerContact:
    if not _may_edit_partners(actor) or partner.organisation_id != actor.organisation_id:
        raise ValidationError({"name": _("Only supervisors and programme managers edit the partner directory.")})
    if not name.strip():
        raise ValidationError({"name": _("Enter the contact person's name.")})
    contact = PartnerContact.objects.create(
        partner=partner, name=name.strip(), role=role.strip(), phone=phone.strip(), email=email.strip()
    )
    audit_record("partner.contact_add", contact, actor=actor)
    return contact


@transaction.atomic
def partner_contact_remove(*, actor: User, contact: PartnerContact) -> None:
    if not _may_edit_partners(actor) or contact.partner.organisation_id != actor.organisation_id:
        raise ValidationError({"name": _("Only supervisors and programme managers edit the partner directory.")})
    audit_record("partner.contact_remove", contact, actor=actor)
    contact.delete()


# ---- security concerns -------------------------------------------------------------------------


def _works_on_case(user: User, case: Case) -> bool:
    import access
    from cases.models import CaseAssignment

    return CaseAssignment.objects.filter(case=case, staff=user).current().exists() or access.supervises(user, case)


@transaction.atomic
def concern_raise(
    *,
    actor: User,
    case: Case,
    kind: str,
    justification: str,
    alert: bool = False,
    recipient_category: str = "",
    partner: Partner | None = None,
    data_categories: Iterable[str] = (),
    alert_content: str = "",
) -> SecurityConcern:
    """Record a security concern; with `alert`, an alert to an authority waits for a second approver."""
    errors: dict[str, str] = {}
    if not _works_on_case(actor, case) or not _on_case(actor, case):
        raise ValidationError({"case": _("Only the practitioners on the case and its supervisors raise a concern.")})
    if kind not in ConcernKind.values:
        errors["kind"] = _("Choose whom the danger concerns.")
    if len(justification.strip()) < 20:
        errors["justification"] = _("Write down what you observed and why it worries you (at least a sentence).")
    categories = [c for c in DataCategory.values if c in set(data_categories)]
    if alert:
        if partner is not None:
            if partner.organisation_id != actor.organisation_id:
                errors["partner"] = _("Choose a partner of your own organisation.")
            recipient_category = partner.category
        if recipient_category not in RecipientCategory.values:
            errors["recipient_category"] = _("Choose the authority to alert.")
        if not categories:
            errors["data_categories"] = _("Choose what the alert tells the authority.")
        if not alert_content.strip():
            errors["alert_content"] = _("Write the alert message.")
    if errors:
        raise ValidationError(errors)
    concern = SecurityConcern.objects.create(
        case=case,
        kind=kind,
        justification=justification.strip(),
        raised_by=actor,
        status=ConcernStatus.ALERT_PENDING if alert else ConcernStatus.OPEN,
        alert_recipient_category=recipient_category if alert else "",
        alert_partner=partner if alert else None,
        alert_categories=categories if alert else [],
        alert_content=alert_content.strip() if alert else "",
    )
    audit_record("concern.raise", concern, detail="alert pending" if alert else "", actor=actor)
    return concern


def concern_approve_alert(*, actor: User, concern: SecurityConcern) -> Disclosure:
    """The second approval: a supervisor other than the raiser sends the alert through `disclose`."""
    import access

    with transaction.atomic():
        concern = (
            SecurityConcern.objects.select_for_update()
            .select_related("case__client", "case__programme")
            .get(pk=concern.pk)
        )
        if concern.status != ConcernStatus.ALERT_PENDING:
            raise ValidationError({"concern": _("This concern has no alert waiting for approval.")})
        if not access.supervises(actor, concern.case) or not _on_case(actor, concern.case):
            raise ValidationError({"concern": _("Only a supervisor of the case approves an alert.")})
        if actor.pk == concern.raised_by_id:
            raise ValidationError({"concern": _("A second person must approve: you raised this concern yourself.")})
        concern.approved_by, concern.approved_at = actor, timezone.now()
        concern.save(update_fields=["approved_by", "approved_at"])
        audit_record("concern.approve", concern, actor=actor)
    try:
        disclosure = disclose(
            actor=actor,
            case=concern.case,
            recipient_category=concern.alert_recipient_category,
            partner=concern.alert_partner,
            data_categories=concern.alert_categories,
            purpose=Purpose.SAFETY,
            ground=Ground.IMMINENT_DANGER,
            legal_basis=_("Imminent danger: security concern of %(date)s")
            % {"date": formats.date_format(timezone.localtime(concern.raised_at), "DATETIME_FORMAT")},
            content=concern.alert_content or "",
            concern=concern,
            source="security_concern",
        )
    except DisclosureRefused:
        SecurityConcern.objects.filter(pk=concern.pk).update(status=ConcernStatus.ALERT_REFUSED)
        raise
    SecurityConcern.objects.filter(pk=concern.pk).update(status=ConcernStatus.ALERT_SENT)
    return disclosure


# ---- break-glass -------------------------------------------------------------------------------


@transaction.atomic
def break_glass_open(
    *, actor: User, case: Case, justification: str, hours: int = BREAK_GLASS_DEFAULT_HOURS
) -> BreakGlassGrant:
    """A supervisor opens a case outside their teams for a limited time; audited and reviewed."""
    from cases.models import ClientExclusion

    errors: dict[str, str] = {}
    if not actor.has_role(Role.SUPERVISOR) or case.programme.organisation_id != actor.organisation_id:
        raise ValidationError({"pseudonym": _("Only a supervisor of the same organisation can open a case this way.")})
    if ClientExclusion.objects.filter(client_id=case.client_id, staff=actor).exists():
        audit_record("case.break_glass", case, outcome=AuditOutcome.DENIED, detail="excluded", actor=actor)
        raise ValidationError({"pseudonym": _("You are excluded from this client; ask another supervisor.")})
    if len(justification.strip()) < 20:
        errors["justification"] = _("Write down why you must open this case now (at least a sentence).")
    if not 1 <= hours <= BREAK_GLASS_MAX_HOURS:
        errors["hours"] = _("Choose between 1 and %(max)s hours.") % {"max": BREAK_GLASS_MAX_HOURS}
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        case=case,
        user=actor,
        justification=justification.strip(),
        granted_at=now,
        expires_at=now + dt.timedelta(hours=hours),
    )
    audit_record("case.break_glass", case, detail=f"granted {hours}h", actor=actor)
    return grant


@transaction.atomic
def break_glass_review(*, actor: User, grant: BreakGlassGrant, note: str = "") -> BreakGlassGrant:
    if not actor.has_role(Role.PROGRAMME_MANAGER) or grant.case.programme.organisation_id != actor.organisation_id:
        raise ValidationError({"note": _("Only a programme manager of the organisation reviews break-glass access.")})
    if grant.reviewed_at is not None:
        raise ValidationError({"note": _("This access was already reviewed.")})
    grant.reviewed_by, grant.reviewed_at, grant.review_note = actor, timezone.now(), note.strip()
    grant.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    audit_record("break_glass.review", grant, actor=actor)
    return grant
