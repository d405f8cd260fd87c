"""The data-protection section of the case page."""

from __future__ import annotations

from .models import LegalHold


def case_section_context(case, user) -> dict:
    return {
        "rights_restricted_at": case.client.restricted_at,
        "rights_active_holds": LegalHold.objects.active().filter(client_id=case.client_id).count(),
    }
