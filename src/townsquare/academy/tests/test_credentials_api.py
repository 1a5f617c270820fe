"""The credentials and fellowship API: lists, badge, revoke, public verification, review flow."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from townsquare.academy.models import EnrollmentStatus
from townsquare.academy.services import badges
from townsquare.academy.services.credentials import course_certificate_issue
from townsquare.academy.tests.factories import make_course, make_enrollment, make_instructor

pytestmark = pytest.mark.django_db

API = "/api/v1/academy"
PLAN = " ".join(["We will post weekly patient-safety tips for our community."] * 8)


def issued(user):
    enrollment = make_enrollment(user, make_course(code="SM 110", title="Basics"))
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_at = timezone.now()
    enrollment.save()
    return course_certificate_issue(enrollment=enrollment)


def post(client, path, body=None):
    return client.post(
        path, data=json.dumps(body) if body is not None else None, content_type="application/json"
    )


def test_credentials_list_and_get(member, client_for):
    credential = issued(member)
    client = client_for(member)
    listing = client.get(f"{API}/credentials").json()
    assert listing["count"] == 1
    item = listing["items"][0]
    assert item["title"] == "SM 110 Basics"
    assert item["verification_url"].endswith(f"/verify/{credential.verification_code}")
    assert "email" not in json.dumps(item)
    assert client.get(f"{API}/credentials/{credential.pk}").json()["id"] == credential.pk
    badge = client.get(f"{API}/credentials/{credential.pk}/badge").json()
    assert badges.badge_verify(badge)


def test_verification_and_revoke(member, staff, client_for):
    credential = issued(member)
    anonymous = Client()
    response = anonymous.get(f"{API}/verifications/{credential.verification_code}")
    assert response.status_code == 200
    assert response.json()["status"] == "valid"
    assert response.json()["recipient_name"] == "Nora Nurse"
    assert member.email not in response.content.decode()

    refused = post(client_for(staff), f"{API}/credentials/{credential.pk}/revoke", {"reason": ""})
    assert refused.status_code == 422
    revoked = post(
        client_for(staff), f"{API}/credentials/{credential.pk}/revoke", {"reason": "Error"}
    )
    assert revoked.status_code == 200
    assert revoked.json()["revoked_reason"] == "Error"
    again = post(client_for(staff), f"{API}/credentials/{credential.pk}/revoke", {"reason": "x"})
    assert again.status_code == 409

    body = anonymous.get(f"{API}/verifications/{credential.verification_code}").json()
    assert body["status"] == "revoked"
    assert body["revoked_reason"] == "Error"
    badge = client_for(member).get(f"{API}/credentials/{credential.pk}/badge")
    assert badge.status_code == 409


@pytest.mark.parametrize("code", ["ABCDEFGHJKMNPQRS", "nope", "x" * 300])
def test_unknown_verification_is_a_404_problem(db, code):
    response = Client().get(f"{API}/verifications/{code}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "No credential has this verification code."


def test_fellowship_flow(member, client_for):
    reviewer = make_instructor()
    learner = client_for(member)
    created = post(
        learner, f"{API}/fellowship/submissions", {"level": "bronze", "title": "Plan", "body": ""}
    )
    assert created.status_code == 201
    submission_id = created.json()["id"]
    not_ready = post(learner, f"{API}/fellowship/submissions/{submission_id}/submit")
    assert not_ready.status_code == 422
    assert "body" in not_ready.json()["errors"]

    from townsquare.academy.models import FellowshipSubmission

    FellowshipSubmission.objects.filter(pk=submission_id).update(body=PLAN)
    submitted = post(learner, f"{API}/fellowship/submissions/{submission_id}/submit")
    assert submitted.json()["status"] == "submitted"

    advisor = client_for(reviewer)
    queue = advisor.get(f"{API}/fellowship/submissions?queue=review").json()
    assert [item["id"] for item in queue["items"]] == [submission_id]
    comment = post(
        advisor, f"{API}/fellowship/submissions/{submission_id}/comments", {"body": "Nice"}
    )
    assert comment.status_code == 201
    missing_comment = post(
        advisor,
        f"{API}/fellowship/submissions/{submission_id}/decision",
        {"decision": "request_changes"},
    )
    assert missing_comment.status_code == 422
    decided = post(
        advisor, f"{API}/fellowship/submissions/{submission_id}/decision", {"decision": "approve"}
    )
    assert decided.status_code == 200
    assert decided.json()["status"] == "approved"
    assert decided.json()["credential_id"]
    twice = post(
        advisor, f"{API}/fellowship/submissions/{submission_id}/decision", {"decision": "approve"}
    )
    assert twice.status_code == 409
    mine = learner.get(f"{API}/credentials").json()
    assert [item["level"] for item in mine["items"]] == ["bronze"]


def test_platinum_cannot_be_posted(member, client_for):
    response = post(
        client_for(member), f"{API}/fellowship/submissions", {"level": "platinum", "title": "x"}
    )
    assert response.status_code == 422
