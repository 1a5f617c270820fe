"""Submission and review pages and endpoints against every role: who gets in, who is refused,
and that refusals change nothing. A submission is visible only to its submitter and the
reviewers: to everyone else it does not exist (404)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import MATRIX_ROLES, make_matrix_people
from townsquare.core.testing.matrix import (
    DENIED,
    MISSING,
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

from ..models import Resource, ResourceFile, ResourceVersion, ReviewEvent
from ..services import review as services
from .factories import pdf_bytes, upload
from .support_submissions import a_pdf, ask_for_changes, current, fields

pytestmark = pytest.mark.django_db

ROLES = MATRIX_ROLES
SIGNED_IN = [role for role in ROLES if role != "anonymous"]


@dataclass
class World:
    people: dict[str, User | None]
    draft: Resource
    submitted: Resource
    changes: Resource
    file_id: int


@pytest.fixture
def world() -> World:
    cast = make_matrix_people()
    member = cast.member
    staff = cast.people["staff"]
    assert staff is not None
    draft = services.submission_create(
        actor=member,
        fields=fields(title="Draft"),
        content=services.SubmissionContent(body="Draft text"),
        submit=False,
    )
    submitted = services.submission_create(
        actor=member,
        fields=fields(title="Submitted"),
        content=services.SubmissionContent(body="Text", files=[a_pdf()]),
    )
    changes = services.submission_create(
        actor=member,
        fields=fields(title="Changes"),
        content=services.SubmissionContent(body="Text"),
    )
    ask_for_changes(staff, changes)
    file_id = current(submitted).files.get().pk
    return World(cast.people, draft, submitted, changes, file_id)


SUBMITTER_OR_STAFF = {
    "anonymous": REDIRECT_LOGIN,
    **dict.fromkeys(SIGNED_IN, MISSING),
    "member": OK,
    "staff": OK,
}
SUBMITTER_ONLY = {**SUBMITTER_OR_STAFF, "staff": DENIED}
STAFF = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, DENIED), "staff": OK}
SIGNED_IN_OK = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, OK)}

PAGES = [
    ("library:my_submissions", "get", "/library/submissions/", SIGNED_IN_OK),
    (
        "library:submission_create",
        "get",
        "/library/submissions/new/",
        {**SIGNED_IN_OK, "patient": DENIED},
    ),
    ("library:submission_detail", "get", "/library/submissions/{submitted}/", SUBMITTER_OR_STAFF),
    (
        "library:submission_detail (draft)",
        "get",
        "/library/submissions/{draft}/",
        SUBMITTER_OR_STAFF,
    ),
    ("library:submission_edit", "get", "/library/submissions/{changes}/edit/", SUBMITTER_ONLY),
    (
        "library:submission_edit (under review)",
        "get",
        "/library/submissions/{submitted}/edit/",
        {**SUBMITTER_ONLY, "member": DENIED},
    ),
    (
        "library:submission_file",
        "get",
        "/library/submissions/{submitted}/files/{file}/download",
        SUBMITTER_OR_STAFF,
    ),
    ("library:review_queue", "get", "/library/review/", STAFF),
    ("library:review_detail", "get", "/library/review/{submitted}/", STAFF),
]

FORM = {
    "kind": "guideline",
    "title": "Matrix guideline",
    "summary": "A guideline.",
    "audience": "everyone",
    "language": "en",
    "license": "cc-by-4.0",
    "access": "public",
    "body": "Some text.",
}
CHANGED = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, MISSING), "member": 302}

WRITES = [
    (
        "library:submission_create",
        "/library/submissions/new/",
        FORM,
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, 302), "patient": DENIED},
    ),
    (
        "library:submission_edit",
        "/library/submissions/{changes}/edit/",
        {**FORM, "change_note": "Better"},
        {**CHANGED, "staff": DENIED},
    ),
    (
        "library:submission_submit",
        "/library/submissions/{draft}/submit",
        {},
        {**CHANGED, "staff": DENIED},
    ),
    (
        "library:submission_resubmit",
        "/library/submissions/{changes}/resubmit",
        {"comment": "Done"},
        {**CHANGED, "staff": DENIED},
    ),
    (
        "library:submission_withdraw",
        "/library/submissions/{submitted}/withdraw",
        {"reason": ""},
        {**CHANGED, "staff": DENIED},
    ),
    (
        "library:review_decide",
        "/library/review/{submitted}/decide",
        {"action": "reject", "comment": "Out of scope."},
        {**STAFF, "staff": 302},
    ),
    (
        "library:review_comment",
        "/library/review/{submitted}/comment",
        {"comment": "A question."},
        {**CHANGED, "staff": 302},
    ),
]

API_SIGNED_IN = {"anonymous": NOT_AUTHENTICATED, **dict.fromkeys(SIGNED_IN, OK)}
API_FOLLOWERS = {
    "anonymous": NOT_AUTHENTICATED,
    **dict.fromkeys(SIGNED_IN, MISSING),
    "member": OK,
    "staff": OK,
}
BASE = "/api/v1/library/submissions"

API = [
    ("get", BASE, None, API_SIGNED_IN),
    ("get", BASE + "/{submitted}", None, API_FOLLOWERS),
]

MULTIPART = "multipart"
API_WRITES = [
    (
        "post",
        BASE,
        {"kind": "policy", "title": "API", "summary": "S", "body": "Text", "submit": True},
        {**dict.fromkeys(API_SIGNED_IN, 201), "anonymous": NOT_AUTHENTICATED, "patient": DENIED},
    ),
    ("post", BASE + "/{draft}/files", MULTIPART, {**API_FOLLOWERS, "member": 201, "staff": 201}),
    ("post", BASE + "/{draft}/submit", {}, {**API_FOLLOWERS, "staff": DENIED}),
    ("post", BASE + "/{submitted}/withdraw", {}, {**API_FOLLOWERS, "staff": DENIED}),
    (
        "post",
        BASE + "/{submitted}/decision",
        {"action": "approve"},
        {**API_FOLLOWERS, "member": DENIED},
    ),
    (
        "post",
        BASE + "/{submitted}/comments",
        {"comment": "A question."},
        {**API_FOLLOWERS, "member": 201, "staff": 201},
    ),
]


def fill(template: str, world: World) -> str:
    return template.format(
        draft=world.draft.pk,
        submitted=world.submitted.pk,
        changes=world.changes.pk,
        file=world.file_id,
    )


def state() -> tuple:
    return (
        list(
            Resource.objects.order_by("pk").values_list("pk", "status", "title", "current_version")
        ),
        ResourceVersion.objects.count(),
        ResourceFile.objects.count(),
        list(ReviewEvent.objects.order_by("pk").values_list("pk", "action")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "expected"), PAGES, ids=page_ids(PAGES))
def test_pages(world, role, name, method, path, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_page(response, expected[role])
    if getattr(response, "streaming", False):
        response.close()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "path", "data", "expected"), WRITES, ids=page_ids(WRITES))
def test_page_writes(world, role, name, path, data, expected):
    before = state()
    response = client_as(world, role).post(fill(path, world), data)
    assert_page_write(
        response, expected[role], before, state(), changed_otherwise=True, audited=True
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
    client = client_as(world, role)
    if body == MULTIPART:
        response = client.post(
            fill(path, world), {"files": [upload("more.pdf", pdf_bytes("More"))]}
        )
    else:
        response = send_json(client, method, fill(path, world), body)
    assert_api_write(
        response,
        expected[role],
        before,
        state(),
        unchanged=(DENIED, NOT_AUTHENTICATED, MISSING, 409, 422),
        problem_for=(DENIED, NOT_AUTHENTICATED, MISSING),
    )
    if expected[role] in (OK, 201):
        assert state() != before, json.loads(response.content)
