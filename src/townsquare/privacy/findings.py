"""What the PHI guard reports: the kinds of identifier, one finding, and its safe summaries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

# Findings at or above this confidence are "likely identifiers": a staff space holds such a post
# for a moderator. Below it a finding is still shown to the author, but holds nothing.
LIKELY_CONFIDENCE = 0.7


class PhiKind(models.TextChoices):
    """The HIPAA Safe Harbor identifiers the guard looks for (45 CFR 164.514(b)(2))."""

    NAME = "name", "Name"
    ADDRESS = "address", "Street address"
    ZIP = "zip", "ZIP code"
    DATE = "date", "Date tied to a person"
    AGE = "age", "Age over 89"
    PHONE = "phone", "Telephone number"
    FAX = "fax", "Fax number"
    EMAIL = "email", "Email address"
    SSN = "ssn", "Social Security number"
    MRN = "mrn", "Medical record number"
    HEALTH_PLAN = "health_plan", "Health plan beneficiary number"
    ACCOUNT = "account", "Account number"
    LICENSE = "license", "Certificate or license number"
    VEHICLE = "vehicle", "Vehicle identifier"
    DEVICE = "device", "Device identifier or serial number"
    URL = "url", "Web address tied to a person"
    IP = "ip", "IP address"
    OTHER_ID = "other_id", "Other identifying number"


_LABELS: dict[str, str] = {str(kind.value): str(kind.label) for kind in PhiKind}


@dataclass(frozen=True, slots=True)
class Finding:
    """One identifier found in a text: its kind, where it is (``text[start:end]``), how sure."""

    kind: str
    start: int
    end: int
    confidence: float

    @property
    def label(self) -> str:
        return _LABELS.get(self.kind, self.kind)

    @property
    def is_likely(self) -> bool:
        return self.confidence >= LIKELY_CONFIDENCE


def findings_summary(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Findings as plain dicts for pages, API answers and logs; never the matched text."""
    return [
        {
            "kind": finding.kind,
            "label": finding.label,
            "start": finding.start,
            "end": finding.end,
            "confidence": finding.confidence,
        }
        for finding in findings
    ]
