"""The library search page and API against every role: everyone may search; what each finds is
tested in test_search_selectors.py (and the access section's test_visibility_privacy.py). Here:
every role gets an answer, and the page and the API never show a restricted resource's body text
to a role that may not open it."""

from __future__ import annotations

import pytest

from townsquare.accounts.tests.factories import MATRIX_ROLES
from townsquare.core.testing.matrix import (
    OK,
    api_ids,
    assert_api_read,
    assert_page,
    client_as,
    page_ids,
)

from ..permissions import can_open_resource
from .support_search import SHARED_WORD, SearchWorld, searchable_library, secret

pytestmark = pytest.mark.django_db

ROLES = MATRIX_ROLES
EVERYONE = dict.fromkeys(ROLES, OK)


@pytest.fixture
def world() -> SearchWorld:
    return searchable_library()


PAGES = [
    ("library:search", "get", "/library/search/", EVERYONE),
    ("library:search (query)", "get", f"/library/search/?q={SHARED_WORD}", EVERYONE),
    (
        "library:search (member's body text)",
        "get",
        "/library/search/?q={member_secret}",
        EVERYONE,
    ),
    ("library:search (filtered)", "get", "/library/search/?q=quokka&type=guideline", EVERYONE),
]
WRITES: list[tuple] = []
API = [
    ("get", f"/api/v1/library/search?q={SHARED_WORD}", None, EVERYONE),
    ("get", "/api/v1/library/search?q={member_secret}&type=guideline", None, EVERYONE),
]
API_WRITES: list[tuple] = []


def fill(template: str, world: SearchWorld) -> str:
    return template.format(member_secret=secret("member"))


def state() -> tuple:
    return ()


def _leaks(world: SearchWorld, role: str, text: str, path: str) -> list[str]:
    """Resources whose body text reached a role that may not open them. A word the query asked
    for is echoed back (the form, the heading): then only a highlighted one is a leak."""
    from django.contrib.auth.models import AnonymousUser

    user = world.people[role] or AnonymousUser()
    return [
        name
        for name, resource in world.resources.items()
        if (f"<mark>{secret(name)}</mark>" if secret(name) in path else secret(name)) in text
        and not (resource.status == "published" and can_open_resource(user, resource))
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "expected"), PAGES, ids=page_ids(PAGES))
def test_pages(world, role, name, method, path, expected):
    path = fill(path, world)
    response = getattr(client_as(world, role), method)(path)
    assert_page(response, expected[role])
    assert _leaks(world, role, response.content.decode(), path) == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), API, ids=api_ids(API))
def test_api_reads(world, role, method, path, body, expected):
    path = fill(path, world)
    response = getattr(client_as(world, role), method)(path)
    assert_api_read(response, expected[role], json_body=True)
    assert _leaks(world, role, response.content.decode(), path) == []
