"""Access pages and API against every role: who may ask, decide, withdraw, revoke and read usage;
refusals change nothing and are audited (same shape as events' matrices).

The world (``support_access.access_scene``): ``org_private`` is listed and private to the matrix
organization (its leader decides); ``staff_only`` is listed, for center staff, with no
organization (staff decide); the member has a pending request for ``org_private``; the patient
was given ``staff_only``."""

from __future__ import annotations

import pytest

from townsquare.accounts.tests.factories import MATRIX_ROLES
from townsquare.core.testing.matrix import (
    DENIED,
    NOT_AUTHENTICATED,
    OK,
    REDIRECT_LOGIN,
    api_ids,
    assert_api_read,
    assert_api_write,
    assert_page,
    assert_page_write,
    client_as,
    page_ids,
    send_json,
)

from ..models import AccessGrant, AccessRequest
from .support_access import AccessScene, access_scene

pytestmark = pytest.mark.django_db

ROLES = MATRIX_ROLES
SIGNED_IN = [role for role in ROLES if role != "anonymous"]
CONFLICT, CREATED, NO_CONTENT, FOUND = 409, 201, 204, 302


@pytest.fixture
def world() -> AccessScene:
    return access_scene()


EVERYONE_SIGNED_IN = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, OK)}
DECIDERS = {
    "anonymous": REDIRECT_LOGIN,
    **dict.fromkeys(SIGNED_IN, DENIED),
    "leader": OK,
    "staff": OK,
}
STAFF_ONLY = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, DENIED), "staff": OK}
# Who may open org_private is sent to it; who may see it but not open it gets the form.
ASK_PAGE = {
    "anonymous": REDIRECT_LOGIN,
    **dict.fromkeys(SIGNED_IN, OK),
    "org_member": FOUND,
    "leader": FOUND,
    "staff": FOUND,
}
HIDDEN = {
    "anonymous": REDIRECT_LOGIN,
    **dict.fromkeys(SIGNED_IN, 404),
    "org_member": FOUND,
    "leader": FOUND,
    "staff": FOUND,
}

PAGES = [
    ("library:access_request", "get", "/library/r/{org_private}/request-access/", ASK_PAGE),
    ("library:access_request (unlisted)", "get", "/library/r/{unlisted}/request-access/", HIDDEN),
    ("library:my_access_requests", "get", "/library/requests/mine/", EVERYONE_SIGNED_IN),
    ("library:access_requests", "get", "/library/requests/", DECIDERS),
    ("library:resource_usage", "get", "/library/r/{org_private}/usage/", DECIDERS),
    (
        "library:resource_usage (unlisted)",
        "get",
        "/library/r/{unlisted}/usage/",
        {**HIDDEN, "org_member": DENIED, "leader": OK, "staff": OK},
    ),
    ("library:resource_usage_csv", "get", "/library/r/{org_private}/usage.csv", DECIDERS),
    ("library:usage_overview", "get", "/library/manage/usage/", STAFF_ONLY),
    ("library:usage_overview_csv", "get", "/library/manage/usage.csv", STAFF_ONLY),
]

WRITES = [
    (
        "library:access_request",
        "/library/r/{org_private}/request-access/",
        {"reason": "For our training."},
        {**ASK_PAGE, "patient": FOUND, "outsider": FOUND, "moderator": FOUND, "member": CONFLICT},
    ),
    (
        "library:access_decide",
        "/library/requests/{pending}/decide",
        {"decision": "grant", "note": "Yes."},
        {**DECIDERS, "leader": FOUND, "staff": FOUND},
    ),
    (
        "library:access_request_withdraw",
        "/library/requests/{pending}/withdraw",
        {},
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, DENIED), "member": FOUND},
    ),
    (
        "library:grant_revoke",
        "/library/requests/grants/{grant}/revoke",
        {},
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, DENIED), "staff": FOUND},
    ),
]

API_SIGNED_IN = {"anonymous": NOT_AUTHENTICATED, **dict.fromkeys(SIGNED_IN, OK)}
API_DECIDERS = {
    "anonymous": NOT_AUTHENTICATED,
    **dict.fromkeys(SIGNED_IN, DENIED),
    "leader": OK,
    "staff": OK,
}

API = [
    ("get", "/api/v1/library/access-requests", None, API_SIGNED_IN),
    ("get", "/api/v1/library/resources/{org_private_id}/usage", None, API_DECIDERS),
]

API_WRITES = [
    (
        "post",
        "/api/v1/library/resources/{org_private_id}/access-requests",
        {"reason": "Training."},
        {
            "anonymous": NOT_AUTHENTICATED,
            **dict.fromkeys(SIGNED_IN, CREATED),
            "member": CONFLICT,
            "org_member": CONFLICT,
            "leader": CONFLICT,
            "staff": CONFLICT,
        },
    ),
    (
        "post",
        "/api/v1/library/access-requests/{pending}/decision",
        {"decision": "refuse", "note": "No."},
        API_DECIDERS,
    ),
    (
        "post",
        "/api/v1/library/access-requests/{pending}/withdraw",
        None,
        {"anonymous": NOT_AUTHENTICATED, **dict.fromkeys(SIGNED_IN, DENIED), "member": OK},
    ),
    (
        "delete",
        "/api/v1/library/access-grants/{grant}",
        None,
        {
            "anonymous": NOT_AUTHENTICATED,
            **dict.fromkeys(SIGNED_IN, DENIED),
            "staff": NO_CONTENT,
        },
    ),
]


def fill(template: str, world: AccessScene) -> str:
    return template.format(
        org_private=world.org_private.slug,
        org_private_id=world.org_private.pk,
        unlisted=world.unlisted.slug,
        pending=world.pending.pk,
        grant=world.grant.pk,
    )


def state() -> tuple:
    return (
        list(
            AccessRequest.objects.order_by("pk").values_list(
                "pk", "requester_id", "status", "decided_by_id", "decision_note"
            )
        ),
        list(AccessGrant.objects.order_by("pk").values_list("pk", "resource_id", "person_id")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "expected"), PAGES, ids=page_ids(PAGES))
def test_pages(world, role, name, method, path, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_page(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "path", "data", "expected"), WRITES, ids=page_ids(WRITES))
def test_page_writes(world, role, name, path, data, expected):
    before = state()
    response = client_as(world, role).post(fill(path, world), data)
    # Who may already open the resource is sent to it: a 302 that changes nothing.
    already_open = name == "library:access_request" and role in {"org_member", "leader", "staff"}
    assert_page_write(
        response,
        expected[role],
        before,
        state(),
        unchanged=(DENIED, 404, REDIRECT_LOGIN, 422, CONFLICT),
        changed_otherwise=not already_open,
        audited=True,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), API, ids=api_ids(API))
def test_api_reads(world, role, method, path, body, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_api_read(response, expected[role], json_body=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), API_WRITES, ids=api_ids(API_WRITES)
)
def test_api_writes(world, role, method, path, body, expected):
    before = state()
    response = send_json(client_as(world, role), method, fill(path, world), body)
    assert_api_write(
        response,
        expected[role],
        before,
        state(),
        unchanged=(DENIED, NOT_AUTHENTICATED, CONFLICT, 404),
        problem_for=(DENIED, NOT_AUTHENTICATED, CONFLICT),
    )
    if expected[role] in {OK, CREATED, NO_CONTENT}:
        assert state() != before
