"""The data-protection section of the case page."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from cases.lifecycle import ClosureReason, State
from tandem.dates import add_months

from .models import LegalHold

if TYPE_CHECKING:
    from accounts.models import User

NOT_TAKEN_UP = frozenset({ClosureReason.DECLINED_BY_CLIENT, ClosureReason.NOT_ACCEPTED})


def case_section_context(case, user: User) -> dict:
    return {
        "rights_restricted_at": case.client.restricted_at,
        "rights_active_holds": LegalHold.objects.active().filter(client_id=case.client_id).count(),
    }


def case_retention_ends(case) -> dt.date | None:
    """The day after which a closed case may be erased; None while the case is open."""
    if case.state != State.CLOSED:
        return None
    months = (
        case.programme.retention_not_taken_up_months
        if case.closure_reason in NOT_TAKEN_UP
        else case.programme.retention_closed_months
    )
    return add_months(timezone.localdate(case.state_changed_at), months)


def client_retention_ends(cases) -> dt.date | None:
    """A client is kept until the period of every one of their cases has passed."""
    ends = [case_retention_ends(c) for c in cases]
    known = [e for e in ends if e is not None]
    if not ends or len(known) < len(ends):
        return None
    return max(known)
