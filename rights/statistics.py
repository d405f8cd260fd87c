"""Programme numbers for managers and evaluators: counts of cases, never a row per client; cells below 5
are suppressed so that a published table cannot single anyone out."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from cases.lifecycle import ClosureReason, State
from cases.models import Case
from programmes.models import Ideology, Setting
from tandem.small_cells import suppress_small_cells


def _rows(title: str, counts, label) -> list[list[object]]:
    """One dimension's rows, programme by programme; each programme's cells are one table to suppress."""
    tables: dict[str, dict] = {}
    for programme, value, n in counts:
        tables.setdefault(programme, {})[value] = n
    rows: list[list[object]] = []
    for programme in sorted(tables):
        shown = suppress_small_cells(tables[programme])
        rows += [[programme, title, label(value), shown[value]] for value in sorted(shown)]
    return rows


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
        rows += _rows(title, counts, lambda value, labels=labels: str(labels.get(value, value)))
    by_year = (
        cases.annotate(year=ExtractYear("opened_on")).values_list("programme__name", "year").annotate(n=Count("id"))
    )
    rows += _rows(_("Year opened"), by_year, str)
    return rows
