"""The audit log: append-only, hash-chained records of who did what to what, when, from where.

Each record's hash covers its own fields and the previous record's hash, so changing or removing any
record breaks the chain from that point on; ``audit_verify`` names the first broken record.
Records are written inside the caller's transaction, so a change and its record commit together.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from .locks import advisory_lock
from .models import AuditRecord

GENESIS_HASH = "0" * 64
AUDIT_LOCK = "townsquare.audit-chain"


def _canonical(record: AuditRecord) -> bytes:
    payload = {
        "created_at": record.created_at.isoformat(),
        "actor_id": record.actor_id,
        "actor_label": record.actor_label,
        "action": record.action,
        "target_type": record.target_type,
        "target_id": record.target_id,
        "ip_address": record.ip_address,
        "user_agent": record.user_agent,
        "data": record.data,
        "previous_hash": record.previous_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_hash(record: AuditRecord) -> str:
    return hashlib.sha256(_canonical(record)).hexdigest()


def _client(request: HttpRequest | None) -> tuple[str | None, str]:
    if request is None:
        return None, ""
    return request.META.get("REMOTE_ADDR") or None, request.META.get("HTTP_USER_AGENT", "")[:300]


def _target(target: models.Model | tuple[str, Any] | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk)
    kind, identifier = target
    return kind, str(identifier)


@transaction.atomic
def audit_record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | tuple[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditRecord:
    """Append one record to the chain. Never put PHI or secrets in ``data``."""
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    ip_address, user_agent = _client(request)
    target_type, target_id = _target(target)
    advisory_lock(AUDIT_LOCK)
    last = AuditRecord.objects.order_by("-id").values_list("record_hash", flat=True).first()
    record = AuditRecord(
        created_at=timezone.now(),
        actor_id=actor.pk if is_person else None,
        actor_label=actor.email if is_person else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        ip_address=ip_address,
        user_agent=user_agent,
        data=json.loads(json.dumps(data or {}, default=str)),
        previous_hash=last or GENESIS_HASH,
    )
    record.record_hash = compute_hash(record)
    record.save(force_insert=True)
    return record


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    first_broken_id: int | None = None
    reason: str = ""

    @property
    def is_intact(self) -> bool:
        return self.first_broken_id is None


def _records(batch_size: int = 2000) -> Iterator[AuditRecord]:
    return AuditRecord.objects.order_by("id").iterator(chunk_size=batch_size)


def audit_verify() -> VerifyResult:
    """Walk the chain from the start; report the first record whose hash or link does not hold."""
    previous = GENESIS_HASH
    checked = 0
    for record in _records():
        if record.previous_hash != previous:
            return VerifyResult(
                checked,
                record.pk,
                "its link to the previous record is broken "
                "(a record before it was removed or changed)",
            )
        if compute_hash(record) != record.record_hash:
            return VerifyResult(checked, record.pk, "its contents do not match its hash")
        previous = record.record_hash
        checked += 1
    return VerifyResult(checked)
