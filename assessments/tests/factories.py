"""Building assessments through the real service, for tests of this app and others (the authorization matrix)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assessments import instruments, services


def answers(instrument_key: str = "tandem-open", value: int | None = 1, **overrides) -> dict:
    instrument = instruments.get(instrument_key)
    out = {item.key: (value if not item.is_protective else 1) for item in instrument.items}
    out.update(overrides)
    return out


def record(
    actor,
    case,
    *,
    on: dt.date | None = None,
    value: int | None = 1,
    final_level: str = "moderate",
    rationale: str = "Weighed all sources.",
    instrument_key: str = "tandem-open",
    **overrides,
):
    return services.assessment_record(
        actor=actor,
        case=case,
        instrument_key=instrument_key,
        assessed_on=on or timezone.localdate(),
        sources=["interview", "file"],
        answers=answers(instrument_key, value, **overrides),
        final_level=final_level,
        rationale=rationale,
    )
