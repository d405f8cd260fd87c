"""Programme numbers for managers and evaluators: counts of cases, never a row per client; cells below 5
are suppressed so that a published table cannot single anyone out."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from cases.lifecycle import ClosureReason, State
from cases.models import Case
from programmes.models import Ideology, Setting

SMALL_CELL = 5


def suppressed(count: int) -> str:
    return f"<{SMALL_CELL}" if 0 < count < SMALL_CELL else str(count)


def programme_statistics_rows(organisation_id: int) -> list[list[object]]:
    """Rows for the CSV: programme, dimension, category, number of cases (small cells suppressed)."""
    dimensions = [
        ("state", _("State"), dict(State.choices)),
        ("setting", _("Setting"), dict(Setting.choices)),
        ("ideology", _("Ideology context"), dict(Ideology.choices)),
        ("closure_reason", _("Closure reason"), dict(ClosureReason.choices)),
    ]
    cases = Case.objects.filter(programme__organisation_id=organisation_id, client__erased_at__isnull=True)
    rows: list[list[object]] = [[_("Programme"), _("Dimension"), _("Category"), _("Cases")]]
    for key, title, labels in dimensions:
        counts = cases.exclude(**{key: ""}).values_list("programme__name", key).annotate(n=Count("id"))
        for programme, value, n in sorted(counts):
            rows.append([programme, title, str(labels.get(value, value)), suppressed(n)])
    by_year = (
        cases.annotate(year=ExtractYear("opened_on")).values_list("programme__name", "year").annotate(n=Count("id"))
    )
    for programme, year, n in sorted(by_year):
        rows.append([programme, _("Year opened"), str(year), suppressed(n)])
    return rows
