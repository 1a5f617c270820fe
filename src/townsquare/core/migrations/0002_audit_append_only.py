"""The audit log is append-only: the database itself refuses UPDATE and DELETE on it."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TRIGGER core_auditrecord_no_update BEFORE UPDATE ON core_auditrecord
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER core_auditrecord_no_delete BEFORE DELETE ON core_auditrecord
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_auditrecord_no_update",
    "DROP TRIGGER IF EXISTS core_auditrecord_no_delete",
]
POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION core_auditrecord_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER core_auditrecord_no_change BEFORE UPDATE OR DELETE ON core_auditrecord
       FOR EACH ROW EXECUTE FUNCTION core_auditrecord_refuse()""",
    """CREATE TRIGGER core_auditrecord_no_truncate BEFORE TRUNCATE ON core_auditrecord
       FOR EACH STATEMENT EXECUTE FUNCTION core_auditrecord_refuse()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_auditrecord_no_truncate ON core_auditrecord",
    "DROP TRIGGER IF EXISTS core_auditrecord_no_change ON core_auditrecord",
    "DROP FUNCTION IF EXISTS core_auditrecord_refuse()",
]


def forward(apps, schema_editor):
    statements = (
        POSTGRES_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    )
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = (
        POSTGRES_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
