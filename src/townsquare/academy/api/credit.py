"""CE credit, transcripts and reports in the API (mounted at /api/v1/academy/).

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from typing import Any

from django.urls import reverse
from ninja import Router, Status
from ninja.pagination import paginate

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.accounts.models import User
from townsquare.core.errors import NotFound, PermissionRefused
from townsquare.core.pagination import Pagination

from .. import permissions
from ..models import CreditActivity
from ..selectors import credit as selectors
from ..selectors import reports as report_selectors
from ..services import credit as services
from .credit_schemas import (
    ClaimIn,
    ClaimOut,
    CourseReportOut,
    EvaluationIn,
    EvaluationOut,
    ItemAnalysisOut,
    TranscriptOut,
)

router = Router(tags=["academy: credit"])


def _transcript(person: Any) -> dict[str, Any]:
    record = selectors.transcript_for(person)
    return {
        "user_id": person.pk,
        "display_name": person.display_name,
        "completions": [
            {
                "course_id": enrollment.course_id,
                "course_code": enrollment.course.code,
                "course_title": enrollment.course.title,
                "completed_at": enrollment.completed_at,
                "hours": enrollment.course.estimated_hours,
            }
            for enrollment in record.completions
        ],
        "credentials": [
            {
                "id": credential.pk,
                "kind": credential.kind,
                "title": credential.title,
                "issued_at": credential.issued_at,
                "hours": credential.hours,
                "is_revoked": credential.is_revoked,
                "verify_url": reverse("verify", args=[credential.verification_code]),
            }
            for credential in record.credentials
        ],
        "claims": record.claims,
        "totals": [total.__dict__ for total in record.totals],
    }


@router.get("/transcripts/me", response=TranscriptOut, summary="Your transcript")
def transcript_mine(request: AuthenticatedHttpRequest) -> Any:
    return _transcript(request.user)


@router.get(
    "/users/{user_id}/transcript",
    response=TranscriptOut,
    summary="A person's transcript (yourself, or anyone for center staff)",
)
def transcript_of(request: AuthenticatedHttpRequest, user_id: int) -> Any:
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        raise NotFound("No such person.")
    if not permissions.can_view_transcript(request.user, person):
        raise PermissionRefused("You may see only your own transcript.")
    return _transcript(person)


def _activity(user: Any, activity_id: int) -> CreditActivity:
    activity = CreditActivity.objects.select_related("course").filter(pk=activity_id).first()
    if activity is None or activity.course is None:
        raise NotFound("No such credit activity.")
    if not permissions.can_view_course(user, activity.course):
        raise NotFound("No such credit activity.")
    return activity


@router.post(
    "/credit-activities/{activity_id}/evaluations",
    response={201: EvaluationOut},
    summary="Submit your evaluation of an activity (after completing the course)",
)
def evaluation_create(
    request: AuthenticatedHttpRequest, activity_id: int, payload: EvaluationIn
) -> Status:
    evaluation = services.evaluation_submit(
        user=request.user, activity=_activity(request.user, activity_id), answers=payload.answers
    )
    return Status(201, evaluation)


@router.post(
    "/credit-activities/{activity_id}/claims",
    response={201: ClaimOut},
    summary="Claim credit: completed course, evaluation, attested hours, identifiers",
)
def claim_create(request: AuthenticatedHttpRequest, activity_id: int, payload: ClaimIn) -> Status:
    claim = services.credit_claim(
        user=request.user, activity=_activity(request.user, activity_id), **payload.dict()
    )
    return Status(201, claim)


@router.get("/credit-claims", response=list[ClaimOut], summary="Your credit claims")
@paginate(Pagination)
def claims_mine(request: AuthenticatedHttpRequest) -> Any:
    return selectors.claim_list(user=request.user)


@router.get("/reports/courses", response=list[CourseReportOut], summary="Course report (staff)")
@paginate(Pagination)
def reports_courses(request: AuthenticatedHttpRequest) -> Any:
    if not permissions.can_view_reports(request.user):
        raise PermissionRefused("Only center staff may see academy reports.")
    return [
        {
            "id": course.pk,
            "code": course.code,
            "title": course.title,
            "status": course.status,
            "enrollments": course.enrollment_count,
            "completions": course.completion_count,
            "completion_rate": report_selectors.completion_rate(course),
            "average_quiz_score": course.average_score,
            "credit_claims": course.claim_count,
        }
        for course in report_selectors.course_report()
    ]


@router.get(
    "/quizzes/{quiz_id}/item-analysis",
    response=ItemAnalysisOut,
    summary="Per-question statistics of a quiz (its authors, staff)",
)
def quiz_item_analysis(request: AuthenticatedHttpRequest, quiz_id: int) -> Any:
    quiz = report_selectors.quiz_get(quiz_id)
    if quiz is None:
        raise NotFound("No such quiz.")
    if not permissions.can_view_item_analysis(request.user, quiz.lesson.course):
        raise PermissionRefused("Only the course's authors and staff may see its item analysis.")
    analysis = report_selectors.item_analysis(quiz)
    return {
        "quiz_id": quiz.pk,
        "attempt_count": analysis.attempt_count,
        "group_size": analysis.group_size,
        "items": [
            {
                "question_id": item.question.pk,
                "prompt": item.question.prompt,
                "kind": item.question.kind,
                "answered": item.answered,
                "correct": item.correct,
                "percent_correct": item.percent_correct,
                "discrimination": item.discrimination,
                "choices": [choice.__dict__ for choice in item.choices],
                "wrong_answers": [
                    {"text": text, "count": count} for text, count in item.wrong_answers
                ],
            }
            for item in analysis.items
        ],
    }
