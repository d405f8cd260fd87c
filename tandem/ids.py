"""Ids from outside (a URL, a request body, a command line) read as UUIDs."""

from __future__ import annotations

import uuid


def parse_uuid(value: object) -> uuid.UUID | None:
    """The UUID `value` stands for, or None when it is not one (callers answer 404, never 500)."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None
