"""Schemas of the CE credit, transcript and report endpoints.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator


def _no_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("Text may not contain NUL characters.")
    return value


class EvaluationIn(Schema):
    answers: dict[str, str] = Field(
        ...,
        description="Answers keyed by question: objective_1..n and overall ('1'..'5'), "
        "free_of_bias ('yes'/'no'), bias_comment (required when 'no'), practice_change "
        "('yes'/'no'/'maybe'), practice_detail (text), comments (optional).",
    )

    @field_validator("answers")
    @classmethod
    def answers_clean(cls, value: dict[str, str]) -> dict[str, str]:
        if len(value) > 100:
            raise ValueError("Too many answers.")
        for key, answer in value.items():
            _no_nul(key)
            _no_nul(answer)
        return value


class EvaluationOut(Schema):
    id: int
    activity_id: int
    created_at: datetime
    answers: dict[str, str]


class ClaimIn(Schema):
    hours: Decimal = Field(..., gt=0, le=1000, decimal_places=2)
    attested: bool
    license_number: str = Field("", max_length=40)
    license_state: str = Field("", max_length=40)
    nabp_eprofile_id: str = Field("", max_length=10)
    birth_month: int | None = Field(None, ge=1, le=12)
    birth_day: int | None = Field(None, ge=1, le=31)

    @field_validator("license_number", "license_state", "nabp_eprofile_id")
    @classmethod
    def text_clean(cls, value: str) -> str:
        return str(_no_nul(value))


class ClaimOut(Schema):
    """A claim as its owner sees it; identifiers are not echoed back."""

    id: int
    activity_id: int
    course_title: str
    credit_type: str
    hours: Decimal
    completed_on: date
    attested_at: datetime

    @staticmethod
    def resolve_course_title(claim: Any) -> str:
        course = claim.activity.course
        return course.title if course else ""


class CompletionOut(Schema):
    course_id: int
    course_code: str
    course_title: str
    completed_at: datetime | None
    hours: Decimal


class CredentialOut(Schema):
    id: int
    kind: str
    title: str
    issued_at: datetime
    hours: Decimal
    is_revoked: bool
    verify_url: str


class CreditTotalOut(Schema):
    credit_type: str
    label: str
    hours: Decimal
    count: int


class TranscriptOut(Schema):
    user_id: int
    display_name: str
    completions: list[CompletionOut]
    credentials: list[CredentialOut]
    claims: list[ClaimOut]
    totals: list[CreditTotalOut]


class CourseReportOut(Schema):
    id: int
    code: str
    title: str
    status: str
    enrollments: int
    completions: int
    completion_rate: Decimal | None
    average_quiz_score: Decimal | None
    credit_claims: int


class ChoiceStatOut(Schema):
    choice_id: int
    text: str
    is_correct: bool
    count: int
    percent: Decimal | None


class WrongAnswerOut(Schema):
    text: str
    count: int


class ItemOut(Schema):
    question_id: int
    prompt: str
    kind: str
    answered: int
    correct: int
    percent_correct: Decimal | None
    discrimination: Decimal | None
    choices: list[ChoiceStatOut]
    wrong_answers: list[WrongAnswerOut]


class ItemAnalysisOut(Schema):
    quiz_id: int
    attempt_count: int
    group_size: int
    items: list[ItemOut]
