"""The daily reminder job: what is due on every open case becomes a notification for the staff on it.

Idempotent (one notification per user, item and day; running twice creates nothing new) and robust
(a failure on one case is logged and counted, the other cases are still done). The run is recorded in
DailyRun with its counts.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from cases.due import due_items
from cases.models import Case, CaseAssignment

from .models import DailyRun, Notification

logger = logging.getLogger(__name__)


def _notify_case(case: Case, today: dt.date) -> tuple[int, Counter]:
    """Due items of one case as notifications for its current staff; returns (items, new per user id)."""
    items = due_items(Case.objects.filter(pk=case.pk), today)
    staff_ids = set(CaseAssignment.objects.current(today).filter(case=case).values_list("staff_id", flat=True))
    created: Counter = Counter()
    if not items or not staff_ids:
        return len(items), created
    keys = {item.uniqueness_key for item in items}
    existing = set(
        Notification.objects.filter(user_id__in=staff_ids, day=today, key__in=keys).values_list("user_id", "key")
    )
    for item in items:
        for user_id in staff_ids:
            if (user_id, item.uniqueness_key) in existing:
                continue
            try:
                with transaction.atomic():
                    Notification.objects.create(
                        user_id=user_id,
                        case=case,
                        kind=item.kind,
                        label=item.label[:300],
                        url=item.url,
                        due_on=item.due_on,
                        overdue=item.overdue,
                        key=item.uniqueness_key,
                        day=today,
                    )
            except IntegrityError:
                continue  # another run created it in the meantime
            existing.add((user_id, item.uniqueness_key))
            created[user_id] += 1
    return len(items), created


def _email(created: Counter) -> None:
    """A short e-mail with a link only: no pseudonym, no case, nothing about a client."""
    from accounts.models import User

    link = settings.TANDEM_BASE_URL.rstrip("/") + reverse("aftercare:notifications")
    for user in User.objects.filter(pk__in=list(created), is_active=True).exclude(email=""):
        try:
            send_mail(
                "Tandem",
                f"You have {created[user.pk]} new reminders in Tandem.\n\n{link}\n",
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
        except Exception:  # noqa: BLE001 - a mail server problem must not undo the reminders
            logger.exception("Reminder e-mail to user %s failed", user.pk)


def run_daily_job(today: dt.date | None = None) -> dict:
    """Check every open case once; return and record the counts."""
    today = today or timezone.localdate()
    run, _created = DailyRun.objects.get_or_create(day=today)
    counts = {"cases_checked": 0, "items_found": 0, "notifications_created": 0, "failures": 0}
    created_for: Counter = Counter()
    with translation.override(settings.LANGUAGE_CODE):
        for case in Case.objects.open().select_related("client", "programme").order_by("pk").iterator(chunk_size=200):
            try:
                with transaction.atomic():
                    found, created = _notify_case(case, today)
            except Exception:  # noqa: BLE001 - one case's failure must not stop the others
                logger.exception("Daily reminders failed for case %s", case.pk)
                counts["failures"] += 1
                continue
            counts["cases_checked"] += 1
            counts["items_found"] += found
            counts["notifications_created"] += sum(created.values())
            created_for.update(created)
    DailyRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        runs=F("runs") + 1,
        cases_checked=counts["cases_checked"],
        items_found=counts["items_found"],
        notifications_created=F("notifications_created") + counts["notifications_created"],
        failures=counts["failures"],
    )
    if settings.TANDEM_REMINDER_EMAIL and created_for:
        _email(created_for)
    logger.info("Daily reminders for %s: %s", today.isoformat(), counts)
    return {"day": today.isoformat(), **counts}
