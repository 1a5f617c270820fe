"""Spaces pages and endpoints against every role: who gets in, who is refused (404 for what the
person may not know exists, 403 for what they may see but not do), and that refusals change
nothing.

The world: three staff spaces run by ``leader`` with ``org_member`` as a member (open, private,
invite only; ``outsider`` is invited to the invite-only one), a patient group with ``patient`` as
a member, and in the private space a request to join and a member for the managers' decisions.
``member`` (a professional without an organization) takes part in neither network; ``moderator``
and ``staff`` moderate every space.
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
    assert_api_write,
    assert_page,
    assert_page_write,
    client_as,
    page_ids,
    send_json,
)

from ..models import Follow, MembershipStatus, Space, SpaceKind, SpaceMembership, SpaceVisibility
from .factories import join, make_employee, make_space

pytestmark = pytest.mark.django_db

ROLES = MATRIX_ROLES
SIGNED_IN = [role for role in ROLES if role != "anonymous"]
STAFF_NETWORK = ["outsider", "org_member", "leader", "moderator", "staff"]
GLOBAL = ["moderator", "staff"]
MANAGERS = ["leader", *GLOBAL]


@dataclass
class World:
    people: dict[str, User | None]
    open: Space
    private: Space
    hidden: Space
    group: Space
    requester: SpaceMembership
    target: SpaceMembership
    invitee: User


@pytest.fixture
def world() -> World:
    cast = make_matrix_people()
    people = cast.people
    leader, org_member = people["leader"], people["org_member"]
    patient, outsider = people["patient"], people["outsider"]
    assert leader is not None
    assert org_member is not None
    assert patient is not None
    assert outsider is not None
    spaces = {}
    for visibility in SpaceVisibility.values:
        spaces[visibility] = make_space(
            name=f"Matrix {visibility}",
            visibility=visibility,
            moderators=(leader,),
            members=(org_member,),
        )
    join(outsider, spaces["invite_only"], status=MembershipStatus.INVITED, follow=False)
    group = make_space(name="Matrix group", kind=SpaceKind.PATIENT, members=(patient,))
    private = spaces["private"]
    requester = join(make_employee(), private, status=MembershipStatus.REQUESTED, follow=False)
    target = join(make_employee(), private)
    return World(
        people,
        spaces["open"],
        private,
        spaces["invite_only"],
        group,
        requester,
        target,
        make_employee(),
    )


def expect(default, **overrides):
    """Every role's expected status: ``default`` for the signed-in, login for anonymous."""
    expected = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, default)}
    expected.update(overrides)
    return expected


def staff_network(allowed, *, outside=MISSING, **overrides):
    """Staff spaces: ``patient`` and ``member`` may not know they exist."""
    return expect(allowed, patient=outside, member=outside, **overrides)


def managed(allowed, *, others=DENIED, outside=MISSING):
    """The private space's management: its moderator and the center's moderators."""
    return staff_network(others, outside=outside, **dict.fromkeys(MANAGERS, allowed))


PAGES = [
    ("community:space_list", "get", "/community/spaces/", expect(OK)),
    (
        "community:space_create",
        "get",
        "/community/spaces/new/",
        expect(OK, patient=DENIED, member=DENIED),
    ),
    ("community:space_detail (open)", "get", "/community/s/{open_slug}/", staff_network(OK)),
    (
        "community:space_detail (private, header only for outsiders)",
        "get",
        "/community/s/{private_slug}/",
        staff_network(OK),
    ),
    (
        "community:space_detail (invite only)",
        "get",
        "/community/s/{hidden_slug}/",
        staff_network(OK),  # outsider is invited: the others of the network are not
    ),
    (
        "community:space_detail (patient group)",
        "get",
        "/community/s/{group_slug}/",
        expect(MISSING, patient=OK, moderator=OK, staff=OK),
    ),
    ("community:space_edit", "get", "/community/s/{private_slug}/edit/", managed(OK)),
    (
        "community:space_join (open)",
        "get",
        "/community/s/{open_slug}/join/",
        staff_network(OK, org_member=302, leader=302),
    ),
    (
        "community:space_join (private)",
        "get",
        "/community/s/{private_slug}/join/",
        staff_network(OK, org_member=302, leader=302),
    ),
    (
        "community:space_join (invite only)",
        "get",
        "/community/s/{hidden_slug}/join/",
        staff_network(DENIED, outsider=OK, org_member=302, leader=302),
    ),
    (
        "community:space_members (private)",
        "get",
        "/community/s/{private_slug}/members/",
        staff_network(OK, outsider=DENIED),
    ),
    (
        "community:space_members (invite only)",
        "get",
        "/community/s/{hidden_slug}/members/",
        staff_network(OK, outsider=DENIED),
    ),
]

