"""Progress: opening lessons (resume, launched), completing them, and course completion."""

from __future__ import annotations

import pytest

from townsquare.academy.models import (
    EnrollmentStatus,
    LearningStatement,
    LessonProgress,
    Verb,
)
from townsquare.academy.services.enrollment import enrollment_create
from townsquare.academy.services.progress import (
    enrollment_check_completion,
    lesson_complete,
    lesson_open,
)
from townsquare.academy.services.quizzes import attempt_start, attempt_submit
from townsquare.academy.tests.factories import make_course, make_credit_activity, make_enrollment
from townsquare.academy.tests.test_learning_support import (
    completion_calls,  # noqa: F401
    learning_state,
    quiz_of,
    right_answers,
    text_lessons,
)
from townsquare.core.errors import Conflict, NotFound

pytestmark = pytest.mark.django_db


def statements(verb: str, object_type: str) -> int:
    return LearningStatement.objects.filter(verb=verb, object_type=object_type).count()


def test_opening_lessons_records_resume_and_launched_once(member):
    course = make_course()
    enrollment = make_enrollment(member, course)
    first, second = text_lessons(course)[:2]
    lesson_open(enrollment=enrollment, lesson=first)
    lesson_open(enrollment=enrollment, lesson=second)
    lesson_open(enrollment=enrollment, lesson=first)
    enrollment.refresh_from_db()
    assert enrollment.last_lesson == first
    assert enrollment.last_activity_at is not None
    assert statements(Verb.LAUNCHED, "course") == 1
    assert statements(Verb.LAUNCHED, "lesson") == 2
    assert LessonProgress.objects.filter(enrollment=enrollment).count() == 2


def test_a_lesson_of_another_course_is_not_found(member):
    enrollment = make_enrollment(member, make_course())
    other = text_lessons(make_course())[0]
    with pytest.raises(NotFound):
        lesson_open(enrollment=enrollment, lesson=other)


def test_the_disclosures_gate_refuses_lessons_until_acknowledged(member):
    course = make_course()
    make_credit_activity(course)
    enrollment = enrollment_create(actor=member, user=member, course=course)
    before = learning_state()
    with pytest.raises(Conflict, match="disclosures"):
        lesson_open(enrollment=enrollment, lesson=text_lessons(course)[0])
    with pytest.raises(Conflict, match="disclosures"):
        lesson_complete(enrollment=enrollment, lesson=text_lessons(course)[0])
    assert learning_state() == before


def test_a_quiz_lesson_is_not_marked_complete_by_hand(member):
    course = make_course()
    enrollment = make_enrollment(member, course)
    with pytest.raises(Conflict, match="passing"):
        lesson_complete(enrollment=enrollment, lesson=quiz_of(course).lesson)


def test_completing_lessons_then_passing_the_quiz_completes_the_course_once(
    member,
    completion_calls,  # noqa: F811
):
    course = make_course()
    enrollment = make_enrollment(member, course)
    for lesson in text_lessons(course):
        lesson_complete(enrollment=enrollment, lesson=lesson)
        lesson_complete(enrollment=enrollment, lesson=lesson)  # twice: counted once
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE  # the quiz is not passed yet
    assert statements(Verb.COMPLETED, "lesson") == 4
    attempt = attempt_start(user=member, quiz=quiz_of(course))
    attempt_submit(user=member, attempt_id=attempt.pk, answers=right_answers(attempt))
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert enrollment.completed_at is not None
    assert statements(Verb.COMPLETED, "course") == 1
    assert completion_calls.certificates == [enrollment.pk]
    assert completion_calls.program_checks == [member.pk]
    assert enrollment_check_completion(enrollment=enrollment) is True
    assert completion_calls.certificates == [enrollment.pk]
    assert statements(Verb.COMPLETED, "course") == 1


def test_optional_lessons_are_not_needed(member, completion_calls):  # noqa: F811
    course = make_course(with_quiz=False)
    lessons = text_lessons(course)
    lessons[-1].is_required = False
    lessons[-1].save()
    enrollment = make_enrollment(member, course)
    for lesson in lessons[:-1]:
        lesson_complete(enrollment=enrollment, lesson=lesson)
    enrollment.refresh_from_db()
    assert enrollment.is_completed
    assert len(completion_calls.certificates) == 1


def test_a_withdrawn_learner_cannot_progress(member):
    course = make_course()
    enrollment = make_enrollment(member, course)
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.save()
    with pytest.raises(Conflict, match="withdrawn"):
        lesson_complete(enrollment=enrollment, lesson=text_lessons(course)[0])
    assert enrollment_check_completion(enrollment=enrollment) is False
