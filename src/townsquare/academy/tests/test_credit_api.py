"""The CE credit, transcript and report endpoints."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from ..models import CreditClaim, CreditType, Evaluation, Quiz
from ..services import credit as services
from .factories import make_course, make_credit_activity, make_enrollment, make_instructor

pytestmark = pytest.mark.django_db
API = "/api/v1/academy"


def post(client, path, body):
    return client.post(API + path, data=json.dumps(body), content_type="application/json")


def completed(user, course):
    enrollment = make_enrollment(user, course)
    enrollment.status = "completed"
    enrollment.completed_at = timezone.now()
    enrollment.save()


def answers(activity) -> dict[str, str]:
    values = {
        question.key: "5"
        for question in services.evaluation_questions(activity)
        if question.key.startswith("objective_")
    }
    values.update(free_of_bias="yes", practice_change="no", practice_detail="Nothing.", overall="3")
    return values


def test_evaluate_claim_and_read_back(client_for, member):
    activity = make_credit_activity(make_course(), credit_type=CreditType.ACPE)
    completed(member, activity.course)
    client = client_for(member)
    claim_body = {
        "hours": "1.5",
        "attested": True,
        "nabp_eprofile_id": "42",
        "birth_month": 12,
        "birth_day": 31,
    }
    refused = post(client, f"/credit-activities/{activity.pk}/claims", claim_body)
    assert refused.status_code == 422
    assert "evaluation" in refused.json()["detail"]
    response = post(client, f"/credit-activities/{activity.pk}/evaluations", {"answers": {}})
    assert response.status_code == 422
    assert "overall" in response.json()["errors"]
    response = post(
        client, f"/credit-activities/{activity.pk}/evaluations", {"answers": answers(activity)}
    )
    assert response.status_code == 201
    assert response.json()["answers"]["overall"] == "3"
    again = post(
        client, f"/credit-activities/{activity.pk}/evaluations", {"answers": answers(activity)}
    )
    assert again.status_code == 409
    assert Evaluation.objects.count() == 1
    response = post(client, f"/credit-activities/{activity.pk}/claims", claim_body)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["hours"] == "1.50"
    assert "nabp_eprofile_id" not in body
    second = post(client, f"/credit-activities/{activity.pk}/claims", claim_body)
    assert second.status_code == 409
    assert CreditClaim.objects.count() == 1
    listing = client.get(API + "/credit-claims").json()
    assert listing["count"] == 1
    transcript = client.get(API + "/transcripts/me").json()
    assert transcript["completions"][0]["course_id"] == activity.course_id
    assert transcript["totals"] == [
        {"credit_type": "acpe", "label": "ACPE pharmacy CE", "hours": "1.50", "count": 1}
    ]


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"hours": "3"}, 422),
        ({"hours": "-1"}, 422),
        ({"hours": "1.333"}, 422),
        ({"attested": False}, 422),
        ({"birth_month": 2, "birth_day": 30}, 422),
        ({"birth_month": 13}, 422),
        ({"nabp_eprofile_id": "12345678"}, 422),
        ({"nabp_eprofile_id": "1\u0000"}, 422),
    ],
)
def test_claim_refusals(client_for, member, change, status):
    activity = make_credit_activity(make_course(), credit_type=CreditType.ACPE)
    completed(member, activity.course)
    services.evaluation_submit(user=member, activity=activity, answers=answers(activity))
    body = {
        "hours": "1",
        "attested": True,
        "nabp_eprofile_id": "42",
        "birth_month": 1,
        "birth_day": 1,
        **change,
    }
    response = post(client_for(member), f"/credit-activities/{activity.pk}/claims", body)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert not CreditClaim.objects.exists()


def test_unknown_activity_is_not_found(client_for, member):
    response = post(
        client_for(member), "/credit-activities/99999/claims", {"hours": "1", "attested": True}
    )
    assert response.status_code == 404


def test_transcript_of_someone(client_for, staff, member, leader):
    assert client_for(staff).get(f"{API}/users/{member.pk}/transcript").status_code == 200
    assert client_for(member).get(f"{API}/users/{member.pk}/transcript").status_code == 200
    assert client_for(leader).get(f"{API}/users/{member.pk}/transcript").status_code == 403
    assert client_for(staff).get(f"{API}/users/999999/transcript").status_code == 404


def test_course_report(client_for, staff, member):
    course = make_course()
    make_enrollment(member, course)
    body = client_for(staff).get(API + "/reports/courses").json()
    row = next(item for item in body["items"] if item["id"] == course.pk)
    assert (row["enrollments"], row["completions"], row["completion_rate"]) == (1, 0, "0.0")
    assert client_for(member).get(API + "/reports/courses").status_code == 403


def test_item_analysis(client_for, member):
    instructor = make_instructor()
    course = make_course(instructors=(instructor,))
    quiz = Quiz.objects.get(lesson__course=course)
    body = client_for(instructor).get(f"{API}/quizzes/{quiz.pk}/item-analysis").json()
    assert body["attempt_count"] == 0
    assert [item["kind"] for item in body["items"]] == ["single", "true_false", "short"]
    assert len(body["items"][0]["choices"]) == 2
    assert client_for(member).get(f"{API}/quizzes/{quiz.pk}/item-analysis").status_code == 403
    assert client_for(instructor).get(f"{API}/quizzes/99999/item-analysis").status_code == 404
