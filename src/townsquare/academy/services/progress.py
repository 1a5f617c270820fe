"""Progress through a course: opening and completing lessons, resume, and course completion."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from townsquare.core.errors import Conflict, NotFound
from townsquare.core.locks import lock_row

from ..models import (
    Enrollment,
    EnrollmentStatus,
    Lesson,
    LessonKind,
    LessonProgress,
    QuizAttempt,
    Verb,
)
from .enrollment import disclosures_required
from .statements import statement_record


def require_studying(enrollment: Enrollment) -> None:
    """Refuse study in a withdrawn enrollment, or before a CE activity's disclosures were read."""
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        raise Conflict("You have withdrawn from this course; enroll again to continue.")
    if disclosures_required(enrollment):
        raise Conflict(
            "Read the financial disclosures and learning objectives on the course page, and "
            "confirm you have read them, before the first lesson."
        )


def _require_lesson_of(enrollment: Enrollment, lesson: Lesson) -> None:
    if lesson.course_id != enrollment.course_id:
        raise NotFound("That lesson is not part of this course.")


@transaction.atomic
def lesson_open(*, enrollment: Enrollment, lesson: Lesson) -> LessonProgress:
    """Start (or return to) a lesson: records where to resume and, the first time, "launched"."""
    _require_lesson_of(enrollment, lesson)
    require_studying(enrollment)
    now = timezone.now()
    is_first_launch = enrollment.last_activity_at is None
    progress, created = LessonProgress.objects.get_or_create(
        enrollment=enrollment, lesson=lesson, defaults={"started_at": now}
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson=lesson, last_activity_at=now)
    enrollment.last_lesson = lesson
    enrollment.last_activity_at = now
    course = enrollment.course
    if is_first_launch:
        statement_record(
            user=enrollment.user,
            verb=Verb.LAUNCHED,
            object_type="course",
            object_id=course.pk,
            name=course.title,
        )
    if created:
        statement_record(
            user=enrollment.user,
            verb=Verb.LAUNCHED,
            object_type="lesson",
            object_id=lesson.pk,
            name=lesson.title,
            parent=("course", course.pk),
        )
    return progress


def lesson_mark_completed(*, enrollment: Enrollment, lesson: Lesson) -> LessonProgress:
    """Mark a lesson done (once) and record "completed"; quiz passes come through here too."""
    now = timezone.now()
    progress, _created = LessonProgress.objects.get_or_create(
        enrollment=enrollment, lesson=lesson, defaults={"started_at": now}
    )
    if progress.completed_at is None:
        updated = LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(
            completed_at=now
        )
        progress.completed_at = now
        if updated:
            statement_record(
                user=enrollment.user,
                verb=Verb.COMPLETED,
                object_type="lesson",
                object_id=lesson.pk,
                name=lesson.title,
                completion=True,
                parent=("course", lesson.course_id),
            )
    return progress


@transaction.atomic
def lesson_complete(*, enrollment: Enrollment, lesson: Lesson) -> LessonProgress:
    """The learner marks a (non-quiz) lesson complete; then the course may be complete."""
    _require_lesson_of(enrollment, lesson)
    require_studying(enrollment)
    if lesson.kind == LessonKind.QUIZ:
        raise Conflict("A quiz lesson is completed by passing its quiz.")
    progress = lesson_mark_completed(enrollment=enrollment, lesson=lesson)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        last_lesson=lesson, last_activity_at=progress.completed_at
    )
    enrollment_check_completion(enrollment=enrollment)
    return progress


def completion_state(enrollment: Enrollment) -> tuple[set[int], set[int], set[int]]:
    """(required lesson ids, completed lesson ids, ids of required quiz lessons not yet passed)."""
    lessons = list(
        Lesson.objects.filter(course_id=enrollment.course_id).values_list("pk", "is_required")
    )
    required = {pk for pk, is_required in lessons if is_required}
    completed = set(
        LessonProgress.objects.filter(
            enrollment=enrollment, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    quiz_lessons = set(
        Lesson.objects.filter(
            course_id=enrollment.course_id, is_required=True, quiz__isnull=False
        ).values_list("pk", flat=True)
    )
    passed = set(
        QuizAttempt.objects.filter(
            user_id=enrollment.user_id, quiz__lesson__in=quiz_lessons, is_passed=True
        ).values_list("quiz__lesson_id", flat=True)
    )
    return required, completed, quiz_lessons - passed


@transaction.atomic
def enrollment_check_completion(*, enrollment: Enrollment) -> bool:
    """Complete the enrollment when every required lesson is done and every required quiz passed.

    Locks the enrollment row so the completion (statement, certificate, programs) happens once.
    """
    locked = lock_row(Enrollment.objects.filter(pk=enrollment.pk).select_related("course", "user"))
    if locked.status == EnrollmentStatus.COMPLETED:
        return True
    if locked.status != EnrollmentStatus.ACTIVE:
        return False
    required, completed, unpassed_quizzes = completion_state(locked)
    if not required or required - completed or unpassed_quizzes:
        return False
    now = timezone.now()
    locked.status = EnrollmentStatus.COMPLETED
    locked.completed_at = now
    locked.save(update_fields=["status", "completed_at", "updated_at"])
    enrollment.status = locked.status
    enrollment.completed_at = now
    statement_record(
        user=locked.user,
        verb=Verb.COMPLETED,
        object_type="course",
        object_id=locked.course_id,
        name=locked.course.title,
        completion=True,
    )
    from . import credentials, programs  # type: ignore[attr-defined]

    credentials.course_certificate_issue(enrollment=locked)
    programs.program_completion_check(user=locked.user)
    return True
