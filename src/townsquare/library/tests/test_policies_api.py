"""The policy builder API: the clause set, drafts (create, read, replace) and building."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from townsquare.accounts.tests.factories import make_matrix_people

from ..models import PolicyDraft, Resource
from .support_policies import load_clauses, make_draft

pytestmark = pytest.mark.django_db

BASE = "/api/v1/library"


@pytest.fixture
def cast():
    load_clauses()
    return make_matrix_people()


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def send(client: Client, method: str, path: str, body=None):
    return getattr(client, method)(
        f"{BASE}{path}",
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
    )


def test_anyone_reads_the_clause_set_in_order(cast):
    response = client_for(None).get(f"{BASE}/policy-clauses?limit=3")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 8
    assert [clause["key"] for clause in body["items"]] == [
        "patient-privacy",
        "disclosure",
        "accounts",
    ]
    first = body["items"][0]
    assert first["is_required"] is True
    assert [option["key"] for option in first["options"]] == [
        "no-patient-information",
        "written-authorization",
        "de-identified-education",
    ]
    assert first["options"][0]["is_default"] is True


def test_a_leader_creates_reads_replaces_and_builds_a_draft(cast):
    leader = cast.people["leader"]
    client = client_for(leader)
    response = send(
        client,
        "post",
        "/policy-drafts",
        {"organization_id": cast.organization.pk, "effective_on": "2027-02-01"},
    )
    assert response.status_code == 201
    created = response.json()
    draft = PolicyDraft.objects.get()
    assert created["id"] == draft.pk
    assert created["organization_name"] == "Matrix Hospital"
    assert created["contact_email"] == leader.email
    assert created["choices"]["reviews"] == "standard-reply"
    assert created["sections"][0]["title"] == "Protecting patient privacy and PHI"
    assert created["resource_id"] is None
    assert created["docx_url"] is None
    replaced = send(
        client,
        "put",
        f"/policy-drafts/{draft.pk}",
        {
            "title": "Online conduct policy",
            "contact_name": "Compliance office",
            "contact_email": "compliance@example.org",
            "contact_phone": "555-0100",
            "effective_on": "2027-02-01",
            "choices": {**created["choices"], "branded-accounts": "", "reviews": "no-public-reply"},
        },
    )
    assert replaced.status_code == 200
    assert len(replaced.json()["sections"]) == 7
    assert "Compliance office" in " ".join(s["text"] for s in replaced.json()["sections"])
    built = send(client, "post", f"/policy-drafts/{draft.pk}/build", {"change_note": "API"})
    assert built.status_code == 201
    result = built.json()
    resource = Resource.objects.get()
    assert result["resource_id"] == resource.pk
    assert result["version"] == 1
    assert result["created"] is True
    assert result["files"] == [
        "matrix-hospital-online-conduct-policy.docx",
        "matrix-hospital-online-conduct-policy.pdf",
    ]
    assert result["draft"]["docx_url"] == f"/library/policies/{draft.pk}/download.docx"
    again = send(client, "post", f"/policy-drafts/{draft.pk}/build")
    assert (again.json()["version"], again.json()["created"]) == (2, False)
    read = client.get(f"{BASE}/policy-drafts/{draft.pk}").json()
    assert read["current_version"] == 2
    listed = client.get(f"{BASE}/policy-drafts").json()
    assert [item["id"] for item in listed["items"]] == [draft.pk]


def test_bad_drafts_are_problems_and_change_nothing(cast):
    leader = cast.people["leader"]
    client = client_for(leader)
    draft = make_draft(actor=leader, organization=cast.organization)
    before = dict(draft.choices)
    response = send(
        client,
        "put",
        f"/policy-drafts/{draft.pk}",
        {
            "title": "T",
            "contact_name": "C",
            "contact_email": "c@example.org",
            "choices": {**before, "patient-privacy": ""},
        },
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {
        "patient-privacy": ["Choose an option for “Protecting patient privacy and PHI”."]
    }
    response = send(
        client,
        "put",
        f"/policy-drafts/{draft.pk}",
        {"title": "T", "contact_name": "C", "contact_email": "nope", "choices": before},
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["contact_email"]
    draft.refresh_from_db()
    assert (draft.choices, draft.title) == (before, "Social media policy")
    assert send(client, "post", "/policy-drafts", {"organization_id": 999999}).status_code == 404
    assert send(client, "get", "/policy-drafts/999999").status_code == 404


@pytest.mark.parametrize(("role", "status"), [("outsider", 403), ("org_member", 403), (None, 401)])
def test_others_may_not_touch_a_draft(cast, role, status):
    draft = make_draft(actor=cast.people["leader"], organization=cast.organization)
    client = client_for(cast.people[role] if role else None)
    assert client.get(f"{BASE}/policy-drafts/{draft.pk}").status_code == status
    assert send(client, "post", f"/policy-drafts/{draft.pk}/build").status_code == status
    assert (
        send(
            client, "post", "/policy-drafts", {"organization_id": cast.organization.pk}
        ).status_code
        == status
    )
    assert Resource.objects.count() == 0
    assert PolicyDraft.objects.count() == 1
