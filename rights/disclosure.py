"""A copy given to the data subject is an export: audited, and recorded as a disclosure to the data subject.

The record goes through the one disclosure service, under the policy's "data_subject" rule (GDPR Art. 15).
While the record is restricted the disclosure service refuses everything, but the right of access is not
restricted: the copy is then recorded in the audit log only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from audit.services import audit_record
from sharing import services as sharing_services
from sharing.policy import Purpose, RecipientCategory

if TYPE_CHECKING:
    from accounts.models import User

ACCESS_BASIS = "GDPR Art. 15 (right of access of the data subject)"


def record_access_report(*, actor: User, case, report, fmt: str) -> object | None:
    """Audit the copy; record it as a disclosure to the data subject where the disclosure service allows it."""
    records = sum(len(s.records) for s in report.sections)
    audit_record("client.access_report", case, detail=f"{fmt}, {records} records", actor=actor)
    if case.client.restricted_at is not None:
        return None
    return sharing_services.disclose(
        actor=actor,
        case=case,
        recipient_category=RecipientCategory.DATA_SUBJECT,
        data_categories=[
            "identity",
            "contact_details",
            "attendance",
            "progress_summary",
            "needs_and_plan",
            "case_notes",
        ],
        purpose=Purpose.DATA_SUBJECT_ACCESS,
        ground="statutory_duty",
        legal_basis=ACCESS_BASIS,
        content=f"Copy of all data held ({fmt}, {records} records).",
        channel=f"access report ({fmt})",
        source="rights",
    )
