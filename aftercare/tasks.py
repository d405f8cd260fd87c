"""Background tasks, run by `manage.py db_worker` through Django's task interface."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from .reminders import run_daily_job


@task()
def daily_reminders(day: str | None = None) -> dict:
    """The daily reminder job for one day (ISO date; today when empty)."""
    return run_daily_job(dt.date.fromisoformat(day) if day else None)
