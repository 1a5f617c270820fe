"""The policy builder: every page and endpoint against every role; refusals change nothing and
are audited. The cast's ``leader`` leads the organization whose draft the rows touch (built once,
so there is something to download); ``outsider`` belongs to another organization."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import MATRIX_ROLES, make_matrix_people
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

from ..models import PolicyClause, PolicyDraft, PolicyOption, ResourceFile, ResourceVersion
from ..services import policies as services
from .support_policies import load_clauses, make_draft

pytestmark = pytest.mark.django_db

ROLES = MATRIX_ROLES


@dataclass
class World:
    people: dict[str, User | None]
    organization_id: int
    draft: PolicyDraft
    clause: PolicyClause
    option: PolicyOption


@pytest.fixture
def world() -> World:
    load_clauses()
    cast = make_matrix_people()
    leader = cast.people["leader"]
    assert leader is not None
    draft = make_draft(actor=leader, organization=cast.organization)
    services.policy_build(actor=leader, draft=draft)
    clause = PolicyClause.objects.get(key="reviews")
    option = clause.options.order_by("position").last()
    assert option is not None
    return World(cast.people, cast.organization.pk, draft, clause, option)


SIGNED_IN = [role for role in ROLES if role != "anonymous"]
ALL_SIGNED_IN = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, OK)}
BUILDERS = {
    "anonymous": REDIRECT_LOGIN,
    **dict.fromkeys(SIGNED_IN, DENIED),
    "leader": OK,
    "staff": OK,
}
STAFF = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, DENIED), "staff": OK}

PAGES = [
    ("library:policy_start", "get", "/library/policies/", ALL_SIGNED_IN),
    ("library:policy_build", "get", "/library/policies/{draft}/", BUILDERS),
    ("library:policy_preview", "get", "/library/policies/{draft}/preview/", BUILDERS),
    ("library:policy_download (docx)", "get", "/library/policies/{draft}/download.docx", BUILDERS),
    ("library:policy_download (pdf)", "get", "/library/policies/{draft}/download.pdf", BUILDERS),
    ("library:clause_list", "get", "/library/policies/clauses/", STAFF),
    ("library:clause_edit", "get", "/library/policies/clauses/{clause}/", STAFF),
    ("library:option_edit", "get", "/library/policies/clauses/{clause}/options/{option}/", STAFF),
]

BUILDER_WRITE = {**BUILDERS, "leader": 302, "staff": 302}
STAFF_WRITE = {**STAFF, "staff": 302}


def _guided_form(world: World) -> dict[str, str]:
    data = {
        "title": "Our social media policy",
        "contact_name": "Compliance office",
        "contact_email": "compliance@example.org",
        "contact_phone": "",
        "effective_on": "2027-01-01",
    }
    data.update({f"clause_{key}": value for key, value in world.draft.choices.items()})
    data["clause_reviews"] = "no-public-reply"
    return data


# ``data`` is a dict, or a callable taking the world.
WRITES = [
    (
        "library:policy_create",
        "/library/policies/new",
        lambda world: {"organization": world.organization_id},
        BUILDER_WRITE,
    ),
    ("library:policy_build (save)", "/library/policies/{draft}/", _guided_form, BUILDER_WRITE),
    (
        "library:policy_preview (live)",
        "/library/policies/{draft}/preview/",
        _guided_form,
        BUILDERS,
    ),
    (
        "library:policy_generate",
        "/library/policies/{draft}/build",
        {"change_note": ""},
        BUILDER_WRITE,
    ),
    ("library:policy_delete", "/library/policies/{draft}/delete", {}, BUILDER_WRITE),
    (
        "library:clause_list (add)",
        "/library/policies/clauses/",
        {"new-title": "Streaming", "new-key": "streaming", "new-explanation": "Why."},
        STAFF_WRITE,
    ),
    (
        "library:clause_edit (save)",
        "/library/policies/clauses/{clause}/",
        {"title": "Reviews", "key": "reviews", "explanation": "Why.", "is_active": "on"},
        STAFF_WRITE,
    ),
    (
        "library:clause_move",
        "/library/policies/clauses/{clause}/move",
        {"direction": "up"},
        STAFF_WRITE,
    ),
    (
        "library:option_create",
        "/library/policies/clauses/{clause}/options/new",
        {
            "option-label": "Say nothing",
            "option-key": "say-nothing",
            "option-text": "{organization}.",
        },
        STAFF_WRITE,
    ),
    (
        "library:option_edit (save)",
        "/library/policies/clauses/{clause}/options/{option}/",
        {"label": "Personal replies", "key": "personal", "text": "{organization} replies."},
        STAFF_WRITE,
    ),
    (
        "library:option_move",
        "/library/policies/clauses/{clause}/options/{option}/move",
        {"direction": "up"},
        STAFF_WRITE,
    ),
    (
        "library:option_delete",
        "/library/policies/clauses/{clause}/options/{option}/delete",
        {},
        STAFF_WRITE,
    ),
]

API_BUILDERS = {
    "anonymous": NOT_AUTHENTICATED,
    **dict.fromkeys(SIGNED_IN, DENIED),
    "leader": OK,
    "staff": OK,
}
API_SIGNED_IN = {"anonymous": NOT_AUTHENTICATED, **dict.fromkeys(SIGNED_IN, OK)}

API = [
    ("get", "/api/v1/library/policy-clauses", None, dict.fromkeys(ROLES, OK)),
    ("get", "/api/v1/library/policy-drafts", None, API_SIGNED_IN),
    ("get", "/api/v1/library/policy-drafts/{draft}", None, API_BUILDERS),
]

API_CREATED = {**API_BUILDERS, "leader": 201, "staff": 201}
API_WRITES = [
    ("post", "/api/v1/library/policy-drafts", {"organization_id": "{organization}"}, API_CREATED),
    (
        "put",
        "/api/v1/library/policy-drafts/{draft}",
        {
            "title": "Online conduct",
            "contact_name": "Compliance office",
            "contact_email": "compliance@example.org",
            "choices": "{choices}",
        },
        API_BUILDERS,
    ),
    ("post", "/api/v1/library/policy-drafts/{draft}/build", {"change_note": "API"}, API_CREATED),
]


def fill(template: str, world: World) -> str:
    return template.format(
        draft=world.draft.pk,
        clause=world.clause.pk,
        option=world.option.pk,
        organization=world.organization_id,
    )


def _body(body: dict[str, object] | None, world: World) -> dict[str, object] | None:
    if body is None:
        return None
    filled: dict[str, object] = {}
    for key, value in body.items():
        if value == "{choices}":
            filled[key] = dict(world.draft.choices)
        elif isinstance(value, str) and value.startswith("{"):
            filled[key] = int(fill(value, world))
        else:
            filled[key] = value
    return filled


def state() -> tuple:
    return (
        list(
            PolicyDraft.objects.order_by("pk").values_list(
                "pk", "title", "contact_name", "choices", "resource_id"
            )
        ),
        list(ResourceVersion.objects.order_by("pk").values_list("pk", "number")),
        ResourceFile.objects.count(),
        list(
            PolicyClause.objects.order_by("pk").values_list(
                "pk", "key", "title", "position", "is_active"
            )
        ),
        list(PolicyOption.objects.order_by("pk").values_list("pk", "key", "label", "position")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "expected"), PAGES, ids=page_ids(PAGES))
def test_pages(world, role, name, method, path, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_page(response, expected[role])
    if getattr(response, "streaming", False):
        # Read a download to its end: the test client then closes the file (and, unlike
        # ``response.close()``, keeps the test's database connection open).
        b"".join(response.streaming_content)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "path", "data", "expected"), WRITES, ids=page_ids(WRITES))
def test_page_writes(world, role, name, path, data, expected):
    before = state()
    form = data(world) if callable(data) else data
    response = client_as(world, role).post(fill(path, world), form)
    assert_page_write(
        response,
        expected[role],
        before,
        state(),
        # The live preview answers 200 and saves nothing; every other allowed write redirects.
        unchanged=(DENIED, 404, REDIRECT_LOGIN, 422, OK),
        changed_otherwise=True,
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
    response = send_json(client_as(world, role), method, fill(path, world), _body(body, world))
    assert_api_write(
        response, expected[role], before, state(), problem_for=(DENIED, NOT_AUTHENTICATED)
    )
    if expected[role] in {OK, 201}:
        assert state() != before
