"""Credentials and fellowship pages and endpoints against every role: who gets in, who is refused,
and that refusals change nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from townsquare.academy.models import (
    Credential,
    EnrollmentStatus,
    FellowshipSubmission,
    SubmissionComment,
)
from townsquare.academy.services import fellowship
from townsquare.academy.services.credentials import course_certificate_issue
from townsquare.academy.tests.factories import make_course, make_enrollment
from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import (
    MATRIX_ROLES,
    make_matrix_people,
)
from townsquare.core.testing.matrix import (
    DENIED,
    MISSING,
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

pytestmark = pytest.mark.django_db

ROLES = MATRIX_ROLES

PLAN = " ".join(["We will post weekly patient-safety tips for our community."] * 8)


@dataclass
class World:
    people: dict[str, User | None]
    member: User
    credential: Credential
    submission: FellowshipSubmission


@pytest.fixture
def world() -> World:
    cast = make_matrix_people()
    people, member = cast.people, cast.member
    enrollment = make_enrollment(member, make_course())
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_at = timezone.now()
    enrollment.save()
    credential = course_certificate_issue(enrollment=enrollment)
    submission = fellowship.submission_create(
        actor=member, level="bronze", title="Our plan", body=PLAN
    )
    fellowship.submission_submit(actor=member, submission=submission)
    return World(people, member, credential, submission)


SIGNED_IN = [role for role in ROLES if role != "anonymous"]
ALL_SIGNED_IN = dict.fromkeys(SIGNED_IN, OK)
OWNER_OR_STAFF = {
    "anonymous": REDIRECT_LOGIN,
    **dict.fromkeys(SIGNED_IN, MISSING),
    "member": OK,
    "staff": OK,
}
STAFF_ONLY = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, DENIED), "staff": OK}

PAGES = [
    ("verify", "get", "/verify/{code}", {"anonymous": OK, **ALL_SIGNED_IN}),
    ("verify (unknown)", "get", "/verify/ABCDEFGHJKMNPQRS", dict.fromkeys(ROLES, MISSING)),
    ("academy:issuer", "get", "/academy/issuer", {"anonymous": OK, **ALL_SIGNED_IN}),
    (
        "academy:revocation_list",
        "get",
        "/academy/issuer/revocations",
        {"anonymous": OK, **ALL_SIGNED_IN},
    ),
    (
        "academy:my_credentials",
        "get",
        "/academy/credentials/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    ("academy:credential_detail", "get", "/academy/credentials/{credential}/", OWNER_OR_STAFF),
    (
        "academy:credential_pdf",
        "get",
        "/academy/credentials/{credential}/certificate.pdf",
        OWNER_OR_STAFF,
    ),
    (
        "academy:credential_badge",
        "get",
        "/academy/credentials/{credential}/badge.json",
        OWNER_OR_STAFF,
    ),
    (
        "academy:fellowship",
        "get",
        "/academy/fellowship/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    (
        "academy:fellowship_submission_create",
        "get",
        "/academy/fellowship/new/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN, "patient": DENIED},
    ),
    ("academy:fellowship_review_queue", "get", "/academy/fellowship/review/", STAFF_ONLY),
    ("academy:fellowship_award", "get", "/academy/fellowship/award/", STAFF_ONLY),
    (
        "academy:fellowship_submission",
        "get",
        "/academy/fellowship/submissions/{submission}/",
        OWNER_OR_STAFF,
    ),
    (
        "academy:fellowship_submission_edit",
        "get",
        "/academy/fellowship/submissions/{submission}/edit/",
        {**OWNER_OR_STAFF, "staff": DENIED},
    ),
    (
        "academy:fellowship_attachment",
        "get",
        "/academy/fellowship/submissions/{submission}/attachment",
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, MISSING)},  # none attached
    ),
]

WRITES = [
    (
        "academy:credential_revoke",
        "/academy/credentials/{credential}/revoke/",
        {"reason": "Matrix test"},
        {**OWNER_OR_STAFF, "member": DENIED, "staff": 302},
    ),
    (
        "academy:fellowship_submission_create",
        "/academy/fellowship/new/",
        {"level": "bronze", "title": "Another plan", "body": ""},
        # the member already has an open Bronze submission: the form says so
        {
            "anonymous": REDIRECT_LOGIN,
            **dict.fromkeys(SIGNED_IN, 302),
            "patient": DENIED,
            "member": 422,
        },
    ),
    (
        "academy:fellowship_submission_edit",
        "/academy/fellowship/submissions/{submission}/edit/",
        {"title": "Edited", "body": "Edited"},
        {**OWNER_OR_STAFF, "member": 422, "staff": DENIED},  # submitted work is not editable
    ),
    (
        "academy:fellowship_submission_submit",
        "/academy/fellowship/submissions/{submission}/submit/",
        {},
        {**OWNER_OR_STAFF, "member": 302, "staff": DENIED},
    ),
    (
        "academy:fellowship_submission_withdraw",
        "/academy/fellowship/submissions/{submission}/withdraw/",
        {},
        {**OWNER_OR_STAFF, "member": 302, "staff": DENIED},
    ),
    (
        "academy:fellowship_submission_comment",
        "/academy/fellowship/submissions/{submission}/comments/",
        {"body": "A comment"},
        {**OWNER_OR_STAFF, "member": 302, "staff": 302},
    ),
    (
        "academy:fellowship_submission_decide",
        "/academy/fellowship/submissions/{submission}/decision/",
        {"decision": "request_changes", "comment": "More detail"},
        {**OWNER_OR_STAFF, "member": DENIED, "staff": 302},
    ),
    (
        "academy:fellowship_award",
        "/academy/fellowship/award/",
        {"email": "{member_email}", "citation": "Honored"},
        {**STAFF_ONLY, "staff": 422},  # the member holds no Gold level
    ),
]

API_OWNER_OR_STAFF = {
    "anonymous": 401,
    **dict.fromkeys(SIGNED_IN, MISSING),
    "member": OK,
    "staff": OK,
}

API = [
    ("get", "/api/v1/academy/credentials", None, {"anonymous": 401, **ALL_SIGNED_IN}),
    ("get", "/api/v1/academy/credentials/{credential}", None, API_OWNER_OR_STAFF),
    ("get", "/api/v1/academy/credentials/{credential}/badge", None, API_OWNER_OR_STAFF),
    ("get", "/api/v1/academy/verifications/{code}", None, {"anonymous": OK, **ALL_SIGNED_IN}),
    (
        "get",
        "/api/v1/academy/verifications/ABCDEFGHJKMNPQRS",
        None,
        dict.fromkeys(ROLES, MISSING),
    ),
    ("get", "/api/v1/academy/fellowship/submissions", None, {"anonymous": 401, **ALL_SIGNED_IN}),
    (
        "get",
        "/api/v1/academy/fellowship/submissions?queue=review",
        None,
        {"anonymous": 401, **dict.fromkeys(SIGNED_IN, DENIED), "staff": OK},
    ),
]

API_WRITES = [
    (
        "post",
        "/api/v1/academy/credentials/{credential}/revoke",
        {"reason": "Matrix test"},
        {**API_OWNER_OR_STAFF, "member": DENIED},
    ),
    (
        "post",
        "/api/v1/academy/fellowship/submissions",
        {"level": "bronze", "title": "Another plan"},
        {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 201), "patient": DENIED, "member": 409},
    ),
    (
        "post",
        "/api/v1/academy/fellowship/submissions/{submission}/submit",
        None,
        {**API_OWNER_OR_STAFF, "member": 409, "staff": DENIED},
    ),
    (
        "post",
        "/api/v1/academy/fellowship/submissions/{submission}/comments",
        {"body": "A comment"},
        {**API_OWNER_OR_STAFF, "member": 201, "staff": 201},
    ),
    (
        "post",
        "/api/v1/academy/fellowship/submissions/{submission}/decision",
        {"decision": "request_changes", "comment": "More detail"},
        {**API_OWNER_OR_STAFF, "member": DENIED},
    ),
]


def fill(template: str, world: World) -> str:
    return template.format(
        code=world.credential.verification_code,
        credential=world.credential.pk,
        submission=world.submission.pk,
        member_email=world.member.email,
    )


def state() -> tuple:
    return (
        list(Credential.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(FellowshipSubmission.objects.order_by("pk").values_list("pk", "status", "title")),
        SubmissionComment.objects.count(),
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
    payload = {key: fill(value, world) for key, value in data.items()}
    response = client_as(world, role).post(fill(path, world), payload)
    assert_page_write(response, expected[role], before, state())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), API, ids=api_ids(API))
def test_api_reads(world, role, method, path, body, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_api_read(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), API_WRITES, ids=api_ids(API_WRITES)
)
def test_api_writes(world, role, method, path, body, expected):
    before = state()
    payload = {key: fill(value, world) for key, value in body.items()} if body else None
    response = send_json(client_as(world, role), method, fill(path, world), payload)
    assert_api_write(
        response,
        expected[role],
        before,
        state(),
        unchanged=(DENIED, 401, MISSING, 409),
        code_for=(DENIED,),
        codes={"permission-denied"},
    )
