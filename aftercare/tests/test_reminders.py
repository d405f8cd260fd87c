"""The daily reminder job, run by the real database worker (django-tasks-db's db_worker) in this process.

The worker's own loop claims the queued task from the database table and runs it; it runs inside the test's
transaction (the append-only audit log cannot be flushed by a transactional test)."""

import datetime as dt
import signal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from aftercare import scheduler, services
from aftercare.models import DailyRun, Notification
from aftercare.tasks import daily_reminders
from cases import due


def run_worker() -> None:
    """The real worker loop: takes every queued task from the database, runs it, exits when the queue is empty.

    Between tasks the worker recycles database connections; the test keeps everything in one transaction,
    so that recycling (and only that) is held off while the worker runs."""
    from django.db import connection

    recycle = connection.close_if_unusable_or_obsolete
    connection.close_if_unusable_or_obsolete = lambda: None
    # The worker installs its own SIGTERM and SIGINT handlers; the test process gets its own back.
    handlers = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    finally:
        connection.close_if_unusable_or_obsolete = recycle
        for number, handler in handlers.items():
            signal.signal(number, handler)


def test_running_the_worker_in_process_leaves_the_signal_handlers_as_they_were(db):
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    run_worker()
    call_command("run_daily", once=True, verbosity=0)
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def failing_provider(cases_qs, today):
    """Registered by the failure test, which replaces it with one that breaks on one case."""
    return []


@pytest.fixture
def friday_release(world, prison_case):
    today = timezone.localdate()
    friday = today + dt.timedelta(days=(4 - today.weekday()) % 7 + 7)
    return services.release_plan_save(actor=world.case_manager, case=prison_case, release_on=friday)


def test_daily_job_runs_in_the_worker_once_per_day_and_is_idempotent(world, friday_release):
    from django_tasks_db.models import DBTaskResult

    today = timezone.localdate()
    assert scheduler.enqueue_if_due(today) is True
    assert scheduler.enqueue_if_due(today) is False  # once per day, however often the scheduler wakes
    run_worker()

    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL", result.traceback
    run = DailyRun.objects.get(day=today)
    assert run.runs == 1 and run.finished_at is not None and run.failures == 0
    assert run.cases_checked == 3 and run.notifications_created > 0

    mine = Notification.objects.filter(user=world.case_manager, day=today)
    kinds = set(mine.values_list("kind", flat=True))
    assert {"release_check", "contact"} <= kinds
    assert Notification.objects.filter(user=world.co_worker, case=world.case, kind="release_check").exists()
    assert not Notification.objects.filter(user=world.case_manager, case=world.other_case).exists()
    assert not Notification.objects.filter(user=world.foreign_practitioner, case=world.case).exists()
    count = Notification.objects.count()

    daily_reminders.enqueue(day=today.isoformat())  # a second run the same day
    run_worker()
    assert Notification.objects.count() == count  # nothing twice
    run.refresh_from_db()
    assert run.runs == 2 and run.notifications_created == count


def test_a_failing_case_is_logged_and_the_others_are_still_done(world, friday_release, monkeypatch, caplog):
    broken = world.other_case.pk

    def breaks_on_one_case(cases_qs, today):
        if cases_qs.filter(pk=broken).exists():
            raise RuntimeError("damaged record")
        return []

    import aftercare.tests.test_reminders as this

    monkeypatch.setattr(this, "failing_provider", breaks_on_one_case)
    monkeypatch.setattr(
        due, "DUE_ITEM_PROVIDERS", [*due.DUE_ITEM_PROVIDERS, "aftercare.tests.test_reminders.failing_provider"]
    )
    today = timezone.localdate()
    daily_reminders.enqueue(day=today.isoformat())
    run_worker()

    run = DailyRun.objects.get(day=today)
    assert run.failures == 1 and run.cases_checked == 2
    assert Notification.objects.filter(case=world.case).exists()
    assert Notification.objects.filter(case=world.foreign_case).exists()
    assert not Notification.objects.filter(case=world.other_case).exists()
    assert any("Daily reminders failed for case" in r.message for r in caplog.records)


def test_reminder_email_is_off_by_default_and_carries_no_client_data(world, friday_release, settings):
    today = timezone.localdate()
    daily_reminders.enqueue(day=today.isoformat())
    run_worker()
    assert mail.outbox == []

    settings.TANDEM_REMINDER_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.case_manager.email = "cm@example.org"
    world.case_manager.save(update_fields=["email"])
    daily_reminders.enqueue(day=(today + dt.timedelta(days=1)).isoformat())
    run_worker()
    (message,) = [m for m in mail.outbox if m.to == ["cm@example.org"]]
    assert "/notifications/" in message.body
    assert world.case.client.pseudonym not in message.body + message.subject
