"""The demo shows release planning and aftercare: a Friday release nobody has acknowledged, released clients
in their aftercare phases, an on-call roster with a gap and the daily job's notifications."""

from __future__ import annotations

from django.utils import timezone

from aftercare import selectors
from aftercare.models import DailyRun, Notification, OnCallShift, ReleasePlan, SocialNetConference
from cases.models import Case


def test_demo_has_a_friday_release_warning_nobody_acknowledged(demo_db):
    today = timezone.localdate()
    upcoming = ReleasePlan.objects.filter(release_on__gt=today)
    assert upcoming.count() >= 3
    friday = upcoming.get(release_on__week_day=6)  # Django counts Sunday as 1
    warnings = {check.kind for plan, check in selectors.open_release_warnings(Case.objects.filter(pk=friday.case_id))}
    assert "friday" in warnings
    assert ReleasePlan.objects.filter(acknowledgements__isnull=False).exists()


def test_demo_has_released_clients_below_frequency_and_notifications(demo_db):
    today = timezone.localdate()
    statuses = selectors.frequency_statuses(Case.objects.all(), today)
    assert len(statuses) >= 2
    assert {status.phase.kind for _plan, status in statuses} & {"intensive", "high"}
    assert SocialNetConference.objects.filter(kind="follow_up").exists()
    assert OnCallShift.objects.exists()
    run = DailyRun.objects.get(day=today)
    assert run.notifications_created == Notification.objects.count() > 0
    assert Notification.objects.filter(kind="release_check").exists()
