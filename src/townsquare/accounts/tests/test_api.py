from __future__ import annotations

import json

import pytest
from django.test import Client

from townsquare.accounts import services
from townsquare.accounts.tests.factories import OrganizationFactory, make_user
from townsquare.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_me_with_a_personal_token(organization, leader):
    issued = services.api_token_create(user=leader, name="script")
    response = Client().get("/api/v1/accounts/me", headers=bearer(issued.raw))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == leader.email
    assert body["roles"] == ["member"]
    assert body["organizations"] == [
        {
            "organization": {
                "id": organization.pk,
                "slug": organization.slug,
                "name": organization.name,
            },
            "role": "leader",
        }
    ]
    assert body["organization"]["slug"] == organization.slug


def test_revoked_token_is_refused_and_audited(member):
    issued = services.api_token_create(user=member, name="old")
    services.api_token_revoke(user=member, token_id=issued.token.pk)
    response = Client().get("/api/v1/accounts/me", headers=bearer(issued.raw))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not-authenticated"
    assert "revoked" in response.json()["detail"]
    assert AuditRecord.objects.filter(action="access.refused").exists()


def test_token_of_a_deleted_account_stops_working(member):
    issued = services.api_token_create(user=member, name="x")
    services.account_delete(user=member)
    assert Client().get("/api/v1/accounts/me", headers=bearer(issued.raw)).status_code == 401


def test_session_writes_need_csrf(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.patch(
        "/api/v1/accounts/me", data=json.dumps({"title": "X"}), content_type="application/json"
    )
    assert response.status_code in (401, 403)
    member.refresh_from_db()
    assert member.title == ""


def test_token_writes_need_no_csrf(member):
    issued = services.api_token_create(user=member, name="x")
    response = Client(enforce_csrf_checks=True).patch(
        "/api/v1/accounts/me",
        data=json.dumps({"title": "Nurse manager"}),
        content_type="application/json",
        headers=bearer(issued.raw),
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Nurse manager"


def test_invalid_input_is_a_problem_document_naming_the_field(member, client_for):
    response = client_for(member).patch(
        "/api/v1/accounts/me",
        data=json.dumps({"profession": "wizard", "display_name": ""}),
        content_type="application/json",
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "validation-failed"
    assert problem["type"].endswith("/validation-failed")
    assert set(problem["errors"]) == {"profession", "display_name"}
    member.refresh_from_db()
    assert member.profession == "nurse"


def test_malformed_json_is_a_problem_document(member, client_for):
    response = client_for(member).patch(
        "/api/v1/accounts/me", data="{not json", content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"


def test_unknown_organization_is_404_problem(member, client_for):
    response = client_for(member).get("/api/v1/accounts/organizations/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not-found"


def test_add_member_with_unknown_email_names_the_field(organization, leader, client_for):
    response = client_for(leader).post(
        f"/api/v1/accounts/organizations/{organization.pk}/members",
        data=json.dumps({"email": "ghost@nowhere.example"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["errors"] == {"email": ["No account with this address."]}
    response = client_for(leader).post(
        f"/api/v1/accounts/organizations/{organization.pk}/members",
        data=json.dumps({"email": "not-an-email"}),
        content_type="application/json",
    )
    assert response.status_code == 422


def test_lists_are_paginated_with_items_and_count(member, client_for):
    OrganizationFactory.create_batch(7)
    response = client_for(member).get("/api/v1/accounts/organizations?limit=3&offset=2")
    body = response.json()
    assert body["count"] == 7
    assert len(body["items"]) == 3
    assert client_for(member).get("/api/v1/accounts/organizations?limit=0").status_code == 422
    assert client_for(member).get("/api/v1/accounts/organizations?limit=1000").status_code == 422


@pytest.mark.parametrize("size", [5, 50])
def test_organization_list_query_count_is_fixed(
    member, client_for, size, django_assert_max_num_queries
):
    OrganizationFactory.create_batch(size)
    client = client_for(member)
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/accounts/organizations?limit=100")
    assert response.json()["count"] == size


def test_openapi_document_is_served(member, client_for):
    spec = Client().get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Townsquare API"
    assert "/api/v1/accounts/me" in spec["paths"]
    assert client_for(member).get("/api/v1/docs").status_code == 200


def test_people_list_shows_no_patients(member, patient, client_for):
    make_user(display_name="Another Nurse")
    response = client_for(member).get("/api/v1/accounts/people")
    ids = {item["id"] for item in response.json()["items"]}
    assert patient.pk not in ids
    assert member.pk in ids


def test_failed_token_attempts_are_rate_limited(member, settings):
    settings.RATE_LIMIT_API_TOKEN_FAILED = "5/m"
    issued = services.api_token_create(user=member, name="x")
    client = Client()
    statuses = [
        client.get("/api/v1/accounts/me", headers=bearer(f"tsq_guess{n}")).status_code
        for n in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    response = client.get("/api/v1/accounts/me", headers=bearer(issued.raw))
    assert response.status_code == 429
    assert response.json()["code"] == "rate-limited"


def test_null_clears_a_text_field_but_not_the_name(member, client_for):
    client = client_for(member)
    client.patch(
        "/api/v1/accounts/me", data=json.dumps({"bio": "Hello"}), content_type="application/json"
    )
    response = client.patch(
        "/api/v1/accounts/me", data=json.dumps({"bio": None}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["bio"] == ""
    response = client.patch(
        "/api/v1/accounts/me",
        data=json.dumps({"display_name": None}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"display_name"}


def test_an_absurd_offset_is_a_validation_problem(member, client_for):
    response = client_for(member).get("/api/v1/accounts/organizations?offset=27497368079735300096")
    assert response.status_code == 422
    assert "offset" in response.json()["errors"]


def test_nul_characters_are_refused_everywhere_in_the_api(member, client_for):
    # PostgreSQL text cannot hold NUL; the API refuses it as Django's forms do, never a 500.
    client = client_for(member)
    response = client.patch(
        "/api/v1/accounts/me",
        data=json.dumps({"title": "Nurse\u0000manager"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation-failed"
    assert "title" in response.json()["errors"]
    member.refresh_from_db()
    assert member.title != "Nurse\u0000manager"
    response = client.get("/api/v1/accounts/people", {"q": "nurse\u0000"})
    assert response.status_code == 422
