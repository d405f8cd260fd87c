"""Pure calculations: months after release, the phase on a day, contacts expected in a rolling window,
release-day checks and gaps in who is reachable. No database access here."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tandem.dates import add_months

from .holidays import holiday_name

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .models import AftercarePhase


def phase_on(phases: Sequence, release_on: dt.date, day: dt.date):
    """The phase in effect on `day` for a release on `release_on`, or None before release or outside every phase.

    A phase covers [release + starts_month, release + ends_month): on the boundary day the next phase applies.
    """
    if day < release_on:
        return None
    for phase in phases:
        if day < add_months(release_on, phase.starts_month):
            continue
        if phase.ends_month is None or day < add_months(release_on, phase.ends_month):
            return phase
    return None


@dataclass
class FrequencyStatus:
    phase: AftercarePhase | None
    window_start: dt.date | None = None
    window_days: int = 0
    contacts: int = 0
    required: int = 0
    last_contact_on: dt.date | None = None
    due_on: dt.date | None = None

    @property
    def below(self) -> bool:
        return self.contacts < self.required


def frequency_status(
    phases: Sequence, release_on: dt.date, contact_days: Iterable[dt.date], today: dt.date
) -> FrequencyStatus:
    """Contacts in the rolling window of the current phase against what the phases ask for.

    The window is the current phase's period, ending today and never reaching back before release.
    What is required is the sum of each day's rate (contacts per period of the phase in effect on that
    day), rounded down: a window that straddles a phase boundary asks for a blend of both targets, so a
    case is not flagged for the stricter phase it has just left nor let off for the one it just entered.
    """
    phase = phase_on(phases, release_on, today)
    status = FrequencyStatus(phase)
    after_release = sorted(d for d in contact_days if release_on <= d <= today)
    status.last_contact_on = after_release[-1] if after_release else None
    if phase is None or not phase.contacts:
        return status
    start = max(release_on, today - dt.timedelta(days=phase.period_days - 1))
    status.window_start, status.window_days = start, (today - start).days + 1
    expected = 0.0
    for offset in range(status.window_days):
        in_effect = phase_on(phases, release_on, start + dt.timedelta(days=offset))
        if in_effect is not None and in_effect.contacts:
            expected += in_effect.contacts / in_effect.period_days
    status.required = math.floor(expected + 1e-9)
    status.contacts = sum(1 for d in after_release if d >= start)
    gap = math.ceil(phase.period_days / phase.contacts)
    status.due_on = min(today, (status.last_contact_on or release_on) + dt.timedelta(days=gap))
    return status


def coverage_gaps(
    intervals: Iterable[tuple[dt.datetime, dt.datetime]], start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The parts of [start, end) that no interval covers, in order."""
    gaps: list[tuple[dt.datetime, dt.datetime]] = []
    cursor = start
    for lo, hi in sorted(intervals):
        if hi <= cursor or lo >= end:
            continue
        if lo > cursor:
            gaps.append((cursor, min(lo, end)))
        cursor = max(cursor, hi)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


@dataclass
class DayCheck:
    kind: str  # ReleaseCheck value
    detail: StrOrPromise = ""  # a holiday's name


def release_day_checks(release_on: dt.date, region: str) -> list[DayCheck]:
    """Warnings about the release date itself: a Friday, the weekend, a public holiday in the region."""
    found = []
    if release_on.weekday() == 4:
        found.append(DayCheck("friday"))
    elif release_on.weekday() >= 5:
        found.append(DayCheck("weekend"))
    name = holiday_name(release_on, region)
    if name:
        found.append(DayCheck("holiday", name))
    return found
