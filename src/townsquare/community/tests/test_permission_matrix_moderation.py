"""Moderation pages and endpoints against every role: flagging, the moderation home, a space's
queue, decisions, log, a person's standing and sanctions. Who gets in, who is refused with which
status (404 for a space the person may not know, 403 for one they may see but not moderate), that
refusals change nothing and are audited, and that allowed writes change something.

The matrix people (``accounts.tests.factories.make_matrix_people``): ``patient`` is in the patient
community; ``member`` is outside both networks; ``outsider``, ``org_member`` and ``leader`` are in
the staff network; ``moderator`` and ``staff`` moderate every space. Added here:
``space_moderator`` moderates the staff space "Ward Seven"; ``author`` is a member of it and wrote
its post and comment (so flagging them is their own). The patient group "Type 1 adults" is
moderated by a patient volunteer who is not one of the roles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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

from ..models import (
    Comment,
    Flag,
    ModerationAction,
    Post,
    Space,
    SpaceKind,
    SpaceMembership,
)
from .factories import join, make_comment, make_employee, make_patient, make_post, make_space

pytestmark = pytest.mark.django_db

ROLES = [*MATRIX_ROLES, "space_moderator", "author"]
SIGNED_IN = [role for role in ROLES if role != "anonymous"]
STAFF_NETWORK = ["outsider", "org_member", "leader", "moderator", "staff", "space_moderator"]
WARD_MODERATORS = ["moderator", "staff", "space_moderator"]
GROUP_MODERATORS = ["moderator", "staff"]


@dataclass
class World:
    people: dict[str, User | None]
    ward: Space
    group: Space
    post: Post
    comment: Comment
    group_post: Post


@pytest.fixture
def world() -> World:
    cast = make_matrix_people()
    people = dict(cast.people)
    space_moderator = make_employee(display_name="Mona Moderator")
    author = make_employee(display_name="Arthur Author")
    people["space_moderator"], people["author"] = space_moderator, author
    org_member = people["org_member"]
    assert org_member is not None
    ward = make_space(
        kind=SpaceKind.STAFF,
        name="Ward Seven",
        moderators=(space_moderator,),
        members=(author, org_member),
    )
    post = make_post(author, ward, title="Handover notes")
    comment = make_comment(author, post)
    volunteer = make_patient(display_name="Volunteer Val")
    group_author = make_patient(display_name="Gil Group", pseudonym="Heron")
    group = make_space(
        kind=SpaceKind.PATIENT,
        name="Type 1 adults",
        moderators=(volunteer,),
        members=(group_author,),
    )
    patient = people["patient"]
    assert patient is not None
    join(patient, group)
    group_post = make_post(group_author, group, title="Week one")
    return World(people, ward, group, post, comment, group_post)


def _expect(**statuses: Any) -> dict[str, Any]:
    """Every role's status: anonymous first, then the named groups, then the rest."""
    expected: dict[str, Any] = {}
    for role in ROLES:
        expected[role] = statuses.get(role, statuses.get("others"))
    return expected


# Staff space "Ward Seven": the patient and the member outside both networks may not know it.
WARD_PAGE = _expect(
    anonymous=REDIRECT_LOGIN,
    patient=MISSING,
    member=MISSING,
    **dict.fromkeys(WARD_MODERATORS, OK),
    others=DENIED,
)
WARD_WRITE = {**WARD_PAGE, **dict.fromkeys(WARD_MODERATORS, 302)}
# The patient group: staff-network people may not know it; its member patient may not moderate.
GROUP_PAGE = _expect(
    anonymous=REDIRECT_LOGIN,
    patient=DENIED,
    **dict.fromkeys(GROUP_MODERATORS, OK),
    others=MISSING,
)
HOME = _expect(anonymous=REDIRECT_LOGIN, **dict.fromkeys(WARD_MODERATORS, OK), others=DENIED)
FLAG_PAGE = _expect(
    anonymous=REDIRECT_LOGIN,
    patient=MISSING,
    member=MISSING,
    author=DENIED,
    others=OK,
)
FLAG_WRITE = {**FLAG_PAGE, **dict.fromkeys(STAFF_NETWORK, 302)}
GROUP_FLAG_PAGE = _expect(
    anonymous=REDIRECT_LOGIN, patient=OK, **dict.fromkeys(GROUP_MODERATORS, OK), others=MISSING
)

S = "/community/s/{ward}/moderation"
G = "/community/s/{group}/moderation"

