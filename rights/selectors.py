"""The data-protection section of the case page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import LegalHold

if TYPE_CHECKING:
    from accounts.models import User


def case_section_context(case, user: User) -> dict:
    return {
        "rights_restricted_at": case.client.restricted_at,
        "rights_active_holds": LegalHold.objects.active().filter(client_id=case.client_id).count(),
    }
