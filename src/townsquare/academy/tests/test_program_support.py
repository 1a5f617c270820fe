"""Shared helpers for the programs and cohorts tests (no tests of its own)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from townsquare.accounts.models import User

from ..models import (
    AccessTier,
    Cohort,
    Course,
    Enrollment,
    EnrollmentStatus,
    Program,
    ProgramItem,
)
from .factories import make_course

_numbers = iter(range(1, 10**6))


def record_certificates(monkeypatch: Any) -> list[Any]:
    """Stand in for the credentials builder's ``program_certificate_issue``; records the calls."""
    from ..services import credentials

    issued: list[Any] = []
    monkeypatch.setattr(
        credentials,
        "program_certificate_issue",
        lambda *, program_enrollment: issued.append(program_enrollment),
    )
    return issued


def make_program(
    *,
    courses: int | list[Course] = 2,
    published: bool = True,
    tier: str = AccessTier.MEMBER,
    title: str | None = None,
) -> Program:
    number = next(_numbers)
    program = Program.objects.create(
        title=title or f"Program {number}",
        slug=f"program-{number}",
        summary="A **path** of courses.",
        access_tier=tier,
        is_published=published,
    )
    course_list = (
        courses
        if isinstance(courses, list)
        else [make_course(modules=1, lessons_per_module=2, with_quiz=False) for _ in range(courses)]
    )
    for position, course in enumerate(course_list):
        ProgramItem.objects.create(program=program, course=course, position=position)
    return program


def complete(user: User, course: Course) -> Enrollment:
    """Simulate finishing a course (the learning area's services do it for real)."""
    enrollment, _ = Enrollment.objects.get_or_create(user=user, course=course)
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_at = timezone.now()
    enrollment.save()
    return enrollment


def make_cohort(
    *,
    course: Course | None = None,
    program: Program | None = None,
    mentee_limit: int = 8,
    capacity: int | None = None,
) -> Cohort:
    import datetime

    number = next(_numbers)
    if course is None and program is None:
        course = make_course(modules=1, lessons_per_module=2, with_quiz=False)
    return Cohort.objects.create(
        title=f"Cohort {number}",
        slug=f"cohort-{number}",
        course=course,
        program=program,
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 3, 27),
        mentee_limit=mentee_limit,
        capacity=capacity,
    )
