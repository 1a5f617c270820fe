"""Locking helpers for lock-check-write services.

PostgreSQL takes row locks (``select_for_update``) or transaction-scoped advisory locks. SQLite runs
every transaction as ``BEGIN IMMEDIATE`` (see settings), which already serializes writers for the
whole database, so the helpers there only need to run inside the transaction.
"""

from __future__ import annotations

import zlib
from typing import TypeVar

from django.db import connection, models, transaction

ModelT = TypeVar("ModelT", bound=models.Model)


def lock_rows(queryset: models.QuerySet[ModelT]) -> list[ModelT]:
    """Lock the rows of ``queryset`` in primary-key order and return them (pretix/Saleor style)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_rows() must run inside transaction.atomic()")
    return list(queryset.order_by("pk").select_for_update(of=("self",)))


def lock_row(queryset: models.QuerySet[ModelT]) -> ModelT:
    rows = lock_rows(queryset)
    if len(rows) != 1:
        raise queryset.model.DoesNotExist  # type: ignore[attr-defined]
    return rows[0]


def advisory_lock(name: str) -> None:
    """Hold a named lock until the current transaction ends."""
    if not connection.in_atomic_block:
        raise RuntimeError("advisory_lock() must run inside transaction.atomic()")
    if connection.vendor == "postgresql":
        key = zlib.crc32(name.encode()) - 2**31
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
