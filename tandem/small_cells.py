"""Small-cell suppression for every count shown to managers and evaluators or exported as statistics."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

SMALL_CELL = 5  # counts from 1 to SMALL_CELL - 1 are never shown

K = TypeVar("K", bound=Hashable)


def suppress_small_cells(counts: Mapping[K, int]) -> dict[K, str]:
    """Counts of one table as text: small cells (1-4) shown as "<5"; a lone small cell takes the next smallest
    cell with it (shown as "≥5"), so that the total cannot reveal it. Zeros are shown: they single out nobody."""
    small = {k for k, n in counts.items() if 0 < n < SMALL_CELL}
    if len(small) == 1:
        others = sorted((n, str(k), k) for k, n in counts.items() if n >= SMALL_CELL)
        if others:
            small.add(others[0][2])
    return {
        k: (f"<{SMALL_CELL}" if n < SMALL_CELL else f"≥{SMALL_CELL}") if k in small else str(n)
        for k, n in counts.items()
    }
