"""The header's unread badge counts what the notifications page shows as unread, and nothing else."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from aftercare.models import Notification
from aftercare.selectors import notifications_for, unread_count


def notify(user, case=None, read: bool = False) -> Notification:
    today = timezone.localdate()
    return Notification.objects.create(
        user=user,
        case=case,
        kind="contact",
        label="No contact recorded yet",
        url="/",
        due_on=today,
        day=today,
        key=f"k-{Notification.objects.count()}",
        read_at=timezone.now() if read else None,
    )


def test_badge_counts_unread_notifications_on_visible_cases_and_on_none(world):
    user = world.case_manager
    assert unread_count(user) == 0
    notify(user)  # about no case
    assert unread_count(user) == 1
    notify(user, world.case)
    notify(user, world.case, read=True)
    notify(user, world.other_case)  # a case this practitioner does not work on
    notify(world.co_worker, world.case)  # someone else's
    assert unread_count(user) == 2
    assert unread_count(user) == notifications_for(user).filter(read_at__isnull=True).count()


def test_badge_drops_notifications_on_a_case_no_longer_visible(world):
    user = world.case_manager
    notify(user, world.case)
    assert unread_count(user) == 1
    world.case.assignments.filter(staff=user).update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    assert unread_count(user) == 0
