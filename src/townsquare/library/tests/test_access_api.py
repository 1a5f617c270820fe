"""The access API: ask, list, decide, withdraw, revoke (usage is in test_usage.py)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from townsquare.notifications.models import Notification

from ..models import AccessGrant, AccessRequest, AccessRequestStatus
from .support_access import access_scene

pytestmark = pytest.mark.django_db

BASE = "/api/v1/library"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, path: str, body: object = None):
    return client.post(
        path, data=json.dumps(body) if body is not None else None, content_type="application/json"
    )


def test_asking_through_the_api(django_capture_on_commit_callbacks):
    scene = access_scene()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            _client(scene.person("outsider")),
            f"{BASE}/resources/{scene.org_private.pk}/access-requests",
            {"reason": "Training."},
        )
    assert response.status_code == 201
    body = response.json()
    made = AccessRequest.objects.get(requester=scene.person("outsider"))
    assert body["id"] == made.pk
    assert (body["resource_id"], body["resource_slug"], body["status"], body["reason"]) == (
        scene.org_private.pk,
        scene.org_private.slug,
        "pending",
        "Training.",
    )
    assert body["status_label"] == "Waiting for a decision"
    assert Notification.objects.filter(recipient=scene.person("leader")).count() == 1


def test_asking_again_is_a_409_problem_naming_the_pending_request():
    scene = access_scene()
    response = _post(
        _client(scene.person("member")),
        f"{BASE}/resources/{scene.org_private.pk}/access-requests",
        {},
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "conflict"
    assert response.json()["request_id"] == scene.pending.pk


def test_an_unlisted_or_missing_resource_is_404_and_a_long_reason_422():
    scene = access_scene()
    client = _client(scene.person("outsider"))
    assert (
        _post(client, f"{BASE}/resources/{scene.unlisted.pk}/access-requests", {}).status_code
        == 404
    )
    assert _post(client, f"{BASE}/resources/999999/access-requests", {}).status_code == 404
    too_long = _post(
        client,
        f"{BASE}/resources/{scene.org_private.pk}/access-requests",
        {"reason": "x" * 1001},
    )
    assert too_long.status_code == 422
    assert not AccessRequest.objects.filter(requester=scene.person("outsider")).exists()


def test_the_list_gives_deciders_their_pending_requests_and_others_their_own():
    scene = access_scene()
    leader = _client(scene.person("leader")).get(f"{BASE}/access-requests").json()
    assert leader["count"] == 1
    assert [item["id"] for item in leader["items"]] == [scene.pending.pk]
    staff = _client(scene.person("staff")).get(f"{BASE}/access-requests").json()
    assert [item["id"] for item in staff["items"]] == [scene.pending.pk]
    member = _client(scene.person("member")).get(f"{BASE}/access-requests").json()
    assert [item["id"] for item in member["items"]] == [scene.pending.pk]
    patient = _client(scene.person("patient")).get(f"{BASE}/access-requests").json()
    assert [item["status"] for item in patient["items"]] == ["granted"]
    mine = _client(scene.person("leader")).get(f"{BASE}/access-requests?scope=mine").json()
    assert mine == {"items": [], "count": 0}
    refused = _client(scene.person("member")).get(f"{BASE}/access-requests?scope=decide")
    assert refused.status_code == 403


def test_deciding_through_the_api_once():
    scene = access_scene()
    client = _client(scene.person("leader"))
    path = f"{BASE}/access-requests/{scene.pending.pk}/decision"
    response = _post(client, path, {"decision": "grant", "note": "Welcome."})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["decision_note"], body["decided_by_id"]) == (
        "granted",
        "Welcome.",
        scene.person("leader").pk,
    )
    assert AccessGrant.objects.filter(
        resource=scene.org_private, person=scene.person("member")
    ).exists()
    again = _post(_client(scene.person("staff")), path, {"decision": "refuse"})
    assert again.status_code == 409
    assert again.json()["status_now"] == "granted"


def test_a_bad_decision_is_422():
    scene = access_scene()
    response = _post(
        _client(scene.person("staff")),
        f"{BASE}/access-requests/{scene.pending.pk}/decision",
        {"decision": "maybe"},
    )
    assert response.status_code == 422
    assert AccessRequest.objects.get(pk=scene.pending.pk).status == AccessRequestStatus.PENDING


def test_withdrawing_and_revoking_through_the_api():
    scene = access_scene()
    withdrawn = _post(
        _client(scene.person("member")), f"{BASE}/access-requests/{scene.pending.pk}/withdraw"
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    revoked = _client(scene.person("staff")).delete(f"{BASE}/access-grants/{scene.grant.pk}")
    assert revoked.status_code == 204
    assert not AccessGrant.objects.filter(pk=scene.grant.pk).exists()
    assert _client(scene.person("staff")).delete(f"{BASE}/access-grants/999999").status_code == 404


def test_anonymous_callers_must_authenticate():
    scene = access_scene()
    response = _post(Client(), f"{BASE}/resources/{scene.org_private.pk}/access-requests", {})
    assert response.status_code == 401
    assert Client().get(f"{BASE}/access-requests").status_code == 401
