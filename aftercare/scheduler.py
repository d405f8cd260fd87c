"""Enqueue the daily reminder job once per day: a DailyRun row for the day is the guard."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import DailyRun


def enqueue_if_due(today: dt.date | None = None) -> bool:
    """Enqueue today's job unless it was enqueued already (by this or another scheduler). True if enqueued."""
    from .tasks import daily_reminders

    today = today or timezone.localdate()
    if DailyRun.objects.filter(day=today).exists():
        return False
    try:
        with transaction.atomic():
            DailyRun.objects.create(day=today)
            daily_reminders.enqueue(day=today.isoformat())
    except IntegrityError:
        return False
    return True
