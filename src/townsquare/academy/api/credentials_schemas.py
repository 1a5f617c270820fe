"""Schemas of the credentials and fellowship API. No `from __future__ import annotations` here."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from ..models import CredentialKind, FellowshipLevel, SubmissionStatus


class CredentialOut(Schema):
    id: int
    kind: CredentialKind
    level: str
    title: str
    recipient_name: str
    hours: Decimal
    credit_statement: str
    issued_at: datetime
    verification_code: str
    verification_url: str
    course_id: int | None
    program_id: int | None
    revoked_at: datetime | None
    revoked_reason: str

    @staticmethod
    def resolve_verification_url(obj: object) -> str:
        from ..services.credentials import verification_url

        return verification_url(obj)  # type: ignore[arg-type]


class RevokeIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class VerificationOut(Schema):
    status: Literal["valid", "revoked"]
    recipient_name: str
    title: str
    kind: CredentialKind
    level: str
    issued_at: datetime
    hours: Decimal
    credit_statement: str
    issuer: str
    revoked_at: datetime | None = None
    revoked_reason: str = ""


class SubmissionOut(Schema):
    id: int
    user_id: int
    level: FellowshipLevel
    title: str
    body: str
    attachment_name: str
    status: SubmissionStatus
    reviewer_id: int | None
    submitted_at: datetime | None
    decided_at: datetime | None
    credential_id: int | None
    created_at: datetime
    updated_at: datetime


class SubmissionIn(Schema):
    level: Literal["bronze", "silver", "gold"]
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field("", max_length=100_000)


class CommentIn(Schema):
    body: str = Field(..., min_length=1, max_length=10_000)


class CommentOut(Schema):
    id: int
    author_id: int
    body: str
    decision: str
    created_at: datetime


class DecisionIn(Schema):
    decision: Literal["approve", "request_changes"]
    comment: str = Field("", max_length=10_000)


class SubmissionFilter(Schema):
    queue: Literal["mine", "review"] = "mine"
