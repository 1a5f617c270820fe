"""Test-database support for transactional tests (``live_server``, ``django_db(transaction=True)``).

Such a test ends with a flush of every table. The audit log's triggers refuse DELETE and TRUNCATE,
so the flush, and only the flush, runs with them switched off; they are switched on again right
after, from the same definitions the migration installs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

AUDIT_TABLE = "core_auditrecord"
_migration = importlib.import_module("townsquare.core.migrations.0002_audit_append_only")


def _switch_audit_guard(connection: Any, *, on: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"ALTER TABLE {AUDIT_TABLE} {'ENABLE' if on else 'DISABLE'} TRIGGER USER"
            )
        else:
            for statement in _migration.SQLITE_FORWARD if on else _migration.SQLITE_BACKWARD:
                cursor.execute(statement)


def _flush_past_the_audit_guard(original: Callable[..., Any]) -> Callable[..., Any]:
    def execute_sql_flush(self: Any, sql_list: list[str]) -> Any:
        if not any(AUDIT_TABLE in statement for statement in sql_list):
            return original(self, sql_list)
        _switch_audit_guard(self.connection, on=False)
        try:
            return original(self, sql_list)
        finally:
            _switch_audit_guard(self.connection, on=True)

    return execute_sql_flush


@pytest.fixture(scope="session", autouse=True)
def _transactional_tests_flush_the_audit_log() -> Iterator[None]:
    from django.db.backends.base.operations import BaseDatabaseOperations

    original = BaseDatabaseOperations.execute_sql_flush
    BaseDatabaseOperations.execute_sql_flush = _flush_past_the_audit_guard(original)  # type: ignore[method-assign]
    yield
    BaseDatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]
