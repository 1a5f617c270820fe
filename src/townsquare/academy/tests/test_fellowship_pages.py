"""Fellowship pages: the ladder, writing and submitting, the queue and review, the award."""

from __future__ import annotations

import pytest

from townsquare.academy.models import FellowshipSubmission, SubmissionStatus
from townsquare.academy.services import fellowship
from townsquare.academy.tests.factories import make_instructor
from townsquare.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db

PLAN = " ".join(["We will post weekly patient-safety tips for our community."] * 8)


def submitted(user, title="Plan"):
    submission = fellowship.submission_create(actor=user, level="bronze", title=title, body=PLAN)
    return fellowship.submission_submit(actor=user, submission=submission)


def test_write_submit_and_get_approved(member, client_for):
    client = client_for(member)
    page = client.get("/academy/fellowship/").content.decode()
    assert "Bronze" in page
    assert "Platinum" in page
    assert "Start a submission" in page
    response = client.post(
        "/academy/fellowship/new/", {"level": "silver", "title": "Report", "body": ""}
    )
    assert response.status_code == 422
    assert "needs the Bronze fellowship first" in response.content.decode()
    response = client.post(
        "/academy/fellowship/new/", {"level": "bronze", "title": "Plan", "body": "Short"}
    )
    submission = FellowshipSubmission.objects.get()
    assert response["Location"] == f"/academy/fellowship/submissions/{submission.pk}/"
    response = client.post(f"/academy/fellowship/submissions/{submission.pk}/submit/", follow=True)
    assert "strategic plan" in response.content.decode()
    client.post(
        f"/academy/fellowship/submissions/{submission.pk}/edit/", {"title": "Plan", "body": PLAN}
    )
    client.post(f"/academy/fellowship/submissions/{submission.pk}/submit/")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED

    advisor = client_for(make_instructor())
    queue = advisor.get("/academy/fellowship/review/").content.decode()
    assert "Plan" in queue
    detail = advisor.get(f"/academy/fellowship/submissions/{submission.pk}/").content.decode()
    assert "Your review" in detail
    response = advisor.post(
        f"/academy/fellowship/submissions/{submission.pk}/decision/",
        {"decision": "request_changes", "comment": ""},
    )
    assert response.status_code == 422
    assert "Say what should change" in response.content.decode()
    advisor.post(
        f"/academy/fellowship/submissions/{submission.pk}/decision/", {"decision": "approve"}
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED
    page = client.get("/academy/fellowship/").content.decode()
    assert "You hold this level" in page


def test_reviewers_do_not_see_drafts(member, client_for):
    draft = fellowship.submission_create(actor=member, level="bronze", title="Secret draft")
    advisor = client_for(make_instructor())
    assert advisor.get(f"/academy/fellowship/submissions/{draft.pk}/").status_code == 404
    assert "Secret draft" not in advisor.get("/academy/fellowship/review/").content.decode()


def test_review_queue_query_count(client_for, django_assert_num_queries):
    advisor = client_for(make_instructor())
    for _ in range(2):
        submitted(make_user())
    advisor.get("/academy/fellowship/review/")
    with django_assert_num_queries(4):
        advisor.get("/academy/fellowship/review/")
    for _ in range(8):
        submitted(make_user())
    with django_assert_num_queries(4):
        response = advisor.get("/academy/fellowship/review/")
    assert response.content.decode().count("/academy/fellowship/submissions/") == 10


def test_award_platinum_page(staff, member, client_for):
    client = client_for(staff)
    response = client.post(
        "/academy/fellowship/award/", {"email": "nobody@example.org", "citation": "x"}
    )
    assert response.status_code == 422
    assert "No one has this email" in response.content.decode()
    response = client.post("/academy/fellowship/award/", {"email": member.email, "citation": "x"})
    assert "needs the Gold" in response.content.decode()
