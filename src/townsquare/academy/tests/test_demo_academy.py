"""The hand-written Academy demo: consistent with the rules, and idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from townsquare.academy import demo
from townsquare.academy.models import (
    Cohort,
    CohortRole,
    Course,
    CourseStatus,
    Credential,
    CreditActivity,
    Enrollment,
    EnrollmentStatus,
    LearningStatement,
    Lesson,
    LessonKind,
    LessonProgress,
    Program,
    Question,
    QuestionKind,
)
from townsquare.accounts import demo as accounts_demo
from townsquare.core.search import search_ids

MODELS = (Course, Lesson, Question, Enrollment, LessonProgress, Credential, Cohort, Program)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.django_db
def test_the_demo_command_loads_the_academy_once():
    call_command("demo", "--quiet", stdout=StringIO())
    first = _counts()
    call_command("demo", stdout=StringIO())
    assert _counts() == first
    assert demo.load_small() is False
    assert first["Course"] == len(demo.COURSES)
    assert first["Credential"] == 1
    # The catalog's search finds the demo courses.
    privacy = Course.objects.get(code="GSM 103")
    assert privacy.pk in search_ids("course", "privacy")


@pytest.mark.django_db
def test_the_residency_program_and_its_cohort():
    accounts_demo.load_small()
    assert demo.load_small() is True
    program = Program.objects.get(slug=demo.RESIDENCY_SLUG)
    assert program.title == "Social Media Residency"
    assert program.is_published
    assert [item.course.code for item in program.items.all()] == ["GSM 101", "GSM 103", "GSM 201"]
    cohort = program.cohorts.get()
    roles = {(member.user.email, member.role) for member in cohort.members.all()}
    assert roles == {
        (demo.INSTRUCTOR, CohortRole.INSTRUCTOR),
        (demo.COACH, CohortRole.MENTOR),
        (demo.STAFF, CohortRole.MENTOR),
        (demo.NURSE, CohortRole.LEARNER),
        (demo.PHYSICIAN, CohortRole.LEARNER),
        (demo.LEADER, CohortRole.LEARNER),
    }
    assert all(
        member.mentor is not None and member.mentor.role == CohortRole.MENTOR
        for member in cohort.members.filter(role=CohortRole.LEARNER)
    )
    assert program.enrollments.count() == 3


@pytest.mark.django_db
def test_the_courses_follow_the_authoring_rules():
    accounts_demo.load_small()
    demo.load_small()
    courses = {course.code: course for course in Course.objects.all()}
    assert set(courses) == {"GSM 101", "GSM 103", "GSM 201", "GSM 205", "GSM 301"}
    for course in courses.values():
        assert course.status == CourseStatus.PUBLISHED
        assert course.published_at is not None
        assert [user.email for user in course.instructors.all()] == [demo.INSTRUCTOR]
        kinds = set(course.lessons.values_list("kind", flat=True))
        assert {LessonKind.TEXT, LessonKind.VIDEO, LessonKind.QUIZ} <= kinds
        for video in course.lessons.filter(kind=LessonKind.VIDEO):
            assert video.video_url
            assert len(video.transcript) > 100
        for text in course.lessons.filter(kind=LessonKind.TEXT):
            assert len(text.body) > 200
            assert "lorem" not in text.body.lower()
        quiz = course.lessons.get(kind=LessonKind.QUIZ).quiz  # type: ignore[attr-defined]
        questions = list(quiz.questions.all())
        assert 4 <= len(questions) <= 6
        assert len({question.kind for question in questions}) >= 3
        for question in questions:
            if question.kind == QuestionKind.SHORT:
                assert question.accepted_answers
            else:
                assert question.choices.filter(is_correct=True).exists()
    assert list(courses["GSM 103"].prerequisites.all()) == [courses["GSM 101"]]
    credit = {
        activity.course.code: activity  # type: ignore[union-attr]
        for activity in CreditActivity.objects.select_related("course")
    }
    assert {code: activity.credit_type for code, activity in credit.items()} == {
        "GSM 103": "nursing",
        "GSM 205": "ama_pra_1",
    }
    assert all(activity.disclosures.count() >= 2 for activity in credit.values())


@pytest.mark.django_db
def test_the_demo_member_has_progress_a_completed_course_and_its_certificate():
    accounts_demo.load_small()
    demo.load_small()
    completed = Enrollment.objects.get(status=EnrollmentStatus.COMPLETED)
    assert completed.user.email == demo.NURSE
    assert completed.course.code == "GSM 101"
    assert completed.completed_at is not None
    assert completed.progress.filter(completed_at__isnull=False).count() == (
        completed.course.lessons.count()
    )
    assert completed.attempts.get().is_passed
    credential = Credential.objects.get()
    assert (credential.user, credential.course) == (completed.user, completed.course)
    assert LearningStatement.objects.filter(
        user=completed.user, verb="completed", object_id=completed.course.pk
    ).exists()
    in_progress = Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE)
    assert in_progress.count() == 4
    assert all(enrollment.completed_at is None for enrollment in in_progress)
