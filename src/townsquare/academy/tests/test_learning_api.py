"""The learner API: enroll, progress, complete lessons, quiz attempts; problems for refusals."""

from __future__ import annotations

import json

import pytest

from townsquare.academy.models import AccessTier, Enrollment, QuizAttempt
from townsquare.academy.tests.factories import make_course, make_credit_activity, make_enrollment
from townsquare.academy.tests.test_learning_support import (
    completion_calls,  # noqa: F401
    learning_state,
    quiz_of,
    right_answers,
    text_lessons,
)
from townsquare.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db
BASE = "/api/v1/academy"


def post(client, path, body=None):
    return client.post(
        BASE + path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
    )


def test_enroll_list_and_progress(member, client_for):
    course = make_course()
    client = client_for(member)
    response = post(client, f"/courses/{course.pk}/enrollments")
    assert response.status_code == 201
    enrollment_id = response.json()["id"]
    assert post(client, f"/courses/{course.pk}/enrollments").status_code == 200
    listing = client.get(BASE + "/enrollments").json()
    assert listing["count"] == 1
    assert listing["items"][0]["course"]["code"] == course.code
    lesson = text_lessons(course)[0]
    done = post(client, f"/enrollments/{enrollment_id}/lessons/{lesson.pk}/complete")
    assert done.status_code == 200
    detail = client.get(f"{BASE}/enrollments/{enrollment_id}").json()
    assert detail["percent"] == 20
    assert detail["lessons"][0] == {
        "id": lesson.pk,
        "title": lesson.title,
        "kind": "text",
        "is_required": True,
        "is_completed": True,
    }
    assert detail["resume_lesson_id"] == text_lessons(course)[1].pk


def test_tier_refusal_is_a_problem(patient, client_for):
    course = make_course(tier=AccessTier.MEMBER)
    response = post(client_for(patient), f"/courses/{course.pk}/enrollments")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "open to members" in response.json()["detail"]
    assert not Enrollment.objects.exists()


def test_prerequisite_refusal_lists_them(member, client_for):
    basics, advanced = make_course(code="PRE 1"), make_course()
    advanced.prerequisites.add(basics)
    response = post(client_for(member), f"/courses/{advanced.pk}/enrollments")
    assert response.status_code == 409
    assert response.json()["missing_prerequisites"] == ["PRE 1"]


def test_lesson_completion_before_disclosures_is_refused(member, client_for):
    course = make_course()
    make_credit_activity(course)
    client = client_for(member)
    enrollment_id = post(client, f"/courses/{course.pk}/enrollments").json()["id"]
    lesson = text_lessons(course)[0]
    response = post(client, f"/enrollments/{enrollment_id}/lessons/{lesson.pk}/complete")
    assert response.status_code == 409
    assert "disclosures" in response.json()["detail"]


def test_someone_elses_enrollment_is_not_found(member, client_for):
    enrollment = make_enrollment(member, make_course())
    other = client_for(make_user())
    assert other.get(f"{BASE}/enrollments/{enrollment.pk}").status_code == 404
    lesson = text_lessons(enrollment.course)[0]
    before = learning_state()
    response = post(other, f"/enrollments/{enrollment.pk}/lessons/{lesson.pk}/complete")
    assert response.status_code == 404
    assert learning_state() == before


def test_quiz_attempt_round_trip_without_leaking_answers(member, client_for, completion_calls):  # noqa: F811
    course = make_course()
    make_enrollment(member, course)
    client = client_for(member)
    quiz = quiz_of(course)
    started = post(client, f"/quizzes/{quiz.pk}/attempts")
    assert started.status_code == 201
    body = started.json()
    assert "is_correct" not in json.dumps(body)
    assert "accepted_answers" not in json.dumps(body)
    assert len(body["questions"]) == 3
    attempt = QuizAttempt.objects.get()
    answers = [
        {"question_id": qid, "choice_ids": a}
        if isinstance(a, list)
        else {"question_id": qid, "text": a}
        for qid, a in right_answers(attempt).items()
    ]
    graded = post(client, f"/attempts/{attempt.pk}/submit", {"answers": answers})
    assert graded.status_code == 200, graded.content
    assert graded.json()["is_passed"] is True
    assert graded.json()["score"] in ("100.00", 100.0, "100")
    again = post(client, f"/attempts/{attempt.pk}/submit", {"answers": answers})
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    fetched = client.get(f"{BASE}/attempts/{attempt.pk}").json()
    assert len(fetched["answers"]) == 3
    assert post(client, f"/quizzes/{quiz.pk}/attempts").status_code == 409


def test_another_learners_attempt_via_api(member, client_for):
    course = make_course()
    make_enrollment(member, course)
    quiz = quiz_of(course)
    post(client_for(member), f"/quizzes/{quiz.pk}/attempts")
    attempt = QuizAttempt.objects.get()
    other = client_for(make_user())
    assert other.get(f"{BASE}/attempts/{attempt.pk}").status_code == 404
    before = learning_state()
    response = post(other, f"/attempts/{attempt.pk}/submit", {"answers": []})
    assert response.status_code == 404
    assert learning_state() == before


def test_bad_answers_and_huge_ids_are_problems_not_500s(member, client_for):
    course = make_course()
    make_enrollment(member, course)
    client = client_for(member)
    quiz = quiz_of(course)
    post(client, f"/quizzes/{quiz.pk}/attempts")
    attempt = QuizAttempt.objects.get()
    response = post(
        client,
        f"/attempts/{attempt.pk}/submit",
        {"answers": [{"question_id": 999999, "choice_ids": [2**40]}]},
    )
    assert response.status_code == 422
    assert client.get(f"{BASE}/attempts/{2**40}").status_code == 404
    assert post(client, f"/quizzes/{2**40}/attempts").status_code == 404
    assert post(client, f"/courses/{2**40}/enrollments").status_code == 404
    assert client.get(f"{BASE}/enrollments/{2**40}").status_code == 404