SPACE_FORM = {
    "name": "Matrix new",
    "kind": "staff",
    "category": "department",
    "visibility": "open",
    "guidelines": "Be kind.",
}
EDIT_FORM = {
    "name": "Matrix renamed",
    "category": "research",
    "visibility": "private",
    "guidelines": "Be kind.",
}

WRITES = [
    (
        "community:space_create",
        "/community/spaces/new/",
        SPACE_FORM,
        expect(302, patient=DENIED, member=DENIED),
    ),
    ("community:space_edit", "/community/s/{private_slug}/edit/", EDIT_FORM, managed(302)),
    (
        "community:space_archive",
        "/community/s/{private_slug}/archive",
        {"archived": "1"},
        managed(302),
    ),
    (
        "community:space_join",
        "/community/s/{open_slug}/join/",
        {"accept_guidelines": "on"},
        staff_network(302),  # members are sent back to the space, nothing written
    ),
    (
        "community:space_join (invite only)",
        "/community/s/{hidden_slug}/join/",
        {"accept_guidelines": "on"},
        staff_network(DENIED, outsider=302, org_member=302, leader=302),
    ),
    (
        "community:space_leave",
        "/community/s/{private_slug}/leave",
        {},
        staff_network(302),  # non-members and the only moderator are told why not
    ),
    (
        "community:invitation_decline",
        "/community/s/{hidden_slug}/invitation/decline",
        {},
        staff_network(302),  # only outsider has an invitation; the others are told so
    ),
    (
        "community:member_invite",
        "/community/s/{private_slug}/members/invite",
        {"who": "{invitee_email}"},
        managed(302),
    ),
    (
        "community:request_decide",
        "/community/s/{private_slug}/members/{requester}/decide",
        {"decision": "approve"},
        managed(302),
    ),
    (
        "community:member_role",
        "/community/s/{private_slug}/members/{target}/role",
        {"role": "moderator"},
        managed(302),
    ),
    (
        "community:member_remove",
        "/community/s/{private_slug}/members/{target}/remove",
        {"reason": "Matrix"},
        managed(302),
    ),
]


def api(default, **overrides):
    expected = {"anonymous": NOT_AUTHENTICATED, **dict.fromkeys(SIGNED_IN, default)}
    expected.update(overrides)
    return expected


def api_staff_network(allowed, **overrides):
    return api(allowed, **{"patient": MISSING, "member": MISSING, **overrides})


def api_managed(allowed):
    return api_staff_network(DENIED, **dict.fromkeys(MANAGERS, allowed))


API = [
    ("get", "/api/v1/community/spaces", None, api(OK)),
    ("get", "/api/v1/community/spaces/{open}", None, api_staff_network(OK)),
    ("get", "/api/v1/community/spaces/{private}", None, api_staff_network(OK)),
    ("get", "/api/v1/community/spaces/{hidden}", None, api_staff_network(OK)),
    (
        "get",
        "/api/v1/community/spaces/{group}",
        None,
        api(MISSING, patient=OK, moderator=OK, staff=OK),
    ),
    (
        "get",
        "/api/v1/community/spaces/{private}/members",
        None,
        api_staff_network(OK, outsider=DENIED),
    ),
    (
        "get",
        "/api/v1/community/spaces/{private}/members?status=requested",
        None,
        api_staff_network(DENIED, leader=OK, moderator=OK, staff=OK),
    ),
]

