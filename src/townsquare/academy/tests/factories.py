"""Academy test data. Courses are built directly from models so every area's tests can start from
the same ready-made course; tests of the authoring services build through those services."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.utils import timezone

from townsquare.accounts.models import Role, User
from townsquare.accounts.tests.factories import make_user

from ..models import (
    AccessTier,
    Choice,
    Course,
    CourseStatus,
    CreditActivity,
    CreditType,
    Disclosure,
    DisclosureRole,
    Enrollment,
    Lesson,
    LessonKind,
    Module,
    Question,
    QuestionKind,
    Quiz,
)

_sequence = itertools.count(1)


def make_instructor(**fields: object) -> User:
    return make_user(roles=(Role.INSTRUCTOR, Role.MEMBER), **fields)  # type: ignore[arg-type]


def make_course(
    *,
    title: str | None = None,
    code: str | None = None,
    tier: str = AccessTier.MEMBER,
    published: bool = True,
    instructors: tuple[User, ...] = (),
    modules: int = 2,
    lessons_per_module: int = 2,
    with_quiz: bool = True,
    estimated_hours: str = "2.00",
) -> Course:
    """A course of ``modules`` modules of ``lessons_per_module`` text lessons, plus (``with_quiz``)
    a last module holding a quiz lesson with three questions (see ``make_quiz``)."""
    number = next(_sequence)
    course = Course.objects.create(
        code=code or f"TST {100 + number}",
        slug=f"test-course-{number}",
        title=title or f"Test course {number}",
        summary="A course **for tests**.",
        access_tier=tier,
        status=CourseStatus.PUBLISHED if published else CourseStatus.DRAFT,
        published_at=timezone.now() if published else None,
        estimated_hours=Decimal(estimated_hours),
    )
    course.instructors.set(instructors)
    for module_number in range(modules):
        module = Module.objects.create(
            course=course, title=f"Module {module_number + 1}", position=module_number
        )
        for lesson_number in range(lessons_per_module):
            Lesson.objects.create(
                module=module,
                course=course,
                title=f"Lesson {module_number + 1}.{lesson_number + 1}",
                kind=LessonKind.TEXT,
                body=f"Text of lesson {module_number + 1}.{lesson_number + 1}.",
                position=lesson_number,
            )
    if with_quiz:
        module = Module.objects.create(
            course=course, title="Check your knowledge", position=modules
        )
        make_quiz(module=module)
    return course


def make_quiz(*, module: Module, pass_mark: int = 60, attempt_limit: int | None = 3) -> Quiz:
    """A quiz lesson with a single-choice, a true/false and a short-answer question."""
    lesson = Lesson.objects.create(
        module=module,
        course=module.course,
        title="Final quiz",
        kind=LessonKind.QUIZ,
        position=module.lessons.count(),
    )
    quiz = Quiz.objects.create(lesson=lesson, pass_mark=pass_mark, attempt_limit=attempt_limit)
    single = Question.objects.create(
        quiz=quiz,
        kind=QuestionKind.SINGLE,
        prompt="Which is a HIPAA identifier?",
        position=0,
        explanation="Names are one of the eighteen identifiers.",
    )
    Choice.objects.create(question=single, text="A patient's name", is_correct=True, position=0)
    Choice.objects.create(question=single, text="The weather", position=1)
    true_false = Question.objects.create(
        quiz=quiz,
        kind=QuestionKind.TRUE_FALSE,
        prompt="Photos of patients need consent.",
        position=1,
    )
    Choice.objects.create(question=true_false, text="True", is_correct=True, position=0)
    Choice.objects.create(question=true_false, text="False", position=1)
    Question.objects.create(
        quiz=quiz,
        kind=QuestionKind.SHORT,
        prompt="Name the US privacy law for health data.",
        accepted_answers=["HIPAA", "Health Insurance Portability and Accountability Act"],
        position=2,
    )
    return quiz


def make_credit_activity(
    course: Course, *, credit_type: str = CreditType.NURSING, max_hours: str = "2.00"
) -> CreditActivity:
    activity = CreditActivity.objects.create(
        course=course,
        credit_type=credit_type,
        max_hours=Decimal(max_hours),
        objectives="- Recognize PHI in a post\n- Plan a compliant campaign",
        accreditation_statement="The center is accredited to provide continuing education.",
    )
    Disclosure.objects.create(
        activity=activity, person_name="Dr. Ada Planner", role=DisclosureRole.PLANNER
    )
    Disclosure.objects.create(
        activity=activity,
        person_name="Ben Faculty, RN",
        role=DisclosureRole.FACULTY,
        relationships="Speaker's bureau, Example Pharma",
        mitigation="Content peer reviewed for bias.",
    )
    return activity


def make_enrollment(user: User, course: Course) -> Enrollment:
    return Enrollment.objects.create(user=user, course=course, disclosures_seen_at=timezone.now())
