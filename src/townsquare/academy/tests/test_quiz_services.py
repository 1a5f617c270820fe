"""Quiz attempts: drawing, limits, retakes until passed, grading on the server, one grading."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from townsquare.academy.models import (
    Choice,
    EnrollmentStatus,
    LearningStatement,
    LessonProgress,
    Question,
    QuestionKind,
    QuizAnswer,
    QuizAttempt,
    Verb,
)
from townsquare.academy.services.enrollment import enrollment_create
from townsquare.academy.services.quizzes import attempt_allowance, attempt_start, attempt_submit
from townsquare.academy.tests.factories import (
    make_course,
    make_credit_activity,
    make_enrollment,
)
from townsquare.academy.tests.test_learning_support import (
    completion_calls,  # noqa: F401
    learning_state,
    quiz_of,
    right_answers,
    wrong_answers,
)
from townsquare.accounts.tests.factories import make_user
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(member):
    course = make_course()
    make_enrollment(member, course)
    return member, quiz_of(course)


def test_start_draws_the_bank_and_returns_the_open_attempt(setup):
    member, quiz = setup
    attempt = attempt_start(user=member, quiz=quiz)
    assert sorted(attempt.question_ids) == sorted(quiz.questions.values_list("pk", flat=True))
    assert attempt.number == 1
    assert attempt_start(user=member, quiz=quiz).pk == attempt.pk


def test_questions_per_attempt_draws_a_subset(setup):
    member, quiz = setup
    quiz.questions_per_attempt = 2
    quiz.save()
    attempt = attempt_start(user=member, quiz=quiz)
    assert len(attempt.question_ids) == 2
    assert len(set(attempt.question_ids)) == 2


def test_not_enrolled_or_before_disclosures_is_refused(member):
    course = make_course()
    with pytest.raises(PermissionRefused, match="Enroll"):
        attempt_start(user=member, quiz=quiz_of(course))
    make_credit_activity(course)
    enrollment_create(actor=member, user=member, course=course)
    with pytest.raises(Conflict, match="disclosures"):
        attempt_start(user=member, quiz=quiz_of(course))
    assert not QuizAttempt.objects.exists()


def test_grading_passes_with_normalized_short_answers(setup, completion_calls):  # noqa: F811
    member, quiz = setup
    attempt = attempt_start(user=member, quiz=quiz)
    graded = attempt_submit(user=member, attempt_id=attempt.pk, answers=right_answers(attempt))
    assert graded.score == Decimal("100.00")
    assert graded.is_passed
    assert QuizAnswer.objects.filter(attempt=attempt, is_correct=True).count() == 3
    statement = LearningStatement.objects.get(verb=Verb.PASSED)
    assert statement.statement["result"]["score"]["raw"] == 100.0
    assert LessonProgress.objects.get(lesson=quiz.lesson).completed_at is not None


def test_a_failed_attempt_records_failed_and_the_score(setup):
    member, quiz = setup
    attempt = attempt_start(user=member, quiz=quiz)
    graded = attempt_submit(user=member, attempt_id=attempt.pk, answers=wrong_answers(attempt))
    assert graded.score == Decimal("0.00")
    assert not graded.is_passed
    assert LearningStatement.objects.filter(verb=Verb.FAILED).count() == 1
    assert not LessonProgress.objects.filter(lesson=quiz.lesson, completed_at__isnull=False)


def test_partial_credit_and_multiple_needs_the_exact_set(setup):
    member, quiz = setup
    multiple = Question.objects.create(
        quiz=quiz, kind=QuestionKind.MULTIPLE, prompt="Pick two", points=2, position=5
    )
    good = [Choice.objects.create(question=multiple, text=t, is_correct=True) for t in "ab"]
    Choice.objects.create(question=multiple, text="c")
    attempt = attempt_start(user=member, quiz=quiz)
    answers = right_answers(attempt)
    answers[multiple.pk] = [good[0].pk]  # only one of the two: wrong
    graded = attempt_submit(user=member, attempt_id=attempt.pk, answers=answers)
    assert graded.score == Decimal("60.00")  # 3 of 5 points
    assert graded.is_passed  # pass mark 60


def test_unanswered_questions_score_nothing(setup):
    member, quiz = setup
    attempt = attempt_start(user=member, quiz=quiz)
    graded = attempt_submit(user=member, attempt_id=attempt.pk, answers={})
    assert graded.score == Decimal("0.00")


def test_a_second_submission_changes_nothing(setup):
    member, quiz = setup
    attempt = attempt_start(user=member, quiz=quiz)
    attempt_submit(user=member, attempt_id=attempt.pk, answers=wrong_answers(attempt))
    before = learning_state()
    with pytest.raises(Conflict, match="already submitted"):
        attempt_submit(user=member, attempt_id=attempt.pk, answers=right_answers(attempt))
    assert learning_state() == before


def test_another_learners_attempt_is_not_found_and_unchanged(setup):
    member, quiz = setup
    attempt = attempt_start(user=member, quiz=quiz)
    other = make_user()
    make_enrollment(other, quiz.lesson.course)
    before = learning_state()
    with pytest.raises(NotFound):
        attempt_submit(user=other, attempt_id=attempt.pk, answers=right_answers(attempt))
    assert learning_state() == before


def test_answers_outside_the_attempt_are_refused(setup):
    member, quiz = setup
    quiz.questions_per_attempt = 1
    quiz.save()
    attempt = attempt_start(user=member, quiz=quiz)
    outside = quiz.questions.exclude(pk__in=attempt.question_ids).first()
    drawn = Question.objects.get(pk=attempt.question_ids[0])
    before = learning_state()
    with pytest.raises(ValidationFailed):
        attempt_submit(user=member, attempt_id=attempt.pk, answers={outside.pk: "HIPAA"})
    foreign_choice = Choice.objects.exclude(question=drawn).order_by("pk").first()
    assert foreign_choice is not None
    bad = "x" if drawn.kind != QuestionKind.SHORT else [foreign_choice.pk]
    with pytest.raises(ValidationFailed):
        attempt_submit(user=member, attempt_id=attempt.pk, answers={drawn.pk: bad})
    if drawn.kind != QuestionKind.SHORT:
        with pytest.raises(ValidationFailed, match="errors"):
            attempt_submit(
                user=member, attempt_id=attempt.pk, answers={drawn.pk: [foreign_choice.pk]}
            )
    assert learning_state() == before


def test_the_attempt_limit_is_enforced(setup):
    member, quiz = setup
    quiz.attempt_limit = 2
    quiz.save()
    for _ in range(2):
        attempt = attempt_start(user=member, quiz=quiz)
        attempt_submit(user=member, attempt_id=attempt.pk, answers=wrong_answers(attempt))
    before = learning_state()
    with pytest.raises(Conflict, match="all 2 attempts"):
        attempt_start(user=member, quiz=quiz)
    assert learning_state() == before
    allowance = attempt_allowance(user=member, quiz=quiz)
    assert (allowance.used, allowance.remaining, allowance.may_start) == (2, 0, False)


def test_no_retake_once_passed(setup, completion_calls):  # noqa: F811
    member, quiz = setup
    attempt = attempt_start(user=member, quiz=quiz)
    attempt_submit(user=member, attempt_id=attempt.pk, answers=right_answers(attempt))
    before = learning_state()
    with pytest.raises(Conflict, match="already passed"):
        attempt_start(user=member, quiz=quiz)
    assert learning_state() == before


def test_a_withdrawn_learner_cannot_start(setup):
    member, quiz = setup
    member.enrollments.update(status=EnrollmentStatus.WITHDRAWN)
    with pytest.raises(PermissionRefused):
        attempt_start(user=member, quiz=quiz)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_grade_once(member, completion_calls):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks across connections")
    course = make_course()
    make_enrollment(member, course)
    attempt = attempt_start(user=member, quiz=quiz_of(course))
    answers = right_answers(attempt)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            attempt_submit(user=member, attempt_id=attempt.pk, answers=answers)
            outcomes.append("graded")
        except Conflict:
            outcomes.append("conflict")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "graded"]
    assert QuizAnswer.objects.filter(attempt=attempt).count() == 3
    assert LearningStatement.objects.filter(verb=Verb.PASSED).count() == 1
