"""The reviewers' pages: the queue with filters, a submission with the decision form, deciding
(approve now or for a date, changes, reject), comments, and a second decision that comes late."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ..models import Resource, ResourceStatus, ReviewAction, ReviewEvent
from ..services import review as services
from .support_submissions import approve, ask_for_changes, scene, submit

pytestmark = pytest.mark.django_db


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_queue_shows_waiting_submissions_and_filters():
    world = scene()
    submit(world.submitter, title="Waiting policy")
    guideline = submit(world.submitter, title="Waiting guideline", kind="guideline")
    sent_back = submit(world.submitter, title="Sent back")
    ask_for_changes(world.reviewer, sent_back)
    client = client_for(world.reviewer)

    html = client.get("/library/review/").content.decode()
    assert "2 submissions" in html
    assert "Waiting policy" in html
    assert "Waiting guideline" in html
    assert "Sent back" not in html
    assert "Sam Submitter" in html

    html = client.get("/library/review/?kind=guideline").content.decode()
    assert "1 submission<" in html
    assert f"/library/review/{guideline.pk}/" in html
    html = client.get("/library/review/?status=changes_requested").content.decode()
    assert "Sent back" in html
    html = client.get("/library/review/?status=all&q=sent").content.decode()
    assert "1 submission<" in html


def test_a_bad_filter_falls_back_to_the_waiting_list():
    world = scene()
    submit(world.submitter)
    response = client_for(world.reviewer).get("/library/review/?status=nonsense&order=x")
    assert response.status_code == 200
    assert "1 submission<" in response.content.decode()


def test_the_detail_has_the_decision_form_while_waiting():
    world = scene()
    resource = submit(world.submitter)
    client = client_for(world.reviewer)
    html = client.get(f"/library/review/{resource.pk}/").content.decode()
    assert "Record the decision" in html
    assert "Approve and publish on a date" in html
    assert "Sam Submitter" in html
    approve(world.reviewer, resource)
    html = client.get(f"/library/review/{resource.pk}/").content.decode()
    assert "Record the decision" not in html
    assert "Status: Published." in html


def test_approving_from_the_page():
    world = scene()
    resource = submit(world.submitter)
    response = client_for(world.reviewer).post(
        f"/library/review/{resource.pk}/decide", {"action": "approve", "comment": ""}
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED


def test_approving_for_a_date_from_the_page():
    world = scene()
    resource = submit(world.submitter)
    when = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    response = client_for(world.reviewer).post(
        f"/library/review/{resource.pk}/decide",
        {"action": "approve_on_date", "publish_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.status, resource.publish_at) == (ResourceStatus.SCHEDULED, when)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "reject"}, "Say what needs to change or why"),
        ({"action": "request_changes", "comment": "  "}, "Say what needs to change or why"),
        ({"action": "approve_on_date"}, "Choose the date and time to publish it."),
        ({"action": "approve_on_date", "publish_at": "2001-01-01T10:00"}, "in the future"),
        ({}, "This field is required."),
    ],
)
def test_incomplete_decisions_are_clear_errors_and_change_nothing(data, message):
    world = scene()
    resource = submit(world.submitter)
    response = client_for(world.reviewer).post(f"/library/review/{resource.pk}/decide", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.SUBMITTED
    assert ReviewEvent.objects.count() == 1


def test_a_late_second_decision_says_someone_decided_already():
    world = scene()
    resource = submit(world.submitter)
    approve(world.reviewer, resource)
    response = client_for(world.reviewer).post(
        f"/library/review/{resource.pk}/decide",
        {"action": "reject", "comment": "No."},
        follow=True,
    )
    assert "Someone decided on this submission already" in response.content.decode()
    assert Resource.objects.get().status == ResourceStatus.PUBLISHED


def test_comments_from_both_sides_land_on_their_pages():
    world = scene()
    resource = submit(world.submitter)
    response = client_for(world.reviewer).post(
        f"/library/review/{resource.pk}/comment", {"comment": "Is the PDF final?"}
    )
    assert response["Location"] == f"/library/review/{resource.pk}/"
    response = client_for(world.submitter).post(
        f"/library/review/{resource.pk}/comment", {"comment": "Yes it is."}
    )
    assert response["Location"] == f"/library/submissions/{resource.pk}/"
    assert list(
        ReviewEvent.objects.filter(action=ReviewAction.COMMENTED).values_list("comment", flat=True)
    ) == ["Is the PDF final?", "Yes it is."]
    response = client_for(world.submitter).post(
        f"/library/review/{resource.pk}/comment", {"comment": ""}
    )
    assert response.status_code == 422


def test_the_reviewers_see_the_submitters_name_in_the_timeline():
    world = scene()
    resource = submit(world.submitter)
    services.review_comment(actor=world.reviewer, resource=resource, comment="Hello")
    html = client_for(world.reviewer).get(f"/library/review/{resource.pk}/").content.decode()
    assert "by Sam Submitter (submitter)" in html
    assert "by Rita Reviewer" in html


@pytest.mark.parametrize("count", [5, 50])
def test_the_queue_queries_are_pinned(count, django_assert_num_queries):
    world = scene()
    for index in range(count):
        submit(world.submitter, title=f"Queue {index}", organization_id=world.organization.pk)
    client = client_for(world.reviewer)
    client.get("/library/review/")
    # session, user, roles, memberships (navigation), the count, the page (with submitter,
    # organization and version)
    with django_assert_num_queries(6):
        response = client.get("/library/review/")
    assert response.content.decode().count("/library/review/") >= min(count, 25)


@pytest.mark.parametrize("count", [5, 50])
def test_the_review_detail_queries_are_pinned(count, django_assert_num_queries):
    world = scene()
    resource = submit(world.submitter)
    for index in range(count):
        services.review_comment(actor=world.reviewer, resource=resource, comment=f"Note {index}")
    client = client_for(world.reviewer)
    client.get(f"/library/review/{resource.pk}/")
    # session, user, roles, memberships (navigation), the submission, topics, authors, files,
    # the timeline
    with django_assert_num_queries(9):
        response = client.get(f"/library/review/{resource.pk}/")
    assert response.content.decode().count("Note ") == count