API_WRITES = [
    (
        "post",
        "/api/v1/community/spaces",
        {"kind": "staff", "name": "Matrix API", "category": "department"},
        api(201, patient=DENIED, member=DENIED),
    ),
    ("patch", "/api/v1/community/spaces/{private}", {"name": "Matrix PATCH"}, api_managed(OK)),
    (
        "post",
        "/api/v1/community/spaces/{open}/membership",
        {"accept_guidelines": True},
        api_staff_network(201, org_member=409, leader=409),
    ),
    (
        "delete",
        "/api/v1/community/spaces/{private}/membership",
        None,
        # the only moderator stays; people without a membership have nothing to end
        api_staff_network(409, org_member=204),
    ),
    (
        "post",
        "/api/v1/community/spaces/{private}/invitations",
        {"who": "{invitee_email}"},
        api_managed(201),
    ),
    (
        "post",
        "/api/v1/community/spaces/{private}/members/{requester}/decision",
        {"decision": "approve"},
        api_managed(OK),
    ),
    (
        "put",
        "/api/v1/community/spaces/{private}/members/{target}/role",
        {"role": "moderator"},
        api_managed(OK),
    ),
    (
        "delete",
        "/api/v1/community/spaces/{private}/members/{target}",
        None,
        api_managed(204),
    ),
]


def fill(template: str, world: World) -> str:
    return template.format(
        open=world.open.pk,
        private=world.private.pk,
        hidden=world.hidden.pk,
        group=world.group.pk,
        open_slug=world.open.slug,
        private_slug=world.private.slug,
        hidden_slug=world.hidden.slug,
        group_slug=world.group.slug,
        requester=world.requester.pk,
        target=world.target.pk,
        invitee_email=world.invitee.email,
    )


def fill_value(value, world: World):
    return fill(value, world) if isinstance(value, str) else value


def state() -> tuple:
    return (
        list(
            Space.objects.order_by("pk").values_list(
                "pk", "name", "category", "visibility", "archived_at", "member_count"
            )
        ),
        list(
            SpaceMembership.objects.order_by("pk").values_list(
                "pk", "space_id", "user_id", "role", "status"
            )
        ),
        list(Follow.objects.order_by("pk").values_list("follower_id", "space_id")),
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
    payload = {key: fill_value(value, world) for key, value in data.items()}
    response = client_as(world, role).post(fill(path, world), payload)
    assert_page_write(response, expected[role], before, state(), audited=True)


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
    payload = {key: fill_value(value, world) for key, value in body.items()} if body else body
    response = send_json(client_as(world, role), method, fill(path, world), payload)
    assert_api_write(
        response,
        expected[role],
        before,
        state(),
        unchanged=(DENIED, NOT_AUTHENTICATED, MISSING, 409),
        problem_for=(DENIED, NOT_AUTHENTICATED, MISSING, 409),
        code_for=(DENIED,),
        codes={"permission-denied"},
    )


# Writes that answer with a redirect but must change nothing: the person is told why not.
UNCHANGED_REDIRECTS = [
    ("/community/s/{open_slug}/join/", {"accept_guidelines": "on"}, "org_member"),
    ("/community/s/{private_slug}/leave", {}, "leader"),
    ("/community/s/{private_slug}/leave", {}, "outsider"),
    ("/community/s/{hidden_slug}/invitation/decline", {}, "org_member"),
]


@pytest.mark.parametrize(("path", "data", "role"), UNCHANGED_REDIRECTS)
def test_refusals_that_redirect_change_nothing(world, path, data, role):
    before = state()
    response = client_as(world, role).post(fill(path, world), data)
    assert response.status_code == 302
    assert state() == before


def test_allowed_writes_change_what_they_say(world):
    before = state()
    client_as(world, "outsider").post(
        fill("/community/s/{open_slug}/join/", world), {"accept_guidelines": "on"}
    )
    client_as(world, "org_member").post(fill("/community/s/{private_slug}/leave", world))
    client_as(world, "outsider").post(fill("/community/s/{hidden_slug}/invitation/decline", world))
    after = state()
    assert after != before
    memberships = {(space, user): status for _, space, user, _, status in after[1]}
    outsider, org_member = world.people["outsider"], world.people["org_member"]
    assert outsider is not None
    assert org_member is not None
    assert memberships[(world.open.pk, outsider.pk)] == "active"
    assert (world.private.pk, org_member.pk) not in memberships
    assert (world.hidden.pk, outsider.pk) not in memberships
