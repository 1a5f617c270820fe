from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from townsquare.core.audit import GENESIS_HASH, audit_record, audit_verify
from townsquare.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def _write_three(member):
    return [
        audit_record(action="test.one", actor=member, target=member, data={"n": 1}),
        audit_record(action="test.two", actor=member, target=("thing", 42)),
        audit_record(action="test.three", data={"nested": {"b": 2, "a": [1, 2]}}),
    ]


def _without_append_only_guard(sql: str, params: list) -> None:
    """Tamper the way an attacker with database access would: drop the guard, then write."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditrecord DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE core_auditrecord ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER core_auditrecord_no_update")
            cursor.execute("DROP TRIGGER core_auditrecord_no_delete")
            cursor.execute(sql, params)


def test_records_are_chained_from_genesis(member):
    first, second, third = _write_three(member)

    records = list(AuditRecord.objects.order_by("id"))
    assert records[0].previous_hash == GENESIS_HASH
    assert [r.previous_hash for r in records[1:]] == [r.record_hash for r in records[:-1]]
    assert second.target_type == "thing"
    assert second.target_id == "42"
    assert first.actor_id == member.pk
    assert first.actor_label == member.email
    assert third.actor_id is None


def test_verify_passes_on_untouched_chain(member):
    _write_three(member)

    result = audit_verify()

    assert result.is_intact
    assert result.checked == AuditRecord.objects.count()


def test_database_refuses_update_and_delete(member):
    record = _write_three(member)[0]

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).delete()
    assert AuditRecord.objects.get(pk=record.pk).action == "test.one"


def test_verify_names_first_changed_record(member):
    _, second, _ = _write_three(member)
    _without_append_only_guard(
        "UPDATE core_auditrecord SET action = %s WHERE id = %s", ["test.forged", second.pk]
    )

    result = audit_verify()

    assert not result.is_intact
    assert result.first_broken_id == second.pk
    assert "hash" in result.reason


def test_verify_names_record_after_a_removed_one(member):
    _, second, third = _write_three(member)
    _without_append_only_guard("DELETE FROM core_auditrecord WHERE id = %s", [second.pk])

    result = audit_verify()

    assert result.first_broken_id == third.pk
    assert "link" in result.reason


def test_audit_verify_command(member, capsys):
    _write_three(member)
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out

    last = AuditRecord.objects.order_by("-id")[0]
    _without_append_only_guard(
        "UPDATE core_auditrecord SET data = %s WHERE id = %s", ['{"n": 99}', last.pk]
    )
    with pytest.raises(CommandError, match=f"#{last.pk}"):
        call_command("audit", "verify")


def test_record_rolls_back_with_the_change(member):
    before = AuditRecord.objects.count()

    def change_that_fails() -> None:
        with transaction.atomic():
            audit_record(action="test.rolled_back", actor=member)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert AuditRecord.objects.count() == before
