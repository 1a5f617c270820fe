"""The Academy part of the large demo: consistent rows, deterministic and idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.db.models import Count, Q

from townsquare.academy import demo_large
from townsquare.academy.models import (
    Course,
    Enrollment,
    EnrollmentStatus,
    Lesson,
    LessonProgress,
    Quiz,
    QuizAttempt,
)
from townsquare.accounts import demo_large as accounts_demo_large

PEOPLE, ORGANIZATIONS = 300, 6  # scale 0.03: 6 courses


def _load() -> str:
    output = StringIO()
    accounts_demo_large.load_large(
        output, people=PEOPLE, organizations=ORGANIZATIONS, progress=False
    )
    return output.getvalue()


def test_the_academy_generators_are_registered_after_the_people():
    names = list(accounts_demo_large.generators())
    assert names.index("accounts.people") < names.index("academy.courses")
    assert names.index("academy.courses") < names.index("academy.enrollments")


def test_course_specs_are_deterministic_and_stable_as_the_count_grows():
    assert demo_large.course_specs(5) == demo_large.course_specs(200)[:5]
    specs = demo_large.course_specs(200)
    assert len({spec.code for spec in specs}) == len({spec.title for spec in specs}) == 200
    assert all(8 <= spec.lesson_count <= 15 for spec in specs)
    assert 0.25 < sum(spec.has_quiz for spec in specs) / 200 < 0.55


@pytest.mark.django_db
def test_the_large_demo_adds_courses_enrollments_and_progress_once():
    first = _load()
    assert "academy.courses" in first
    assert "academy.enrollments" in first
    courses = Course.objects.filter(code__startswith=demo_large.CODE_PREFIX)
    assert courses.count() == round(demo_large.DEFAULT_COURSES * PEOPLE / 10_000)
    for course in courses.annotate(lesson_count=Count("lessons")):
        assert 8 <= course.lesson_count <= 15
        assert course.published_at is not None
        assert course.instructors.count() <= 1
    assert Quiz.objects.filter(lesson__course__in=courses).count() == sum(
        spec.has_quiz for spec in demo_large.course_specs(courses.count())
    )
    enrollments = Enrollment.objects.filter(course__in=courses)
    assert enrollments.count() > PEOPLE  # about 2.5 each for the members among them
    completed = enrollments.filter(status=EnrollmentStatus.COMPLETED).annotate(
        lessons=Count("course__lessons", distinct=True),
        done=Count("progress", filter=Q(progress__completed_at__isnull=False), distinct=True),
    )
    assert 0.1 < completed.count() / enrollments.count() < 0.3
    for enrollment in completed:
        assert enrollment.completed_at is not None
        assert enrollment.done == enrollment.lessons
    assert not enrollments.filter(status=EnrollmentStatus.ACTIVE, completed_at__isnull=False)
    assert QuizAttempt.objects.filter(is_passed=True).exists()
    before = (
        Course.objects.count(),
        Lesson.objects.count(),
        Enrollment.objects.count(),
        LessonProgress.objects.count(),
        QuizAttempt.objects.count(),
    )

    second = _load()

    assert "nothing inserted" in second
    assert before == (
        Course.objects.count(),
        Lesson.objects.count(),
        Enrollment.objects.count(),
        LessonProgress.objects.count(),
        QuizAttempt.objects.count(),
    )
