"""Reads for learners: their enrollments with progress, a course outline with checkmarks, a lesson
with its neighbours. Each runs a fixed number of queries whatever the size of the course."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from townsquare.core.errors import NotFound

from ..models import (
    Course,
    Enrollment,
    Lesson,
    LessonProgress,
    Module,
    QuizAttempt,
)
from ..permissions import can_view_course


def course_for_learner(*, user: Any, slug: str) -> Course:
    course = Course.objects.filter(slug=slug).select_related("credit_activity").first()
    if course is None or not can_view_course(user, course):
        raise NotFound("No such course.")
    return course


def enrollment_for(*, user: Any, course: Course) -> Enrollment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    enrollment = Enrollment.objects.filter(user=user, course=course).first()
    if enrollment is not None:
        enrollment.course = course
        enrollment.user = user
    return enrollment


def enrollment_list(*, user: Any) -> QuerySet[Enrollment]:
    """The person's enrollments, newest activity first, with lesson counts for progress."""
    required_total = (
        Lesson.objects.filter(course_id=OuterRef("course_id"), is_required=True)
        .order_by()
        .values("course_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    required_done = (
        LessonProgress.objects.filter(
            enrollment_id=OuterRef("pk"), completed_at__isnull=False, lesson__is_required=True
        )
        .order_by()
        .values("enrollment_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        Enrollment.objects.filter(user=user)
        .select_related("course", "last_lesson")
        .annotate(
            required_total=Coalesce(Subquery(required_total, output_field=IntegerField()), 0),
            required_done=Coalesce(Subquery(required_done, output_field=IntegerField()), 0),
        )
        .order_by("-last_activity_at", "-created_at", "-pk")
    )


def percent(done: int, total: int, *, is_completed: bool = False) -> int:
    if is_completed:
        return 100
    return int(done * 100 / total) if total else 0


@dataclass
class OutlineLesson:
    lesson: Lesson
    is_completed: bool
    is_started: bool


@dataclass
class OutlineModule:
    module: Module
    lessons: list[OutlineLesson] = field(default_factory=list)


@dataclass
class Outline:
    modules: list[OutlineModule]
    lessons: list[OutlineLesson]
    required_total: int
    required_done: int
    percent: int
    resume: Lesson | None

    def neighbours(self, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
        ordered = [item.lesson for item in self.lessons]
        index = next(i for i, item in enumerate(ordered) if item.pk == lesson.pk)
        previous = ordered[index - 1] if index > 0 else None
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        return previous, following


def course_outline(*, course: Course, enrollment: Enrollment | None) -> Outline:
    """Modules and lessons in order with checkmarks (four queries at most)."""
    modules = list(
        Module.objects.filter(course=course)
        .order_by("position", "pk")
        .prefetch_related(
            _lessons_prefetch(),
        )
    )
    started: set[int] = set()
    completed: set[int] = set()
    if enrollment is not None:
        for lesson_id, completed_at in LessonProgress.objects.filter(
            enrollment=enrollment
        ).values_list("lesson_id", "completed_at"):
            started.add(lesson_id)
            if completed_at is not None:
                completed.add(lesson_id)
    outline_modules = []
    flat: list[OutlineLesson] = []
    for module in modules:
        item = OutlineModule(module=module)
        for lesson in module.lessons.all():
            entry = OutlineLesson(
                lesson=lesson, is_completed=lesson.pk in completed, is_started=lesson.pk in started
            )
            item.lessons.append(entry)
            flat.append(entry)
        outline_modules.append(item)
    required = [entry for entry in flat if entry.lesson.is_required]
    required_done = sum(1 for entry in required if entry.is_completed)
    resume = _resume_lesson(enrollment, flat)
    return Outline(
        modules=outline_modules,
        lessons=flat,
        required_total=len(required),
        required_done=required_done,
        percent=percent(
            required_done,
            len(required),
            is_completed=enrollment is not None and enrollment.is_completed,
        ),
        resume=resume,
    )


def _lessons_prefetch() -> Any:
    return Prefetch(
        "lessons",
        queryset=Lesson.objects.order_by("position", "pk").only(
            "pk",
            "module_id",
            "course_id",
            "title",
            "kind",
            "is_required",
            "position",
            "estimated_minutes",
        ),
    )


def _resume_lesson(enrollment: Enrollment | None, lessons: list[OutlineLesson]) -> Lesson | None:
    """The last lesson opened; if it is done, the next unfinished one after it; else the first."""
    if not lessons:
        return None
    if enrollment is None or enrollment.last_lesson_id is None:
        return lessons[0].lesson
    ids = [entry.lesson.pk for entry in lessons]
    if enrollment.last_lesson_id not in ids:
        return lessons[0].lesson
    index = ids.index(enrollment.last_lesson_id)
    if not lessons[index].is_completed:
        return lessons[index].lesson
    for entry in lessons[index + 1 :] + lessons[:index]:
        if not entry.is_completed:
            return entry.lesson
    return lessons[index].lesson


def lesson_for_learner(*, course: Course, lesson_id: int) -> Lesson:
    lesson = (
        Lesson.objects.filter(pk=lesson_id, course=course)
        .select_related("quiz", "module")
        .prefetch_related("attachments")
        .first()
    )
    if lesson is None:
        raise NotFound("No such lesson in this course.")
    lesson.course = course
    return lesson


def attempt_list(*, user: Any, quiz_id: int) -> list[QuizAttempt]:
    return list(QuizAttempt.objects.filter(quiz_id=quiz_id, user=user).order_by("number"))
