import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEntry
from audit.selectors import audit_verify
from audit.services import audit_record


def _entries(n=6):
    for i in range(n):
        audit_record("case.view", object_type="case", object_id=f"obj-{i}")


def _drop_triggers():
    """Simulate an attacker with direct database access (rolled back with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("DROP TRIGGER audit_entry_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")


def test_intact_chain_verifies(db):
    _entries()
    result = audit_verify()
    assert result.ok and result.checked == AuditEntry.objects.count()
    call_command("verify_audit")


def test_database_refuses_update_and_delete_of_audit_rows(db):
    _entries(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=1).update(action="case.edit")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=1).delete()
    assert AuditEntry.objects.get(seq=1).action == "case.view"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_database_refuses_truncate_of_audit_log(db):
    _entries(2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditentry")


def _seq_of_position(position):
    return AuditEntry.objects.order_by("seq").values_list("seq", flat=True)[position - 1]


@pytest.mark.parametrize("position", [1, 3, 6])
def test_edited_entry_is_reported_at_its_position(db, position):
    _entries()
    _drop_triggers()
    AuditEntry.objects.filter(seq=position).update(object_id="someone-else")
    result = audit_verify()
    assert not result.ok and result.position == position and "edited" in result.problem
    with pytest.raises(CommandError, match=f"position {position}"):
        call_command("verify_audit")


def test_deleted_entry_is_reported(db):
    _entries()
    _drop_triggers()
    AuditEntry.objects.filter(seq=4).delete()
    result = audit_verify()
    assert not result.ok and result.position == 4


def test_reordered_entries_are_reported(db):
    _entries()
    _drop_triggers()
    a, b = AuditEntry.objects.get(seq=2), AuditEntry.objects.get(seq=3)
    # Swap the two rows' contents, keeping each row's own (valid) hash: the chain links break.
    fields = [
        "seq",
        "at",
        "actor_id",
        "action",
        "object_type",
        "object_id",
        "channel",
        "ip",
        "outcome",
        "detail",
        "prev_hash",
        "hash",
    ]
    va, vb = ({f: getattr(x, f) for f in fields} for x in (a, b))
    AuditEntry.objects.filter(pk=a.pk).update(seq=-1)
    AuditEntry.objects.filter(pk=b.pk).update(**va)
    AuditEntry.objects.filter(pk=a.pk).update(**vb)
    result = audit_verify()
    assert not result.ok and result.position == 2


def test_truncated_tail_is_reported(db):
    _entries()
    _drop_triggers()
    last = AuditEntry.objects.order_by("-seq").first().seq
    AuditEntry.objects.filter(seq__gte=last - 1).delete()
    result = audit_verify()
    assert not result.ok and result.position == last - 1 and "truncated" in result.problem


def test_entries_carry_ids_never_content(world):
    from django.utils import timezone

    from cases.services import contact_record

    contact_record(
        actor=world.case_manager,
        case=world.case,
        occurred_at=timezone.now(),
        duration_minutes=20,
        kind="phone",
        participants=["client"],
        note="Very private words",
    )
    values = " ".join(" ".join(str(v) for v in row) for row in AuditEntry.objects.values_list())
    assert "Very private words" not in values
    assert "Okonkwo" not in values and "Mira" not in values
