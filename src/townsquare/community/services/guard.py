"""The privacy guard at the door of the community: every post and comment passes it.

In the patient community a finding warns the author, who edits or confirms; in the staff network a
likely identifier holds the post for a moderator. What was found (kinds and positions, never the
text) goes to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from townsquare.core.errors import DomainError
from townsquare.privacy import LIKELY_CONFIDENCE, Finding, findings_audit, findings_summary, scan

from ..models import Space


class PhiWarning(DomainError):
    """The patient community's warning: the author must edit or confirm before it is published."""

    code = "phi-warning"
    status = 422
    title = "This may share protected health information"

    def __init__(self, findings: dict[str, list[Finding]]) -> None:
        self.findings = findings
        kinds = sorted({finding.label for found in findings.values() for finding in found})
        super().__init__(
            "The privacy guard found what may identify a person: "
            + ", ".join(kinds)
            + ". Edit it out, or confirm that it is yours to share.",
            field_errors={
                name: [
                    f"{finding.label} at characters {finding.start}–{finding.end}"
                    for finding in found
                ]
                for name, found in findings.items()
                if found
            },
        )

    def as_problem(self, *, instance: str = "") -> dict[str, Any]:
        problem = super().as_problem(instance=instance)
        problem["findings"] = {
            name: findings_summary(found) for name, found in self.findings.items() if found
        }
        return problem


@dataclass(frozen=True)
class GuardDecision:
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    hold: bool = False  # staff network: a likely identifier, held for a moderator

    @property
    def kinds(self) -> list[str]:
        return sorted({finding.kind for found in self.findings.values() for finding in found})

    @property
    def found(self) -> bool:
        return any(self.findings.values())


def guard_review(
    *,
    actor: Any,
    space: Space,
    fields: dict[str, str],
    confirmed: bool,
    target: Any,
    request: Any = None,
) -> GuardDecision:
    """Scan the text fields; warn (raise PhiWarning), hold, or let through. Audits what it found.

    ``target`` names what is being written (a model, or a ``(type, id)`` pair before it exists).
    A warning's audit record is written in its own transaction, so it stays when the write does
    not happen.
    """
    findings = {name: scan(text) for name, text in fields.items() if text}
    decision = GuardDecision(findings=findings)
    if not decision.found:
        return decision
    if space.is_patient:
        if not confirmed:
            with transaction.atomic():
                _audit(actor, target, findings, "warned", space, request)
            raise PhiWarning(findings)
        _audit(actor, target, findings, "confirmed", space, request)
        return decision
    likely = any(
        finding.confidence >= LIKELY_CONFIDENCE for found in findings.values() for finding in found
    )
    _audit(actor, target, findings, "held" if likely else "noted", space, request)
    return GuardDecision(findings=findings, hold=likely)


def _audit(
    actor: Any,
    target: Any,
    findings: dict[str, list[Finding]],
    decision: str,
    space: Space,
    request: Any,
) -> None:
    found = [finding for found in findings.values() for finding in found]
    findings_audit(
        actor=actor,
        target=target,
        findings=found,
        decision=decision,
        context=f"community.space:{space.pk}:"
        + ",".join(f"{name}={len(items)}" for name, items in findings.items() if items),
        request=request,
    )
