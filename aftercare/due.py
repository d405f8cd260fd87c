"""Due items from release planning and aftercare, registered in cases.due.DUE_ITEM_PROVIDERS."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import gettext as _

from cases.due import DueItem, case_url

from . import selectors
from .models import ConferenceKind, PhaseKind, ReleaseCheck

if TYPE_CHECKING:
    from cases.models import CaseQuerySet


def release_warnings_due(cases_qs: CaseQuerySet, today: dt.date) -> list[DueItem]:
    """Release-day warnings nobody has acknowledged yet: due by the release date."""
    labels = dict(ReleaseCheck.choices)
    items = []
    for plan, check in selectors.open_release_warnings(cases_qs):
        label = _("%(check)s (%(day)s): acknowledge on the case page") % {
            "check": labels[check.kind],
            "day": formats.date_format(plan.release_on, "SHORT_DATE_FORMAT"),
        }
        items.append(
            DueItem(
                plan.case,
                "release_check",
                label,
                plan.release_on,
                plan.release_on < today,
                case_url(plan.case, "release"),
                key=f"{check.kind}-{plan.release_on.isoformat()}",
            )
        )
    return items


def conferences_due(cases_qs: CaseQuerySet, today: dt.date) -> list[DueItem]:
    """Social-net conferences planned within two weeks or past and not yet recorded."""
    items = []
    for conference in selectors.conferences_due(cases_qs, today):
        day = formats.date_format(conference.scheduled_on, "SHORT_DATE_FORMAT")
        if conference.kind == ConferenceKind.FOLLOW_UP:
            label = _("Follow-up social-net conference planned for %(day)s") % {"day": day}
        else:
            label = _("Social-net conference planned for %(day)s") % {"day": day}
        items.append(
            DueItem(
                conference.case,
                "conference",
                label,
                conference.scheduled_on,
                conference.scheduled_on < today,
                case_url(conference.case, "release"),
                key=f"conference-{conference.pk}",
            )
        )
    return items


def aftercare_frequency_due(cases_qs: CaseQuerySet, today: dt.date) -> list[DueItem]:
    """Released clients with fewer contacts in the rolling window than their current phase asks for."""
    phases = dict(PhaseKind.choices)
    items = []
    for plan, status in selectors.frequency_statuses(cases_qs, today):
        phase = status.phase
        if not status.below or phase is None or status.due_on is None:  # below a target means both are set
            continue
        label = _("Aftercare (%(phase)s): %(contacts)s of %(required)s contacts in the last %(days)s days") % {
            "phase": phases[phase.kind],
            "contacts": status.contacts,
            "required": status.required,
            "days": status.window_days,
        }
        items.append(
            DueItem(
                plan.case,
                "aftercare",
                label,
                status.due_on,
                status.due_on < today,
                case_url(plan.case, "release"),
                key=f"phase-{phase.starts_month}",
            )
        )
    return items
