"""Feed, hashtag and search pages and endpoints against every role.

The matrix people: ``patient`` is in the patient community; ``member`` is a professional of no
member organization, so outside both networks (the home page tells them who the community is for;
the other pages refuse them with the same words); ``outsider``, ``org_member`` and ``leader``
belong to member organizations (the staff network; ``org_member`` is a member of the private staff
space); ``moderator`` and ``staff`` moderate everything. Every row is a read: the area writes
nothing, so the write lists are empty.
"""

from __future__ import annotations

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
    assert_page,
    client_as,
    page_ids,
)

from ..models import Space, SpaceKind, SpaceVisibility
from .factories import join, make_employee, make_patient, make_post, make_space

pytestmark = pytest.mark.django_db

ROLES = MATRIX_ROLES
STAFF_NETWORK = ["outsider", "org_member", "leader", "moderator", "staff"]
COMMUNITY = ["patient", *STAFF_NETWORK]


@dataclass
class World:
    people: dict[str, User | None]
    open_space: Space
    private_space: Space
    group: Space


@pytest.fixture
def world() -> World:
    cast = make_matrix_people()
    colleague, patient = make_employee(), make_patient(pseudonym="Bluebell")
    open_space = make_space(name="Night shift", members=(colleague,))
    private_space = make_space(visibility=SpaceVisibility.PRIVATE, members=(colleague,))
    org_member = cast.people["org_member"]
    assert org_member is not None
    join(org_member, private_space)
    group = make_space(kind=SpaceKind.PATIENT, name="Type 1 adults", members=(patient,))
    make_post(colleague, open_space, body="Swap requests go here #rota")
    make_post(colleague, private_space, body="Members only #rota")
    make_post(patient, group, body="Sharing my week #rota")
    return World(cast.people, open_space, private_space, group)


def fill(template: str, world: World) -> str:
    return template.format(
        open_id=world.open_space.pk,
        private_id=world.private_space.pk,
        group_id=world.group.pk,
    )


def expect(**statuses: object) -> dict[str, object]:
    """Everyone in the community OK unless said otherwise; anonymous asked to sign in; the
    ``member`` outside both networks refused."""
    table: dict[str, object] = {**dict.fromkeys(COMMUNITY, OK), "member": DENIED}
    table["anonymous"] = REDIRECT_LOGIN
    table.update(statuses)
    return table


def api_expect(**statuses: object) -> dict[str, object]:
    return expect(anonymous=NOT_AUTHENTICATED, **statuses)


PAGES = [
    ("community:home", "get", "/community/", expect(member=OK)),
    ("community:home (older page)", "get", "/community/?cursor=", expect(member=OK)),
    ("community:hashtag_list", "get", "/community/tags/", expect()),
    ("community:hashtag_list (filtered)", "get", "/community/tags/?q=ro", expect()),
    ("community:hashtag", "get", "/community/tags/rota/", expect()),
    ("community:hashtag (unused)", "get", "/community/tags/nobodyuses/", expect()),
    (
        "community:hashtag (not a tag)",
        "get",
        "/community/tags/9lives/",
        expect(**dict.fromkeys(COMMUNITY, MISSING)),
    ),
    ("community:search", "get", "/community/search/", expect()),
    ("community:search (query)", "get", "/community/search/?q=rota", expect()),
    ("community:search (comments)", "get", "/community/search/?q=rota&kind=comment", expect()),
]

WRITES: list[tuple] = []

# A staff space: the staff network reads it; the patient and the member may not know it exists.
STAFF_OPEN = api_expect(patient=MISSING, member=MISSING)
STAFF_PRIVATE = api_expect(patient=MISSING, member=MISSING, outsider=DENIED, leader=DENIED)
PATIENT_GROUP = api_expect(member=MISSING, outsider=MISSING, org_member=MISSING, leader=MISSING)

API = [
    ("get", "/api/v1/community/feed", None, api_expect()),
    ("get", "/api/v1/community/spaces/{open_id}/posts", None, STAFF_OPEN),
    ("get", "/api/v1/community/spaces/{private_id}/posts", None, STAFF_PRIVATE),
    ("get", "/api/v1/community/spaces/{group_id}/posts", None, PATIENT_GROUP),
    ("get", "/api/v1/community/tags/rota/posts", None, api_expect()),
    ("get", "/api/v1/community/search?q=rota", None, api_expect()),
    ("get", "/api/v1/community/search?q=rota&kind=comment", None, api_expect()),
]
API_WRITES: list[tuple] = []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "expected"), PAGES, ids=page_ids(PAGES))
def test_pages(world, role, name, method, path, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_page(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), API, ids=api_ids(API))
def test_api_reads(world, role, method, path, body, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_api_read(response, expected[role], json_body=True)


def test_what_each_role_reads_of_the_tag(world):
    """The rows' 200s are not empty doors: each role gets the #rota posts of its networks."""
    seen = {}
    for role in COMMUNITY:
        body = client_as(world, role).get("/api/v1/community/tags/rota/posts").json()
        seen[role] = sorted(item["space"]["name"] for item in body["items"])
    private = world.private_space.name
    assert seen == {
        "patient": ["Type 1 adults"],
        "outsider": ["Night shift"],
        "org_member": sorted(["Night shift", private]),
        "leader": ["Night shift"],
        "moderator": sorted(["Night shift", private, "Type 1 adults"]),
        "staff": sorted(["Night shift", private, "Type 1 adults"]),
    }
