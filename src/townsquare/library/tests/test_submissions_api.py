"""The submissions API: create a draft from JSON, add files by multipart, send it, follow its
timeline; staff decide and comment; errors are problem documents and change nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from townsquare.accounts.tests.factories import make_user

from ..models import Resource, ResourceStatus, ReviewEvent
from .factories import pdf_bytes, upload
from .support_submissions import ask_for_changes, scene, submit

pytestmark = pytest.mark.django_db
BASE = "/api/v1/library/submissions"


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def post(client: Client, path: str, body: dict | None = None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


BODY = {
    "kind": "policy",
    "title": "API policy",
    "summary": "Sent through the API.",
    "authors": [{"name": "Riverside Health", "is_organization": True}],
    "access": "member",
}


def test_a_draft_gets_a_file_and_is_sent_through_the_api():
    world = scene()
    client = client_for(world.submitter)

    created = post(client, BASE, BODY)
    assert created.status_code == 201, created.content
    draft = created.json()
    assert (draft["status"], draft["version"], draft["files"], draft["timeline"]) == (
        "draft",
        None,
        [],
        [],
    )
    assert draft["next_step"].startswith("Not sent yet")

    refused = post(client, f"{BASE}/{draft['id']}/submit")
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"

    added = client.post(
        f"{BASE}/{draft['id']}/files",
        {"files": [upload("policy.pdf", pdf_bytes("Policy text"))]},
    )
    assert added.status_code == 201, added.content
    assert [(f["name"], f["kind"]) for f in added.json()["files"]] == [("policy.pdf", "pdf")]
    assert added.json()["version"] == 1

    sent = post(client, f"{BASE}/{draft['id']}/submit")
    assert sent.status_code == 200
    assert sent.json()["status"] == "submitted"
    assert [e["action"] for e in sent.json()["timeline"]] == ["submitted"]


def test_submitting_at_once_with_a_body():
    world = scene()
    response = post(
        client_for(world.submitter), BASE, {**BODY, "body": "# Policy\nText.", "submit": True}
    )
    assert response.status_code == 201
    assert response.json()["status"] == "submitted"
    assert response.json()["body"] == "# Policy\nText."


def test_missing_fields_are_a_problem_document_and_nothing_is_saved():
    world = scene()
    client = client_for(world.submitter)
    response = post(client, BASE, {**BODY, "title": ""})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    response = post(client, BASE, {**BODY, "submit": True})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"body", "files"}
    response = post(client, BASE, {**BODY, "access": "organization"})
    assert response.status_code == 422
    assert Resource.objects.count() == 0


def test_a_file_that_is_not_a_pdf_is_refused():
    world = scene()
    client = client_for(world.submitter)
    draft = post(client, BASE, BODY).json()
    response = client.post(
        f"{BASE}/{draft['id']}/files", {"files": [upload("policy.pdf", b"<html>no</html>")]}
    )
    assert response.status_code == 422
    assert "is not a .pdf file" in response.json()["detail"]
    assert Resource.objects.get().current_version_id is None


def test_my_submissions_and_one_with_its_timeline():
    world = scene()
    resource = submit(world.submitter)
    ask_for_changes(world.reviewer, resource, comment="Add contacts.")
    client = client_for(world.submitter)

    listed = client.get(BASE).json()
    assert listed["count"] == 1
    assert listed["items"][0]["status"] == "changes_requested"
    assert listed["items"][0]["version"] == 1

    detail = client.get(f"{BASE}/{resource.pk}").json()
    assert [(e["action"], e["actor_name"], e["comment"]) for e in detail["timeline"]] == [
        ("submitted", "Sam Submitter", ""),
        ("changes_requested", "The library team", "Add contacts."),
    ]
    assert client_for(make_user()).get(f"{BASE}/{resource.pk}").status_code == 404
    assert client_for(make_user()).get(BASE).json() == {"items": [], "count": 0}


def test_resubmitting_through_submit():
    world = scene()
    resource = submit(world.submitter)
    ask_for_changes(world.reviewer, resource)
    response = post(
        client_for(world.submitter), f"{BASE}/{resource.pk}/submit", {"comment": "Done."}
    )
    assert response.status_code == 200
    assert response.json()["timeline"][-1]["action"] == "resubmitted"


def test_staff_decide_and_a_second_decision_is_409():
    world = scene()
    resource = submit(world.submitter)
    client = client_for(world.reviewer)
    response = post(client, f"{BASE}/{resource.pk}/decision", {"action": "approve"})
    assert response.status_code == 200
    assert response.json()["status"] == "published"
    again = post(client, f"{BASE}/{resource.pk}/decision", {"action": "reject", "comment": "x"})
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"


def test_a_decision_needs_a_known_action_and_a_comment_to_reject():
    world = scene()
    resource = submit(world.submitter)
    client = client_for(world.reviewer)
    assert post(client, f"{BASE}/{resource.pk}/decision", {"action": "maybe"}).status_code == 422
    response = post(client, f"{BASE}/{resource.pk}/decision", {"action": "reject"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["comment"]
    assert Resource.objects.get().status == ResourceStatus.SUBMITTED


def test_members_may_not_decide_and_comments_are_for_the_two_sides():
    world = scene()
    resource = submit(world.submitter)
    response = post(
        client_for(world.submitter), f"{BASE}/{resource.pk}/decision", {"action": "approve"}
    )
    assert response.status_code == 403
    response = post(
        client_for(world.submitter), f"{BASE}/{resource.pk}/comments", {"comment": "Hi"}
    )
    assert response.status_code == 201
    assert ReviewEvent.objects.filter(action="commented").count() == 1


def test_withdrawing_through_the_api():
    world = scene()
    resource = submit(world.submitter)
    response = post(client_for(world.submitter), f"{BASE}/{resource.pk}/withdraw", {})
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_anonymous_callers_are_401():
    assert Client().get(BASE).status_code == 401
    assert post(Client(), BASE, BODY).status_code == 401
