"""Due and overdue items for cases, contributed by apps through one registry.

Each provider is a function `(cases_qs, today) -> list[DueItem]` named by dotted path in
`DUE_ITEM_PROVIDERS`. `cases_qs` is a queryset of the cases to look at (the caller has already
limited it to what the user may see, or to all open cases for the daily reminder job); `today` is a
local date. A provider keeps its query count flat: a fixed number of queries however many cases.

Apps add one line to `DUE_ITEM_PROVIDERS`. The caseload and the daily reminder job both read
`due_items()`, so whatever is due shows in both places.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from cases.models import Case, CaseQuerySet

GOAL_DUE_WINDOW_DAYS = 7


@dataclass
class DueItem:
    case: Case
    kind: str  # e.g. "contact", "tandem", "goal", "reassessment", "release_check", "aftercare"
    label: str  # names what is due, never case content
    due_on: dt.date
    overdue: bool
    url: str
    key: str = ""  # identifies the item for one case (reminders send one notification per key and day)

    @property
    def uniqueness_key(self) -> str:
        return f"{self.case.pk}:{self.kind}:{self.key or self.due_on.isoformat()}"


DUE_ITEM_PROVIDERS: list[str] = [
    "cases.due.contact_due",
    "cases.due.tandem_due",
    "cases.due.goals_due",
    "assessments.selectors.reassessments_due",
    "aftercare.due.release_warnings_due",
    "aftercare.due.conferences_due",
    "aftercare.due.aftercare_frequency_due",
]


def case_url(case, anchor: str = "") -> str:
    url = reverse("case_detail", args=[case.pk])
    return f"{url}#{anchor}" if anchor else url


def due_items(cases_qs: CaseQuerySet, today: dt.date | None = None) -> list[DueItem]:
    """Everything due on these cases from every registered provider, earliest first."""
    today = today or timezone.localdate()
    items: list[DueItem] = []
    for path in DUE_ITEM_PROVIDERS:
        items.extend(import_string(path)(cases_qs, today))
    return sorted(items, key=lambda item: (item.due_on, item.kind))


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def contact_due(cases_qs: CaseQuerySet, today: dt.date) -> list[DueItem]:
    """Open cases without a contact within their programme's expected interval.

    The database picks the late cases (one condition per distinct interval), so only they are loaded."""
    from programmes.models import Programme

    late = Q(last_contact_at__isnull=True)
    for interval in set(Programme.objects.values_list("contact_interval_days", flat=True)):
        # More than `interval` local days since the last contact: before the start of (today - interval).
        late |= Q(
            programme__contact_interval_days=interval,
            last_contact_at__lt=_local_midnight(today - dt.timedelta(days=interval)),
        )
    items = []
    for case in cases_qs.open().filter(late).select_related("client", "programme"):
        interval = case.programme.contact_interval_days
        if case.last_contact_at is None:
            items.append(
                DueItem(
                    case,
                    "contact",
                    _("No contact recorded yet"),
                    case.opened_on,
                    case.opened_on < today,
                    case_url(case),
                    key="none",
                )
            )
            continue
        last = timezone.localtime(case.last_contact_at).date()
        days = (today - last).days
        if days > interval:
            due_on = last + dt.timedelta(days=interval)
            items.append(
                DueItem(
                    case,
                    "contact",
                    _("No contact for %(days)s days (expected every %(interval)s)")
                    % {"days": days, "interval": interval},
                    due_on,
                    due_on < today,
                    case_url(case),
                    key=last.isoformat(),
                )
            )
    return items


def tandem_due(cases_qs: CaseQuerySet, today: dt.date) -> list[DueItem]:
    """Worked cases whose tandem misses a case manager or a co-worker (only those are loaded)."""
    from .lifecycle import WORKED_STATES
    from .models import AssignmentRole, CaseAssignment

    current = CaseAssignment.objects.current(today).filter(case=OuterRef("pk"))
    incomplete = ~Exists(current.filter(role=AssignmentRole.CASE_MANAGER)) | ~Exists(
        current.filter(role=AssignmentRole.CO_WORKER)
    )
    items = []
    from .selectors import with_current_tandem

    for case in with_current_tandem(cases_qs.filter(state__in=WORKED_STATES).filter(incomplete), today):
        since = timezone.localtime(case.state_changed_at).date()
        roles = {a.role for a in case.current_tandem}
        url = case_url(case, "team-heading")
        if AssignmentRole.CASE_MANAGER not in roles:
            items.append(
                DueItem(case, "tandem", _("No case manager assigned"), since, since < today, url, key="case_manager")
            )
        if AssignmentRole.CO_WORKER not in roles:
            items.append(
                DueItem(case, "tandem", _("No co-worker assigned"), since, since < today, url, key="co_worker")
            )
    return items


def goals_due(cases_qs: CaseQuerySet, today: dt.date) -> list[DueItem]:
    """Open plan goals whose target date is past or within a week."""
    from planning.models import OPEN_GOAL_STATUSES, Goal

    horizon = today + dt.timedelta(days=GOAL_DUE_WINDOW_DAYS)
    goals = (
        Goal.objects.filter(need__case__in=cases_qs.open(), status__in=OPEN_GOAL_STATUSES, target_date__lte=horizon)
        .select_related("need__case__client", "need__case__programme")
        .order_by("target_date")
    )
    items = []
    for goal in goals:
        case = goal.need.case
        if goal.target_date is None:  # filtered out above
            continue
        if goal.target_date < today:
            label = _("Plan goal overdue since %(date)s") % {"date": goal.target_date.isoformat()}
        else:
            label = _("Plan goal due on %(date)s") % {"date": goal.target_date.isoformat()}
        items.append(
            DueItem(
                case,
                "goal",
                label,
                goal.target_date,
                goal.target_date < today,
                case_url(case, "plan"),
                key=f"goal-{goal.pk}",
            )
        )
    return items
