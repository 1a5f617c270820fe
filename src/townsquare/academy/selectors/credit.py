"""Reads for continuing-education credit and transcripts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from ..models import (
    Course,
    Credential,
    CreditActivity,
    CreditClaim,
    CreditType,
    Enrollment,
    EnrollmentStatus,
    Evaluation,
)


def credit_activity_for(course: Course) -> CreditActivity | None:
    """The credit a course offers, or None."""
    return CreditActivity.objects.filter(course=course).select_related("course").first()


def disclosure_list(activity: CreditActivity) -> QuerySet[Any]:
    return activity.disclosures.all()


def evaluation_for(*, user: Any, activity: CreditActivity) -> Evaluation | None:
    return Evaluation.objects.filter(user=user, activity=activity).first()


def claim_for(*, user: Any, activity: CreditActivity) -> CreditClaim | None:
    return CreditClaim.objects.filter(user=user, activity=activity).first()


def enrollment_for(*, user: Any, course: Course) -> Enrollment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Enrollment.objects.filter(user=user, course=course).first()


def claim_list(*, user: Any) -> QuerySet[CreditClaim]:
    return CreditClaim.objects.filter(user=user).select_related("activity__course")


def last_identifiers(*, user: Any, credit_type: str) -> dict[str, Any]:
    """The identifiers the learner gave on their last claim of this type, to fill the form."""
    claim = (
        CreditClaim.objects.filter(user=user, credit_type=credit_type)
        .order_by("-created_at")
        .values("license_number", "license_state", "nabp_eprofile_id", "birth_month", "birth_day")
        .first()
    )
    return {key: value for key, value in (claim or {}).items() if value not in ("", None)}


def claim_export_list(
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    credit_type: str = "",
) -> QuerySet[CreditClaim]:
    claims = CreditClaim.objects.select_related("user", "activity__course").order_by(
        "completed_on", "pk"
    )
    if date_from:
        claims = claims.filter(completed_on__gte=date_from)
    if date_to:
        claims = claims.filter(completed_on__lte=date_to)
    if credit_type:
        claims = claims.filter(credit_type=credit_type)
    return claims


@dataclass
class CreditTotal:
    credit_type: str
    label: str
    hours: Decimal
    count: int


@dataclass
class Transcript:
    person: Any
    completions: list[Enrollment]
    credentials: list[Credential]
    claims: list[CreditClaim]
    totals: list[CreditTotal] = field(default_factory=list)

    @property
    def completed_hours(self) -> Decimal:
        return sum(
            (enrollment.course.estimated_hours for enrollment in self.completions), Decimal(0)
        )


def transcript_for(person: Any) -> Transcript:
    """A person's academic record in three queries: completions, credentials, credit claims."""
    completions = list(
        Enrollment.objects.filter(user=person, status=EnrollmentStatus.COMPLETED)
        .select_related("course")
        .order_by("-completed_at", "pk")
    )
    credentials = list(Credential.objects.filter(user=person).order_by("-issued_at", "pk"))
    claims = list(
        CreditClaim.objects.filter(user=person)
        .select_related("activity__course")
        .order_by("-completed_on", "-pk")
    )
    by_type: dict[str, CreditTotal] = {}
    for claim in claims:
        total = by_type.setdefault(
            claim.credit_type,
            CreditTotal(claim.credit_type, CreditType(claim.credit_type).label, Decimal(0), 0),
        )
        total.hours += claim.hours
        total.count += 1
    totals = sorted(by_type.values(), key=lambda total: CreditType.values.index(total.credit_type))
    return Transcript(person, completions, credentials, claims, totals)
