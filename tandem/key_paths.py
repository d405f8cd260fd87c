"""A place in a configuration file (YAML or JSON) as its author reads it, for validation messages."""

from __future__ import annotations

from collections.abc import Iterable


def key_path(path: Iterable[str | int]) -> str:
    """Keys joined by dots, list positions in brackets: `recipients.police.categories.identity.grounds[0]`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
