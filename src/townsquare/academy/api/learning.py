"""The learner API: enroll, progress, complete lessons, quiz attempts.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from typing import Any

from ninja import Router, Status
from ninja.pagination import paginate

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import NotFound, PermissionRefused
from townsquare.core.pagination import Pagination

from .. import permissions
from ..models import Course, Enrollment, Lesson, Quiz, QuizAttempt
from ..selectors import learning as selectors
from ..services import enrollment as enrollment_services
from ..services import progress as progress_services
from ..services import quizzes as quiz_services
from .learning_schemas import (
    AttemptOut,
    AttemptResultOut,
    AttemptSubmitIn,
    EnrollmentDetailOut,
    EnrollmentOut,
    LessonCompleteOut,
)

router = Router(tags=["academy: learning"])

MAX_ID = 2**31 - 1


def _valid_id(value: int, what: str) -> int:
    if not 1 <= value <= MAX_ID:
        raise NotFound(f"No such {what}.")
    return value


def _own_enrollment(request: AuthenticatedHttpRequest, enrollment_id: int) -> Enrollment:
    enrollment = (
        Enrollment.objects.filter(pk=_valid_id(enrollment_id, "enrollment"))
        .select_related("course", "user", "organization")
        .first()
    )
    if enrollment is None or not permissions.can_view_enrollment(request.user, enrollment):
        raise NotFound("No such enrollment.")
    return enrollment


@router.post(
    "/courses/{course_id}/enrollments",
    response={200: EnrollmentOut, 201: EnrollmentOut},
    summary="Enroll yourself in a course",
)
def enrollments_create(request: AuthenticatedHttpRequest, course_id: int) -> Status:
    course = Course.objects.filter(pk=_valid_id(course_id, "course")).first()
    if course is None or not permissions.can_view_course(request.user, course):
        raise NotFound("No such course.")
    existed = Enrollment.objects.filter(user=request.user, course=course).exists()
    enrollment = enrollment_services.enrollment_create(
        actor=request.user, user=request.user, course=course
    )
    return Status(200 if existed else 201, enrollment)


@router.get("/enrollments", response=list[EnrollmentOut], summary="Your enrollments")
@paginate(Pagination)
def enrollments_list(request: AuthenticatedHttpRequest) -> Any:
    return selectors.enrollment_list(user=request.user)


def _detail(enrollment: Enrollment) -> dict[str, Any]:
    outline = selectors.course_outline(course=enrollment.course, enrollment=enrollment)
    return {
        **{
            field: getattr(enrollment, field)
            for field in (
                "id",
                "course",
                "status",
                "created_at",
                "completed_at",
                "last_activity_at",
                "last_lesson_id",
                "disclosures_seen_at",
            )
        },
        "percent": outline.percent,
        "required_total": outline.required_total,
        "required_done": outline.required_done,
        "resume_lesson_id": outline.resume.pk if outline.resume else None,
        "lessons": [
            {
                "id": entry.lesson.pk,
                "title": entry.lesson.title,
                "kind": entry.lesson.kind,
                "is_required": entry.lesson.is_required,
                "is_completed": entry.is_completed,
            }
            for entry in outline.lessons
        ],
    }


@router.get(
    "/enrollments/{enrollment_id}",
    response=EnrollmentDetailOut,
    summary="An enrollment's progress, lesson by lesson, and where to resume",
)
def enrollments_get(request: AuthenticatedHttpRequest, enrollment_id: int) -> Any:
    return _detail(_own_enrollment(request, enrollment_id))


@router.post(
    "/enrollments/{enrollment_id}/lessons/{lesson_id}/complete",
    response=LessonCompleteOut,
    summary="Mark a (non-quiz) lesson complete",
)
def enrollment_lesson_complete(
    request: AuthenticatedHttpRequest, enrollment_id: int, lesson_id: int
) -> Any:
    enrollment = _own_enrollment(request, enrollment_id)
    if not permissions.can_study(request.user, enrollment):
        raise PermissionRefused("Only the learner marks lessons complete.")
    lesson = Lesson.objects.filter(
        pk=_valid_id(lesson_id, "lesson"), course_id=enrollment.course_id
    ).first()
    if lesson is None:
        raise NotFound("No such lesson in this course.")
    progress = progress_services.lesson_complete(enrollment=enrollment, lesson=lesson)
    return {
        "lesson_id": lesson.pk,
        "completed_at": progress.completed_at,
        "enrollment_status": enrollment.status,
    }


def _attempt_body(attempt: QuizAttempt, *, with_results: bool) -> dict[str, Any]:
    questions = quiz_services.attempt_questions(attempt)
    body: dict[str, Any] = {
        "id": attempt.pk,
        "quiz_id": attempt.quiz_id,
        "number": attempt.number,
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "score": attempt.score,
        "is_passed": attempt.is_passed,
        "pass_mark": attempt.quiz.pass_mark,
        "questions": [
            {
                "id": question.pk,
                "kind": question.kind,
                "prompt": question.prompt,
                "points": question.points,
                "choices": [
                    {"id": choice.pk, "text": choice.text} for choice in question.choices.all()
                ],
            }
            for question in questions
        ],
    }
    if with_results:
        answers = {
            answer.question_id: answer
            for answer in attempt.answers.prefetch_related("choices").all()
        }
        body["answers"] = [
            {
                "question_id": question.pk,
                "is_correct": bool(answer and answer.is_correct),
                "points": answer.points if answer else 0,
                "choice_ids": sorted(choice.pk for choice in answer.choices.all())
                if answer
                else [],
                "text": answer.text if answer else "",
                "correct_choice_ids": [c.pk for c in question.choices.all() if c.is_correct],
                "explanation": question.explanation,
            }
            for question in questions
            for answer in [answers.get(question.pk)]
        ]
    return body


@router.post(
    "/quizzes/{quiz_id}/attempts",
    response={201: AttemptOut},
    summary="Start a quiz attempt (or get the open one); questions come without answers",
)
def attempts_create(request: AuthenticatedHttpRequest, quiz_id: int) -> Status:
    quiz = Quiz.objects.filter(pk=_valid_id(quiz_id, "quiz")).select_related("lesson").first()
    if quiz is None or not permissions.can_view_course(request.user, quiz.lesson.course):
        raise NotFound("No such quiz.")
    attempt = quiz_services.attempt_start(user=request.user, quiz=quiz)
    return Status(201, _attempt_body(attempt, with_results=False))


@router.get(
    "/attempts/{attempt_id}",
    response=AttemptResultOut,
    summary="A quiz attempt; graded answers once submitted",
)
def attempts_get(request: AuthenticatedHttpRequest, attempt_id: int) -> Any:
    attempt = quiz_services.attempt_get(
        user=request.user, attempt_id=_valid_id(attempt_id, "quiz attempt")
    )
    body = _attempt_body(attempt, with_results=attempt.is_submitted)
    body.setdefault("answers", [])
    return body


@router.post(
    "/attempts/{attempt_id}/submit",
    response=AttemptResultOut,
    summary="Submit answers; graded once (a second submission is a 409 conflict)",
)
def attempts_submit(
    request: AuthenticatedHttpRequest, attempt_id: int, payload: AttemptSubmitIn
) -> Any:
    answers: dict[int, list[int] | str] = {}
    for answer in payload.answers:
        if answer.text is not None and not answer.choice_ids:
            answers[answer.question_id] = answer.text
        else:
            answers[answer.question_id] = answer.choice_ids
    attempt = quiz_services.attempt_submit(
        user=request.user, attempt_id=_valid_id(attempt_id, "quiz attempt"), answers=answers
    )
    attempt = quiz_services.attempt_get(user=request.user, attempt_id=attempt.pk)
    return _attempt_body(attempt, with_results=True)
