"""Writing what the guard found to the audit log: kinds, positions and confidence, never text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.http import HttpRequest

from .findings import Finding

AUDIT_ACTION = "privacy.phi_found"


def findings_audit(
    *,
    actor: Any,
    target: models.Model | tuple[str, Any] | None,
    findings: Iterable[Finding],
    decision: str,
    context: str = "",
    request: HttpRequest | None = None,
) -> None:
    """Append a ``privacy.phi_found`` record in the caller's transaction.

    ``decision`` says what happened ("warned", "confirmed", "held", "noted", "edited", ...);
    ``context`` says where (e.g. ``community.space:12``). Neither may hold the scanned text, and
    the findings are reduced to kind, start, end and confidence.
    """
    # Imported here: this package is imported while Django loads its apps, before models exist.
    from townsquare.core.audit import audit_record

    audit_record(
        action=AUDIT_ACTION,
        actor=actor,
        target=target,
        data={
            "decision": str(decision),
            "context": str(context),
            "findings": [
                {
                    "kind": finding.kind,
                    "start": finding.start,
                    "end": finding.end,
                    "confidence": finding.confidence,
                }
                for finding in findings
            ],
        },
        request=request,
    )
