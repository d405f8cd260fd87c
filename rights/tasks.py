"""Background tasks, run by `manage.py db_worker` through Django's task interface."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from .services import retention_apply


@task()
def daily_retention(day: str | None = None) -> dict:
    """The daily retention job for one day (ISO date; today when empty)."""
    report = retention_apply(today=dt.date.fromisoformat(day) if day else None)
    return {
        "erased": report.erased,
        "runs": [
            {
                "organisation": r.organisation_id,
                "erased": r.erased,
                "held": r.skipped_held,
                "restricted": r.skipped_restricted,
            }
            for r in report.runs
        ],
    }
