"""Enqueue the daily retention job once per day, beside the daily reminders (aftercare's run_daily)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

TASK_PATH = "rights.tasks.daily_retention"


def enqueue_retention_if_due(today: dt.date | None = None) -> bool:
    """Enqueue today's retention job unless one was enqueued today already. True if enqueued."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import daily_retention

    today = today or timezone.localdate()
    if DBTaskResult.objects.filter(task_path=TASK_PATH, args_kwargs__kwargs__day=today.isoformat()).exists():
        return False
    daily_retention.enqueue(day=today.isoformat())
    return True
