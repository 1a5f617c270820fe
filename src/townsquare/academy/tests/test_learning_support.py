"""Shared helpers for the learning tests (no tests here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from townsquare.academy.models import (
    Choice,
    Course,
    Enrollment,
    LearningStatement,
    LessonKind,
    LessonProgress,
    QuestionKind,
    Quiz,
    QuizAnswer,
    QuizAttempt,
)
from townsquare.core.models import AuditRecord


@dataclass
class Recorder:
    certificates: list[int] = field(default_factory=list)
    program_checks: list[int] = field(default_factory=list)


@pytest.fixture
def completion_calls(monkeypatch) -> Recorder:
    """Stand-ins for the credentials and programs services (other areas test the real ones)."""
    import importlib
    import sys
    import types

    recorder = Recorder()

    def certificate(*, enrollment: Any) -> None:
        recorder.certificates.append(enrollment.pk)

    def program_check(*, user: Any) -> list[Any]:
        recorder.program_checks.append(user.pk)
        return []

    for name, attribute, function in (
        ("credentials", "course_certificate_issue", certificate),
        ("programs", "program_completion_check", program_check),
    ):
        module_name = f"townsquare.academy.services.{name}"
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            module = types.ModuleType(module_name)
            monkeypatch.setitem(sys.modules, module_name, module)
        monkeypatch.setattr(module, attribute, function, raising=False)
    return recorder


def lessons_of(course: Course) -> list[Any]:
    return list(course.lessons.order_by("module__position", "position", "pk"))


def text_lessons(course: Course) -> list[Any]:
    return [lesson for lesson in lessons_of(course) if lesson.kind != LessonKind.QUIZ]


def quiz_of(course: Course) -> Quiz:
    return Quiz.objects.get(lesson__course=course)


def right_answers(attempt: QuizAttempt) -> dict[int, list[int] | str]:
    answers: dict[int, list[int] | str] = {}
    for question in attempt.quiz.questions.filter(pk__in=attempt.question_ids):
        if question.kind == QuestionKind.SHORT:
            answers[question.pk] = f"  {question.accepted_answers[0].lower()} "
        else:
            answers[question.pk] = list(
                Choice.objects.filter(question=question, is_correct=True).values_list(
                    "pk", flat=True
                )
            )
    return answers


def wrong_answers(attempt: QuizAttempt) -> dict[int, list[int] | str]:
    answers: dict[int, list[int] | str] = {}
    for question in attempt.quiz.questions.filter(pk__in=attempt.question_ids):
        if question.kind == QuestionKind.SHORT:
            answers[question.pk] = "GDPR"
        else:
            answers[question.pk] = list(
                Choice.objects.filter(question=question, is_correct=False).values_list(
                    "pk", flat=True
                )[:1]
            )
    return answers


def learning_state() -> tuple:
    """Everything the learning services write, to prove a refusal changed nothing."""
    return (
        list(
            Enrollment.objects.order_by("pk").values_list(
                "pk", "status", "disclosures_seen_at", "last_lesson_id", "completed_at"
            )
        ),
        list(LessonProgress.objects.order_by("pk").values_list("pk", "completed_at")),
        list(
            QuizAttempt.objects.order_by("pk").values_list("pk", "submitted_at", "score", "number")
        ),
        QuizAnswer.objects.count(),
        LearningStatement.objects.count(),
        AuditRecord.objects.filter(action__startswith="academy.").count(),
    )
