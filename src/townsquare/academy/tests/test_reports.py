"""Staff course reports and quiz item analysis (difficulty, discrimination, distributions)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from townsquare.accounts.tests.factories import make_user

from ..models import CreditClaim, QuestionKind, Quiz, QuizAnswer, QuizAttempt
from ..selectors.reports import course_report, item_analysis
from .factories import make_course, make_credit_activity, make_enrollment, make_instructor

pytestmark = pytest.mark.django_db


def quiz_of(course) -> Quiz:
    return Quiz.objects.get(lesson__course=course)


def attempt(quiz, user, *, score, correct: dict[str, bool], short_text: str = "hipaa"):
    enrollment = make_enrollment(user, quiz.lesson.course)
    questions = {question.kind: question for question in quiz.questions.all()}
    made = QuizAttempt.objects.create(
        quiz=quiz,
        enrollment=enrollment,
        user=user,
        number=1,
        question_ids=[question.pk for question in questions.values()],
        started_at=timezone.now(),
        submitted_at=timezone.now(),
        score=Decimal(score),
        is_passed=score >= 60,
    )
    for kind, question in questions.items():
        is_correct = correct[kind]
        answer = QuizAnswer.objects.create(
            attempt=made,
            question=question,
            is_correct=is_correct,
            text="" if kind != QuestionKind.SHORT else ("HIPAA" if is_correct else short_text),
        )
        if kind != QuestionKind.SHORT:
            answer.choices.add(question.choices.get(is_correct=is_correct))
    return made


def ten_attempts(quiz):
    """Scores 10..100: the single-choice item separates well, true/false is easy for all,
    and the short answer is right only for the weakest (a broken item)."""
    wrong_texts = ["  HIPPA ", "hippa", "GDPR", "gdpr", "hippa", "ferpa", "x"]
    for index in range(10):
        attempt(
            quiz,
            make_user(),
            score=(index + 1) * 10,
            correct={"single": index >= 5, "true_false": True, "short": index < 3},
            short_text=wrong_texts[index - 3] if index >= 3 else "",
        )


def test_item_analysis_statistics():
    course = make_course()
    quiz = quiz_of(course)
    ten_attempts(quiz)
    analysis = item_analysis(quiz)
    assert (analysis.attempt_count, analysis.group_size) == (10, 3)
    single, true_false, short = analysis.items
    assert (single.answered, single.correct, single.difficulty) == (10, 5, Decimal("0.50"))
    assert single.percent_correct == Decimal("50.0")
    assert single.discrimination == Decimal("1.00")
    assert [(choice.count, choice.percent) for choice in single.choices] == [
        (5, Decimal("50.0")),
        (5, Decimal("50.0")),
    ]
    assert true_false.difficulty == Decimal("1.00")
    assert true_false.discrimination == Decimal("0.00")
    assert short.discrimination == Decimal("-1.00")
    assert short.wrong_answers[:2] == [("hippa", 3), ("gdpr", 2)]
    assert short.choices == []


def test_item_analysis_without_attempts():
    analysis = item_analysis(quiz_of(make_course()))
    assert analysis.attempt_count == 0
    assert all(item.difficulty is None and item.discrimination is None for item in analysis.items)


def test_item_analysis_ignores_open_attempts():
    course = make_course()
    quiz = quiz_of(course)
    made = attempt(
        quiz, make_user(), score=50, correct=dict.fromkeys(["single", "true_false", "short"], True)
    )
    made.submitted_at = None
    made.save()
    assert item_analysis(quiz).items[0].answered == 0


def test_item_analysis_page_and_csv(client_for):
    instructor = make_instructor()
    course = make_course(instructors=(instructor,))
    quiz = quiz_of(course)
    ten_attempts(quiz)
    client = client_for(instructor)
    page = client.get(f"/academy/author/quizzes/{quiz.pk}/analysis/")
    assert page.status_code == 200
    assert b"Discrimination" in page.content
    assert b"hippa" in page.content
    response = client.get(f"/academy/author/quizzes/{quiz.pk}/analysis.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["position", "question", "kind"]
    assert rows[1][5:7] == ["50.0", "1.00"]
    assert rows[3][6] == "'-1.00"  # a leading minus is guarded like any formula start


def test_other_instructors_may_not_see_the_analysis(client_for):
    course = make_course(instructors=(make_instructor(),))
    response = client_for(make_instructor()).get(
        f"/academy/author/quizzes/{quiz_of(course).pk}/analysis/"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("size", [4, 12])
def test_item_analysis_query_count_is_fixed(client_for, staff, django_assert_num_queries, size):
    course = make_course()
    quiz = quiz_of(course)
    for index in range(size):
        attempt(
            quiz,
            make_user(),
            score=index * 5,
            correct={"single": index % 2 == 0, "true_false": True, "short": False},
            short_text=f"answer {index % 3}",
        )
    client = client_for(staff)
    client.get(f"/academy/author/quizzes/{quiz.pk}/analysis/")
    with django_assert_num_queries(10):
        client.get(f"/academy/author/quizzes/{quiz.pk}/analysis/")


def report_world():
    busy = make_course(title="Busy course")
    make_course(title="Quiet course")
    make_credit_activity(busy)
    quiz = quiz_of(busy)
    people = [make_user() for _ in range(4)]
    attempt(
        quiz, people[0], score=80, correct=dict.fromkeys(["single", "true_false", "short"], True)
    )
    attempt(
        quiz, people[1], score=60, correct=dict.fromkeys(["single", "true_false", "short"], True)
    )
    for person in people[2:]:
        make_enrollment(person, busy)
    for person in people[:2]:
        enrollment = busy.enrollments.get(user=person)
        enrollment.status = "completed"
        enrollment.completed_at = timezone.now()
        enrollment.save()
    CreditClaim.objects.create(
        activity=busy.credit_activity,
        user=people[0],
        credit_type="nursing",
        hours=Decimal("1"),
        completed_on=timezone.localdate(),
        attested_at=timezone.now(),
    )
    return busy


def test_course_report_counts():
    busy = report_world()
    rows: dict[str, Any] = {course.title: course for course in course_report()}
    row = rows[busy.title]
    assert (row.enrollment_count, row.completion_count, row.claim_count) == (4, 2, 1)
    assert Decimal(row.average_score) == Decimal(70)
    quiet = rows["Quiet course"]
    assert (quiet.enrollment_count, quiet.completion_count, quiet.average_score) == (0, 0, None)


def test_reports_page_and_csv(client_for, staff):
    report_world()
    client = client_for(staff)
    page = client.get("/academy/staff/reports/")
    assert page.status_code == 200
    assert b"50.0%" in page.content
    response = client.get("/academy/staff/reports/courses.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    busy = next(row for row in rows if row["title"] == "Busy course")
    assert busy["enrollments"] == "4"
    assert busy["completion_rate_percent"] == "50.0"
    assert busy["average_quiz_score"] == "70.0"
    assert busy["credit_claims"] == "1"


@pytest.mark.parametrize("size", [3, 15])
def test_reports_query_count_is_fixed(client_for, staff, django_assert_num_queries, size):
    for _ in range(size):
        course = make_course(modules=1, lessons_per_module=1)
        make_enrollment(make_user(), course)
    client = client_for(staff)
    client.get("/academy/staff/reports/")
    with django_assert_num_queries(4):
        client.get("/academy/staff/reports/")


def test_reports_are_staff_only(client_for, member):
    assert client_for(member).get("/academy/staff/reports/").status_code == 403
    assert client_for(member).get("/academy/staff/reports/courses.csv").status_code == 403