PAGES = [
    ("community:flag_create", "get", "/community/flag/?post={post}", FLAG_PAGE),
    ("community:flag_create (comment)", "get", "/community/flag/?comment={comment}", FLAG_PAGE),
    (
        "community:flag_create (patient group)",
        "get",
        "/community/flag/?post={group_post}",
        GROUP_FLAG_PAGE,
    ),
    ("community:moderation_home", "get", "/community/moderation/", HOME),
    ("community:moderation_queue", "get", f"{S}/", WARD_PAGE),
    ("community:moderation_queue (patient group)", "get", f"{G}/", GROUP_PAGE),
    ("community:moderation_log", "get", f"{S}/log/", WARD_PAGE),
    ("community:moderation_log (patient group)", "get", f"{G}/log/", GROUP_PAGE),
    ("community:member_moderation", "get", f"{S}/people/{{author_id}}/", WARD_PAGE),
    (
        "community:member_moderation (patient group)",
        "get",
        f"{G}/people/{{group_author_id}}/",
        GROUP_PAGE,
    ),
]

WRITES = [
    (
        "community:flag_create",
        "/community/flag/",
        {"post": "{post}", "reason": "other"},
        FLAG_WRITE,
    ),
    (
        "community:moderation_decide",
        f"{S}/decide",
        {"target_type": "post", "target_id": "{post}", "action": "hide", "reason": "Rude."},
        WARD_WRITE,
    ),
    (
        "community:sanction",
        f"{S}/people/{{author_id}}",
        {"action": "warn", "reason": "Mind the tone."},
        WARD_WRITE,
    ),
]

API_PAGE = {**WARD_PAGE, "anonymous": NOT_AUTHENTICATED}
API_CREATED = {**API_PAGE, **dict.fromkeys(WARD_MODERATORS, 201)}
API_FLAG = {
    **FLAG_PAGE,
    "anonymous": NOT_AUTHENTICATED,
    **dict.fromkeys(STAFF_NETWORK, 201),
}
A = "/api/v1/community"

API = [
    ("get", f"{A}/spaces/{{ward_id}}/moderation/queue", None, API_PAGE),
    ("get", f"{A}/spaces/{{ward_id}}/moderation/log", None, API_PAGE),
]
API_WRITES = [
    ("post", f"{A}/posts/{{post}}/flags", {"reason": "harassment"}, API_FLAG),
    ("post", f"{A}/comments/{{comment}}/flags", {"reason": "medical_advice"}, API_FLAG),
    (
        "post",
        f"{A}/spaces/{{ward_id}}/moderation/decisions",
        {"target_type": "post", "target_id": "{post}", "action": "hide", "reason": "Rude."},
        API_CREATED,
    ),
    (
        "post",
        f"{A}/spaces/{{ward_id}}/moderation/sanctions",
        {"user_id": "{author_id}", "action": "warn", "reason": "Mind the tone."},
        API_CREATED,
    ),
]


def _values(world: World) -> dict[str, Any]:
    author = world.people["author"]
    assert author is not None
    return {
        "ward": world.ward.slug,
        "group": world.group.slug,
        "ward_id": world.ward.pk,
        "post": world.post.pk,
        "comment": world.comment.pk,
        "group_post": world.group_post.pk,
        "author_id": author.pk,
        "group_author_id": world.group_post.author_id,
    }


def fill(template: str, world: World) -> str:
    return template.format(**_values(world))


def fill_data(data: dict[str, Any], world: World) -> dict[str, Any]:
    """Form or JSON data with the world's ids put in (numbers stay numbers in JSON)."""
    values = _values(world)
    filled: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
            filled[key] = values[value[1:-1]]
        else:
            filled[key] = value
    return filled


def state() -> tuple:
    return (
        list(Flag.objects.order_by("pk").values_list("pk", "reporter_id", "status")),
        list(Post.objects.order_by("pk").values_list("pk", "status")),
        list(Comment.objects.order_by("pk").values_list("pk", "status")),
        list(SpaceMembership.objects.order_by("pk").values_list("pk", "status", "muted_until")),
        ModerationAction.objects.count(),
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
    response = client_as(world, role).post(fill(path, world), fill_data(data, world))
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
    response = send_json(client_as(world, role), method, fill(path, world), fill_data(body, world))
    after = state()
    assert_api_write(
        response,
        expected[role],
        before,
        after,
        unchanged=(DENIED, NOT_AUTHENTICATED, MISSING),
        problem_for=(DENIED, NOT_AUTHENTICATED, MISSING),
    )
    if expected[role] == 201:
        assert after != before


def test_a_missing_space_post_or_person_is_404_for_moderators_too(world):
    client = client_as(world, "staff")
    assert client.get("/community/s/no-such-space/moderation/").status_code == MISSING
    assert client.get("/community/flag/?post=987654321").status_code == MISSING
    assert client.get(fill(f"{S}/people/987654321/", world)).status_code == MISSING
    assert client.get(f"{A}/spaces/987654321/moderation/queue").status_code == MISSING
    response = send_json(client, "post", f"{A}/posts/987654321/flags", {"reason": "other"})
    assert response.status_code == MISSING
