"""A copy given to the data subject is an export: audited, and recorded as a disclosure to the data subject.

The record goes through the one disclosure service (sharing.services.disclose) once the sharing policy
knows the recipient category "data_subject" (see README, "Data-subject rights"). Until then, and while the
record is restricted (the disclosure service refuses restricted records, but the right of access is not
restricted), the copy is recorded in the audit log only.
"""

from __future__ import annotations

from django.apps import apps

from audit.services import audit_record

DATA_SUBJECT = "data_subject"
ACCESS_PURPOSE = "data_subject_access"
ACCESS_BASIS = "GDPR Art. 15 (right of access of the data subject)"


def _sharing_knows_data_subject():
    if not apps.is_installed("sharing"):
        return None
    try:
        from sharing import services as sharing_services
        from sharing.policy import Purpose, RecipientCategory
    except ImportError:
        return None
    if DATA_SUBJECT not in RecipientCategory.values or ACCESS_PURPOSE not in Purpose.values:
        return None
    return sharing_services


def record_access_report(*, actor, case, report, fmt: str) -> object | None:
    """Audit the copy; record it as a disclosure to the data subject where the disclosure service allows it."""
    records = sum(len(s.records) for s in report.sections)
    audit_record("client.access_report", case, detail=f"{fmt}, {records} records", actor=actor)
    sharing_services = _sharing_knows_data_subject()
    if sharing_services is None or case.client.restricted_at is not None:
        return None
    return sharing_services.disclose(
        actor=actor, case=case, recipient_category=DATA_SUBJECT, data_categories=[
            "identity", "contact_details", "attendance", "progress_summary", "needs_and_plan", "case_notes"],
        purpose=ACCESS_PURPOSE, ground="statutory_duty", legal_basis=ACCESS_BASIS,
        content=f"Copy of all data held ({fmt}, {records} records).", channel=f"access report ({fmt})",
        source="rights")
