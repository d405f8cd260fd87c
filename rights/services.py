"""The write layer for data-subject rights: restriction, legal holds, retention. Pages, commands and jobs call these."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from cases.lifecycle import State
from cases.models import Client
from programmes.models import Organisation, Programme

from .models import HoldBasis, LegalHold, Restriction, RetentionRun
from .selectors import client_retention_ends

if TYPE_CHECKING:
    from accounts.models import User

log = logging.getLogger(__name__)

# Cases that ended before the work began are kept for the shorter period of their programme.
MAX_RETENTION_MONTHS = 12 * 30


def _required_text(value: str, field_name: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field_name: message})
    return value


# Restriction of processing (Art. 18)


@transaction.atomic
def restriction_set(*, actor: User, client: Client, reason: str) -> Restriction:
    """Restrict the client's record: readable by the tandem; no edits, exports or disclosures until lifted."""
    reason = _required_text(
        reason, "reason", _("Say why the record is restricted (for example: the client contests its accuracy).")
    )
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.restricted_at is not None:
        raise ValidationError(_("The record is already restricted."))
    now = timezone.now()
    restriction = Restriction.objects.create(client=client, reason=reason, started_at=now, started_by=actor)
    Client.objects.filter(pk=client.pk).update(restricted_at=now)
    audit_record("client.restrict", client, actor=actor)
    return restriction


@transaction.atomic
def restriction_lift(*, actor: User, client: Client, reason: str) -> Restriction:
    reason = _required_text(reason, "reason", _("Say why the restriction ends."))
    client = Client.objects.select_for_update().get(pk=client.pk)
    restriction = Restriction.objects.filter(client=client, lifted_at__isnull=True).first()
    if client.restricted_at is None or restriction is None:
        raise ValidationError(_("The record is not restricted."))
    restriction.lifted_at, restriction.lifted_by, restriction.lift_reason = timezone.now(), actor, reason
    restriction.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    Client.objects.filter(pk=client.pk).update(restricted_at=None)
    audit_record("client.restriction_lift", client, actor=actor)
    return restriction


# Legal holds


@transaction.atomic
def legal_hold_place(
    *, actor: User, client: Client, basis: str, reason: str, until: dt.date | None = None
) -> LegalHold:
    """Record why the client's data must be kept; erasure (by hand or by retention) is refused while it applies."""
    if basis not in HoldBasis.values:
        raise ValidationError({"basis": _("Choose the legal basis of the hold.")})
    reason = _required_text(reason, "reason", _("Describe the hold (for example: the case number of the proceedings)."))
    if until is not None and until < timezone.localdate():
        raise ValidationError({"until": _("A hold cannot end in the past.")})
    if client.erased_at is not None:
        raise ValidationError(_("The client's data was already erased."))
    hold = LegalHold.objects.create(client=client, basis=basis, reason=reason, until=until, placed_by=actor)
    audit_record("client.legal_hold", hold, detail=basis, actor=actor)
    return hold


@transaction.atomic
def legal_hold_release(*, actor: User, hold: LegalHold) -> LegalHold:
    if hold.released_at is not None:
        raise ValidationError(_("This hold was already released."))
    hold.released_at, hold.released_by = timezone.now(), actor
    hold.save(update_fields=["released_at", "released_by"])
    audit_record("client.legal_hold_release", hold, actor=actor)
    return hold


# Retention


@transaction.atomic
def retention_rules_set(
    *, actor: User | None, programme: Programme, closed_months: int, not_taken_up_months: int
) -> Programme:
    """The programme's retention periods; `actor` None when no one in particular sets them (the demo seed)."""
    errors = {}
    for name, value in (
        ("retention_closed_months", closed_months),
        ("retention_not_taken_up_months", not_taken_up_months),
    ):
        if not isinstance(value, int) or not 1 <= value <= MAX_RETENTION_MONTHS:
            errors[name] = _("Enter a number of months between 1 and %(max)s.") % {"max": MAX_RETENTION_MONTHS}
    if errors:
        raise ValidationError(errors)
    programme.retention_closed_months, programme.retention_not_taken_up_months = closed_months, not_taken_up_months
    programme.save(update_fields=["retention_closed_months", "retention_not_taken_up_months"])
    audit_record("programme.retention", programme, detail=f"{closed_months}/{not_taken_up_months} months", actor=actor)
    return programme


@dataclass
class RetentionReport:
    runs: list[RetentionRun] = field(default_factory=list)

    @property
    def erased(self) -> int:
        return sum(r.erased for r in self.runs)


def retention_apply(*, today: dt.date | None = None, organisation: Organisation | None = None) -> RetentionReport:
    """Erase every client whose cases have all been closed for longer than their programme keeps them.

    Clients under an active legal hold or a restriction are kept and counted. Running it again the same day
    erases nothing more (erased clients are not examined again). One RetentionRun per organisation.
    """
    from cases.services import client_erase

    today = today or timezone.localdate()
    report = RetentionReport()
    organisations = [organisation] if organisation else list(Organisation.objects.order_by("pk"))
    for org in organisations:
        candidates = (
            Client.objects.filter(organisation=org, erased_at__isnull=True, cases__isnull=False)
            .exclude(cases__state__in=[s for s in State.values if s != State.CLOSED])
            .distinct()
            .prefetch_related("cases__programme")
            .order_by("pseudonym")
        )
        held = set(LegalHold.objects.active(today).filter(client__organisation=org).values_list("client_id", flat=True))
        run = RetentionRun(organisation=org, as_of=today)
        for client in candidates:
            run.examined += 1
            ends = client_retention_ends(list(client.cases.all()))
            if ends is None or ends >= today:
                continue
            if client.pk in held:
                run.skipped_held += 1
                continue
            if client.restricted_at is not None:
                run.skipped_restricted += 1
                continue
            audit_record("retention.erase", client, detail=f"kept until {ends.isoformat()}")
            client_erase(actor=None, client=client)
            run.erased += 1
            run.pseudonyms.append(client.pseudonym)
        run.save()
        audit_record(
            "retention.run",
            run,
            detail=f"{run.erased} erased, {run.skipped_held} held, {run.skipped_restricted} restricted",
        )
        log.info(
            "retention %s: %s examined, %s erased, %s held, %s restricted",
            org.slug,
            run.examined,
            run.erased,
            run.skipped_held,
            run.skipped_restricted,
        )
        report.runs.append(run)
    return report
